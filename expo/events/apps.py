"""App config of the event core: taxonomies, venues, rooms and editions."""

from django.apps import AppConfig
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext_lazy as _

from expo.lib.parsing import IdConverter


class EventsConfig(AppConfig):
    name = "expo.events"
    label = "events"
    verbose_name = _("Editions and venues")

    def ready(self):
        # `<id:...>` in every app's URLs (ids that fit the database; see IdConverter).
        if "id" not in get_converters():
            register_converter(IdConverter, "id")
