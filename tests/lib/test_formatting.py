"""Dates and numbers read as people write them, in Spanish and English."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from expo.lib.formatting import date_long, datetime_short, day_label, slot_label, thousands

MX = ZoneInfo("America/Mexico_City")


def test_spanish_writes_days_and_months_in_lower_case_with_de():
    assert day_label(date(2025, 10, 28), "es-mx") == "martes 28 de octubre"
    assert date_long(date(2025, 10, 28), "es-mx") == "28 de octubre de 2025"
    assert datetime_short(datetime(2025, 11, 29, 9, 6, tzinfo=MX), "es-mx") == "29 de noviembre, 09:06"


def test_english_has_its_own_order_and_capitals():
    assert day_label(date(2025, 10, 28), "en") == "Tuesday 28 October"
    assert date_long(date(2025, 10, 28), "en") == "28 October 2025"


def test_times_are_shown_in_mexico_city_whatever_the_stored_zone():
    start = datetime(2025, 10, 28, 16, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Mexico City
    assert slot_label(start, start.replace(minute=20), "es") == "martes 28 de octubre, 10:00–10:20"


def test_template_filters_follow_the_active_language():
    template = Template("{{ day|day_label }} · {{ count|thousands }}")
    with translation.override("es-mx"):
        assert template.render(Context({"day": date(2025, 10, 30), "count": 3351})) == "jueves 30 de octubre · 3,351"
    with translation.override("en"):
        assert template.render(Context({"day": date(2025, 10, 30), "count": 3351})) == "Thursday 30 October · 3,351"
    assert thousands(None) == ""
