"""Admin of the event core: editions (with their privacy notice), venues with their rooms, taxonomies."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Event, PrivacyNotice, Room, Term, Venue

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
    list_display = ["name_es", "name_en", "venue", "capacity"]
    list_filter = ["venue"]
    search_fields = ["name_es", "name_en"]


class PrivacyNoticeInline(admin.StackedInline):
    model = PrivacyNotice
    extra = 1
    max_num = 1
    can_delete = False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["event", "responsible_party", "arco_contact", "updated_at"]
    search_fields = ["event__name", "responsible_party"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    inlines = [PrivacyNoticeInline]
    list_display = ["name", "start_date", "end_date", "venue", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
