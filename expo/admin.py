"""Admin of the core event domain: editions, program, pass types, registrations, scans, taxonomies."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Attendee, BadgeScan, Event, PassType, Room, Session, Speaker, Term, Track, Venue

admin.site.site_header = _("Medical Expo administration")
admin.site.site_title = _("Medical Expo")
admin.site.index_title = _("Organizer panel")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "vocabulary", "slug", "position", "is_active"]
    list_filter = ["vocabulary", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name_es", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_es"]}


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "capacity"]
    list_filter = ["venue"]
    search_fields = ["name"]


class PassTypeInline(admin.TabularInline):
    model = PassType
    extra = 0
    fields = [
        "name_es",
        "name_en",
        "slug",
        "capacity",
        "registered_count",
        "sales_start",
        "sales_end",
        "includes_training",
        "includes_b2b",
        "is_public",
    ]
    readonly_fields = ["registered_count"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "venue", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PassTypeInline]


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


@admin.register(PassType)
class PassTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name_es",
        "event",
        "capacity",
        "registered_count",
        "sales_start",
        "sales_end",
        "includes_training",
        "includes_b2b",
        "is_public",
    ]
    list_filter = ["event", "includes_training", "includes_b2b", "is_public"]
    search_fields = ["name_es", "name_en", "slug"]
    readonly_fields = ["registered_count"]


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "email",
        "organization_name",
        "organization_kind",
        "pass_type",
        "status",
        "created_at",
    ]
    list_filter = ["event", "status", "pass_type", "organization_kind", "language", "share_with_exhibitors"]
    search_fields = ["email", "first_name", "last_name", "organization_name", "badge_code"]
    date_hierarchy = "created_at"
    list_select_related = ["pass_type"]
    readonly_fields = ["badge_code", "created_at", "privacy_accepted_at", "cancelled_at"]
    filter_horizontal = ["interests"]


@admin.register(BadgeScan)
class BadgeScanAdmin(admin.ModelAdmin):
    list_display = ["attendee", "kind", "session", "day", "scanned_at", "gate"]
    list_filter = ["event", "kind", "day", "gate"]
    search_fields = ["attendee__email", "attendee__last_name", "session__title"]
    date_hierarchy = "scanned_at"
    list_select_related = ["attendee", "session"]
    raw_id_fields = ["attendee", "session"]
