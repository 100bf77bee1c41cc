"""Admin of the program: tracks, speakers and sessions."""

from django.contrib import admin

from .models import Session, Speaker, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "event", "color"]
    list_filter = ["event"]
    search_fields = ["name_es", "name_en"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "event"]
    list_filter = ["event"]
    search_fields = ["name", "affiliation", "email"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "end", "room", "track", "language", "training_hours"]
    list_filter = ["event", "kind", "language", "track", "room"]
    search_fields = ["title", "speakers__name"]
    date_hierarchy = "start"
    autocomplete_fields = ["speakers"]
    list_select_related = ["room", "track"]
