"""Dates, times and numbers as people write them, in Spanish (Mexico) and English.

Django's Spanish formats capitalize day and month names ("Martes 28 Octubre"); Spanish writes them
in lower case with "de" ("martes 28 de octubre", "28 de octubre de 2025"). Every page, email, PDF
and calendar summary formats through these functions (templates: the filters of
`expo.lib.template_library`, available everywhere), so a date reads the same wherever it appears.
Times are shown in the fair's time zone (America/Mexico_City).
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language

DAYS = {
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}  # fmt: skip


def _language(language: str | None) -> str:
    return "en" if (language or get_language() or "es").lower().startswith("en") else "es"


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day_label(value: date | datetime, language: str | None = None) -> str:
    """The day with its weekday: "martes 28 de octubre" / "Tuesday 28 October"."""
    value, lang = _local(value), _language(language)
    weekday, month = DAYS[lang][value.weekday()], MONTHS[lang][value.month - 1]
    return f"{weekday} {value.day} de {month}" if lang == "es" else f"{weekday} {value.day} {month}"


def date_long(value: date | datetime, language: str | None = None) -> str:
    """A full date: "28 de octubre de 2025" / "28 October 2025"."""
    value, lang = _local(value), _language(language)
    month = MONTHS[lang][value.month - 1]
    return f"{value.day} de {month} de {value.year}" if lang == "es" else f"{value.day} {month} {value.year}"


def time_short(value: datetime) -> str:
    """24-hour time in the fair's time zone: "09:06"."""
    return _local(value).strftime("%H:%M")


def datetime_short(value: datetime, language: str | None = None) -> str:
    """A moment of the fair: "29 de noviembre, 09:06" / "29 November, 09:06"."""
    value, lang = _local(value), _language(language)
    month = MONTHS[lang][value.month - 1]
    day = f"{value.day} de {month}" if lang == "es" else f"{value.day} {month}"
    return f"{day}, {value:%H:%M}"


def slot_label(start: datetime, end: datetime, language: str | None = None) -> str:
    """A time range on a day: "martes 28 de octubre, 10:00–10:20"."""
    return f"{day_label(start, language)}, {time_short(start)}–{time_short(end)}"


def thousands(value) -> str:
    """A number with thousands separators: 3,351."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, force_grouping=True)
