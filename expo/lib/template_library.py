"""Template filters for dates, times and numbers (expo.lib.formatting), loaded in every template
(settings TEMPLATES "builtins"): {{ day|day_label }}, {{ event.start_date|date_long }},
{{ moment|datetime_short }}, {{ moment|time_short }}, {{ count|thousands }}."""

from django import template

from . import formatting

register = template.Library()
for name in ("day_label", "date_long", "datetime_short", "time_short", "thousands"):
    register.filter(name, getattr(formatting, name))
