"""App config of the event core: taxonomies, venues, rooms and editions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "expo.events"
    label = "events"
    verbose_name = _("Editions and venues")
