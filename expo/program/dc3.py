"""Checks of the optional DC-3 (STPS) fields: CURP, employer's RFC, occupation code.

CURP and RFC are checked by python-stdnum (structure, date of birth or incorporation, CURP check
digit, state code). The RFC's own check digit is not enforced: many valid RFCs in use predate the
current algorithm, and refusing a real one would stop a visitor from getting their constancia.
The occupation is the key of the Catálogo Nacional de Ocupaciones that the DC-3 asks for: an area
(01 to 11) and a subarea, "09.1".
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as NumberError
from stdnum.mx import curp as curp_number
from stdnum.mx import rfc as rfc_number

OCCUPATION = re.compile(r"^(0[1-9]|1[01])\.[1-9]\d?$")


def curp_clean(value: str) -> str:
    value = "".join(value.split()).upper()
    if not value:
        return ""
    try:
        return curp_number.validate(value)
    except NumberError:
        raise ValidationError(
            _("This is not a valid CURP: 18 characters, as on your CURP document (e.g. GODE561231HDFRRN00)."),
            code="curp",
        )


def rfc_clean(value: str) -> str:
    value = "".join(value.split()).upper().replace("-", "")
    if not value:
        return ""
    try:
        return rfc_number.validate(value, validate_check_digits=False)
    except NumberError:
        raise ValidationError(
            _("This is not a valid RFC: 12 characters for a company (e.g. ABC680524P76), 13 for a person."),
            code="rfc",
        )


def occupation_clean(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if not OCCUPATION.match(value):
        raise ValidationError(
            _("Write the occupation's key from the national catalogue: area 01 to 11, a dot, the subarea (e.g. 09.1)."),
            code="occupation",
        )
    return value
