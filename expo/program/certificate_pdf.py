"""The certificate of training hours (constancia) as a bilingual PDF, with reportlab.

Page one, in Spanish with English beneath: who, how many hours, at which edition, the sessions
credited (continued on further pages when long), the signer, the issue date, and a QR that opens the
public verification page with the code printed under it. When the visitor gave the DC-3 fields, a
page laid out like the STPS DC-3 format follows (worker, employer, training programme, signatures).

Everything is drawn from what the certificate kept when it was issued, never from live data. All
text goes through `_text`, which draws with expo/lib/pdf_text.py (embedded DejaVu Sans, CJK
fallbacks), so names in any script print as written.
"""

from datetime import datetime
from decimal import Decimal
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from expo.lib.formatting import date_long
from expo.lib.pdf_text import text_draw

from .certificates import certificate_code, verification_url
from .models import Certificate

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 18 * mm
BRAND = (0.043, 0.431, 0.6)
INK = (0.1, 0.15, 0.2)
MUTED = (0.36, 0.42, 0.48)


def _text(canvas: Canvas, x: float, y: float, text: str, *, size: float = 10, bold: bool = False,
          align: str = "left", color=INK, width: float | None = None) -> None:  # fmt: skip
    """Draw one line of text (shrunk to `width` when given) in a font that has its letters
    (expo/lib/pdf_text.py: DejaVu Sans, CJK fallbacks), so "Łukasz Dvořák" prints as written."""
    canvas.setFillColorRGB(*color)
    text_draw(canvas, text, x=x, y=y, size=size, width=width, bold=bold, align=align, minimum=7)


def _hours(value) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def _qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _day(iso: str, language: str) -> str:
    return date_long(datetime.fromisoformat(iso), language)


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColorRGB(*BRAND)
    canvas.setLineWidth(2)
    canvas.rect(8 * mm, 8 * mm, PAGE_W - 16 * mm, PAGE_H - 16 * mm)


def _sessions_table(canvas: Canvas, sessions: list[dict], y: float, bottom: float) -> tuple[float, list[dict]]:
    """Draw session lines from `y` down to `bottom`; return where it stopped and what is left."""
    width = PAGE_W - 2 * MARGIN
    _text(canvas, MARGIN, y, "Sesiones acreditadas · Sessions credited", size=10, bold=True, color=BRAND)
    y -= 6 * mm
    for index, line in enumerate(sessions):
        if y < bottom:
            return y, sessions[index:]
        _text(canvas, MARGIN, y, line["title"], size=9, width=width - 70 * mm)
        _text(canvas, PAGE_W - MARGIN - 22 * mm, y, _day(line["start"], "es"), size=8.5, align="right", color=MUTED)
        _text(canvas, PAGE_W - MARGIN, y, f"{_hours(line['hours'])} h", size=9, bold=True, align="right")
        y -= 5 * mm
    return y, []


def _first_page(canvas: Canvas, certificate: Certificate) -> list[dict]:
    event = certificate.event
    _frame(canvas)
    center = PAGE_W / 2
    y = PAGE_H - 28 * mm
    _text(canvas, center, y, event.name, size=13, bold=True, align="center", color=BRAND)
    y -= 14 * mm
    _text(canvas, center, y, "CONSTANCIA DE HORAS DE CAPACITACIÓN", size=22, bold=True, align="center")
    y -= 7 * mm
    _text(canvas, center, y, "Certificate of training hours", size=13, align="center", color=MUTED)
    y -= 13 * mm
    _text(canvas, center, y, "Se otorga a · Awarded to", size=10, align="center", color=MUTED)
    y -= 12 * mm
    _text(canvas, center, y, certificate.full_name, size=26, bold=True, align="center", width=PAGE_W - 2 * MARGIN)
    y -= 11 * mm
    hours = _hours(certificate.hours)
    where = f"{event.venue.name}, {event.venue.city}" if event.venue_id else ""
    dates_es = f"{date_long(event.start_date, 'es')} – {date_long(event.end_date, 'es')}"
    dates_en = f"{date_long(event.start_date, 'en')} – {date_long(event.end_date, 'en')}"
    _text(canvas, center, y, f"por acreditar {hours} horas de capacitación en {event.name}, {where}, {dates_es}.",
          size=11, align="center", width=PAGE_W - 2 * MARGIN)  # fmt: skip
    y -= 5.5 * mm
    _text(canvas, center, y, f"for {hours} hours of certified training at {event.name}, {where}, {dates_en}.",
          size=10, align="center", color=MUTED, width=PAGE_W - 2 * MARGIN)  # fmt: skip
    y -= 12 * mm
    _y, rest = _sessions_table(canvas, certificate.sessions, y, bottom=58 * mm)
    # Footer: signer, issue date, QR and code.
    settings_ = getattr(event, "program_settings", None)
    signer = getattr(settings_, "certificate_signer_name", "") or "Comité organizador · Organizing committee"
    signer_title = getattr(settings_, "certificate_signer_title", "")
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, 34 * mm, MARGIN + 80 * mm, 34 * mm)
    _text(canvas, MARGIN, 29 * mm, signer, size=10, bold=True, width=80 * mm)
    if signer_title:
        _text(canvas, MARGIN, 24.5 * mm, signer_title, size=9, color=MUTED, width=80 * mm)
    issued = f"Emitida el {date_long(certificate.issued_at, 'es')} · Issued {date_long(certificate.issued_at, 'en')}"
    _text(canvas, MARGIN, 16 * mm, issued, size=8.5, color=MUTED)
    qr_size = 34 * mm
    qr_x = PAGE_W - MARGIN - qr_size
    _qr(canvas, verification_url(certificate), qr_x, 20 * mm, qr_size)
    code = certificate_code(certificate)
    _text(canvas, PAGE_W - MARGIN, 17 * mm, code, size=6.5, align="right", color=MUTED)
    _text(canvas, qr_x - 3 * mm, 44 * mm, "Verifica esta constancia con el código QR", size=8.5, align="right",
          color=MUTED)  # fmt: skip
    _text(canvas, qr_x - 3 * mm, 40 * mm, "Scan the QR code to verify this certificate", size=8.5, align="right",
          color=MUTED)  # fmt: skip
    return rest


def _more_sessions_page(canvas: Canvas, certificate: Certificate, rest: list[dict]) -> list[dict]:
    _frame(canvas)
    _text(canvas, MARGIN, PAGE_H - 24 * mm, f"{certificate.full_name} · {certificate.event.name}", size=11, bold=True)
    _y, rest = _sessions_table(canvas, rest, PAGE_H - 34 * mm, bottom=20 * mm)
    return rest


def _box(canvas: Canvas, x: float, y: float, w: float, label: str, value: str) -> None:
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, w, 11 * mm)
    _text(canvas, x + 2 * mm, y + 7.5 * mm, label, size=6.5, color=MUTED, width=w - 4 * mm)
    _text(canvas, x + 2 * mm, y + 2.5 * mm, value or "", size=10, bold=True, width=w - 4 * mm)


def _dc3_page(canvas: Canvas, certificate: Certificate) -> None:
    """A page laid out like the DC-3 (STPS): constancia de competencias o de habilidades laborales."""
    dc3, event = certificate.dc3, certificate.event
    settings_ = getattr(event, "program_settings", None)
    _frame(canvas)
    width = PAGE_W - 2 * MARGIN
    y = PAGE_H - 24 * mm
    _text(canvas, PAGE_W / 2, y, "FORMATO DC-3", size=14, bold=True, align="center")
    y -= 6 * mm
    _text(canvas, PAGE_W / 2, y, "CONSTANCIA DE COMPETENCIAS O DE HABILIDADES LABORALES", size=11, bold=True,
          align="center")  # fmt: skip
    y -= 5 * mm
    _text(canvas, PAGE_W / 2, y, "Certificate of labour competences or skills (Mexico, STPS)", size=8.5,
          align="center", color=MUTED)  # fmt: skip
    sections = [
        ("DATOS DEL TRABAJADOR · Worker", [
            [("Nombre (anotar apellido paterno, apellido materno y nombre(s))", certificate.full_name, 1.0)],
            [("Clave Única de Registro de Población (CURP)", dc3.get("curp", ""), 0.5),
             ("Ocupación específica (Catálogo Nacional de Ocupaciones)", dc3.get("occupation", ""), 0.5)],
            [("Puesto · Position", dc3.get("job_title", ""), 1.0)],
        ]),
        ("DATOS DE LA EMPRESA · Employer", [
            [("Nombre o razón social", dc3.get("employer_name", ""), 0.6),
             ("Registro Federal de Contribuyentes (RFC)", dc3.get("employer_rfc", ""), 0.4)],
        ]),
        ("DATOS DEL PROGRAMA DE CAPACITACIÓN · Training", [
            [("Nombre del curso", f"Programa de capacitación {event.name}", 0.7),
             ("Duración en horas", _hours(certificate.hours), 0.3)],
            [("Periodo de ejecución: de", _day(certificate.sessions[0]["start"], "es"), 0.35),
             ("a", _day(certificate.sessions[-1]["end"], "es"), 0.35),
             ("Área temática del curso", "Dispositivos médicos", 0.3)],
            [("Nombre del agente capacitador o STPS", getattr(settings_, "training_provider", "") or event.name, 0.6),
             ("Registro del agente capacitador", getattr(settings_, "training_provider_registration", ""), 0.4)],
        ]),
    ]  # fmt: skip
    y -= 8 * mm
    for title, rows in sections:
        _text(canvas, MARGIN, y, title, size=9, bold=True, color=BRAND)
        y -= 2 * mm
        for row in rows:
            y -= 11 * mm
            x = MARGIN
            for label, value, share in row:
                _box(canvas, x, y, width * share, label, value)
                x += width * share
        y -= 6 * mm
    signatures = ["Instructor o tutor", "Patrón o representante legal", "Representante de los trabajadores"]
    column = width / 3
    for index, label in enumerate(signatures):
        x = MARGIN + index * column
        canvas.line(x + 6 * mm, 26 * mm, x + column - 6 * mm, 26 * mm)
        _text(canvas, x + column / 2, 21 * mm, label, size=8, align="center", color=MUTED)
    _text(canvas, PAGE_W - MARGIN, 13 * mm, f"{certificate_code(certificate)}", size=6.5, align="right", color=MUTED)


def certificate_pdf(certificate: Certificate) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
    canvas.setTitle(f"Constancia · {certificate.full_name} · {certificate.event.name}")
    canvas.setAuthor(certificate.event.name)
    rest = _first_page(canvas, certificate)
    canvas.showPage()
    while rest:
        rest = _more_sessions_page(canvas, certificate, rest)
        canvas.showPage()
    if certificate.dc3:
        _dc3_page(canvas, certificate)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
