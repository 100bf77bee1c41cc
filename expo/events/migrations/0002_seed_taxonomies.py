"""Seed the taxonomies organizers start from. They edit them afterwards in the admin.

Names are (slug, Spanish, English). Re-running adds what is missing and changes nothing else.
"""

from django.db import migrations

DEVICE_CATEGORIES = [
    ("imaging", "Imagenología", "Imaging"),
    ("minimally-invasive-surgery", "Cirugía de mínima invasión", "Minimally invasive surgery"),
    ("sensors", "Sensores", "Sensors"),
    ("patient-monitoring", "Monitoreo de pacientes", "Patient monitoring"),
    ("digital-health", "Salud digital", "Digital health"),
    ("consumables", "Consumibles", "Consumables"),
    ("implants", "Implantes", "Implants"),
    ("orthopedics", "Ortopedia y prótesis", "Orthopedics and prosthetics"),
    ("cardiovascular", "Cardiovascular", "Cardiovascular"),
    ("diagnostics", "Diagnóstico in vitro y laboratorio", "In vitro diagnostics and laboratory"),
    ("hospital-equipment", "Equipo y mobiliario hospitalario", "Hospital equipment and furniture"),
    ("dental", "Odontología", "Dental"),
    ("rehabilitation", "Rehabilitación", "Rehabilitation"),
    ("ai-software", "Software médico e inteligencia artificial", "Medical software and AI"),
]
CAPABILITIES = [
    ("medical-grade-plastics", "Plásticos de grado médico", "Medical-grade plastics"),
    ("injection-molding", "Moldeo por inyección", "Injection molding"),
    ("sterile-packaging", "Empaque estéril", "Sterile packaging"),
    ("precision-machining", "Maquinado de precisión", "Precision machining"),
    ("electronics", "Electrónica", "Electronics"),
    ("sterilization", "Esterilización", "Sterilization"),
    ("lab-services", "Servicios de laboratorio y pruebas", "Laboratory and testing services"),
    ("cold-chain-logistics", "Logística de cadena de frío", "Cold-chain logistics"),
    ("contract-manufacturing", "Manufactura por contrato", "Contract manufacturing"),
    ("metrology", "Metrología y calibración", "Metrology and calibration"),
    ("regulatory-affairs", "Asuntos regulatorios", "Regulatory affairs"),
    ("assembly", "Ensamble", "Assembly"),
    ("distribution", "Distribución", "Distribution"),
    ("maintenance", "Mantenimiento biomédico", "Biomedical maintenance"),
]
CERTIFICATIONS = [
    ("iso-13485", "ISO 13485", "ISO 13485"),
    ("iso-9001", "ISO 9001", "ISO 9001"),
    ("iso-14971", "ISO 14971", "ISO 14971"),
    ("fda-registration", "Registro FDA", "FDA registration"),
    ("cofepris", "Registro sanitario COFEPRIS", "COFEPRIS registration"),
    ("ce-mark", "Marcado CE", "CE mark"),
    ("mdsap", "MDSAP", "MDSAP"),
    ("iso-11135", "ISO 11135 (óxido de etileno)", "ISO 11135 (ethylene oxide)"),
]
STATES = [
    ("aguascalientes", "Aguascalientes"), ("baja-california", "Baja California"),
    ("baja-california-sur", "Baja California Sur"), ("campeche", "Campeche"), ("chiapas", "Chiapas"),
    ("chihuahua", "Chihuahua"), ("ciudad-de-mexico", "Ciudad de México"), ("coahuila", "Coahuila"),
    ("colima", "Colima"), ("durango", "Durango"), ("estado-de-mexico", "Estado de México"),
    ("guanajuato", "Guanajuato"), ("guerrero", "Guerrero"), ("hidalgo", "Hidalgo"), ("jalisco", "Jalisco"),
    ("michoacan", "Michoacán"), ("morelos", "Morelos"), ("nayarit", "Nayarit"), ("nuevo-leon", "Nuevo León"),
    ("oaxaca", "Oaxaca"), ("puebla", "Puebla"), ("queretaro", "Querétaro"), ("quintana-roo", "Quintana Roo"),
    ("san-luis-potosi", "San Luis Potosí"), ("sinaloa", "Sinaloa"), ("sonora", "Sonora"), ("tabasco", "Tabasco"),
    ("tamaulipas", "Tamaulipas"), ("tlaxcala", "Tlaxcala"), ("veracruz", "Veracruz"), ("yucatan", "Yucatán"),
    ("zacatecas", "Zacatecas"),
]
SPECIALTIES = [
    ("cardiology", "Cardiología", "Cardiology"),
    ("oncology", "Oncología", "Oncology"),
    ("orthopedics", "Ortopedia y traumatología", "Orthopedics and traumatology"),
    ("radiology", "Radiología", "Radiology"),
    ("general-surgery", "Cirugía general", "General surgery"),
    ("intensive-care", "Medicina crítica", "Intensive care"),
    ("nephrology", "Nefrología", "Nephrology"),
    ("neurology", "Neurología", "Neurology"),
    ("ophthalmology", "Oftalmología", "Ophthalmology"),
    ("gynecology", "Ginecología y obstetricia", "Gynecology and obstetrics"),
    ("pediatrics", "Pediatría", "Pediatrics"),
    ("biomedical-engineering", "Ingeniería biomédica", "Biomedical engineering"),
]


def seed(apps, schema_editor):
    Term = apps.get_model("events", "Term")
    vocabularies = {
        "device_category": DEVICE_CATEGORIES,
        "capability": CAPABILITIES,
        "certification": CERTIFICATIONS,
        "state": [(slug, name, name) for slug, name in STATES],
        "specialty": SPECIALTIES,
    }
    for vocabulary, terms in vocabularies.items():
        for position, (slug, name_es, name_en) in enumerate(terms):
            Term.objects.get_or_create(
                vocabulary=vocabulary, slug=slug,
                defaults={"name_es": name_es, "name_en": name_en, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
