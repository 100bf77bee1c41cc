"""Admin of the program: tracks, speakers and sessions (with bulk import and export)."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from expo.lib.exports import BULK_FORMATS

from .models import Session, Speaker, Track
from .resources import SessionResource, SpeakerResource


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "event", "color"]
    list_filter = ["event"]
    search_fields = ["name_es", "name_en"]


@admin.register(Speaker)
class SpeakerAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [SpeakerResource]
    formats = BULK_FORMATS
    list_display = ["name", "affiliation", "event"]
    list_filter = ["event"]
    search_fields = ["name", "affiliation", "email"]


@admin.register(Session)
class SessionAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [SessionResource]
    formats = BULK_FORMATS
    list_display = ["title", "kind", "start", "end", "room", "track", "language", "training_hours"]
    list_filter = ["event", "kind", "language", "track", "room"]
    search_fields = ["title", "speakers__name"]
    date_hierarchy = "start"
    autocomplete_fields = ["speakers"]
    list_select_related = ["room", "track"]
