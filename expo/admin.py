"""Admin of the core event domain: editions, program, pass types, registrations, scans, taxonomies."""

import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Attendee, BadgeScan, Event, OutboxEmail, PassType, Room, Session, Speaker, Term, Track, Venue


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads the accents right
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


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
    actions = ["export_csv", "print_badges", "cancel_registrations"]
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

    @admin.action(description=_("Export selected registrations (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (
            [
                a.pk,
                a.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                a.status,
                a.pass_type.slug,
                a.email,
                a.first_name,
                a.last_name,
                a.organization_name,
                a.organization_kind,
                a.job_title,
                a.state.name if a.state else "",
                a.country,
                a.language,
                "yes" if a.share_with_exhibitors else "no",
                "yes" if a.registered_at_desk else "no",
            ]
            for a in queryset.select_related("pass_type", "state").order_by("pk").iterator(chunk_size=2000)
        )
        header = [
            "id",
            "registered_at",
            "status",
            "pass_type",
            "email",
            "first_name",
            "last_name",
            "organization",
            "organization_kind",
            "job_title",
            "state",
            "country",
            "language",
            "shares_with_exhibitors",
            "at_desk",
        ]
        return csv_response(f"registrations-{timezone.localdate()}.csv", header, rows)

    @admin.action(description=_("Print badges of the selected registrations (PDF)"), permissions=["view"])
    def print_badges(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:2000])
        return redirect(f"{reverse('desk-badges')}?ids={ids}")

    @admin.action(description=_("Cancel the selected registrations (frees their seats)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        count = 0
        for attendee in queryset.exclude(status=Attendee.Status.CANCELLED).select_related("pass_type"):
            services.registration_cancel(attendee=attendee)
            count += 1
        self.message_user(request, _("%(count)d registrations cancelled.") % {"count": count}, messages.SUCCESS)


@admin.register(BadgeScan)
class BadgeScanAdmin(admin.ModelAdmin):
    actions = ["export_csv"]
    list_display = ["attendee", "kind", "session", "day", "scanned_at", "gate"]
    list_filter = ["event", "kind", "day", "gate"]
    search_fields = ["attendee__email", "attendee__last_name", "session__title"]
    date_hierarchy = "scanned_at"
    list_select_related = ["attendee", "session"]
    raw_id_fields = ["attendee", "session"]

    @admin.action(description=_("Export selected scans (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (
            [
                s.pk,
                s.scanned_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                s.day,
                s.kind,
                s.gate,
                s.attendee.email,
                s.attendee.full_name,
                s.session.title if s.session else "",
            ]
            for s in queryset.select_related("attendee", "session").order_by("pk").iterator(chunk_size=2000)
        )
        header = ["id", "scanned_at", "day", "kind", "gate", "email", "name", "session"]
        return csv_response(f"scans-{timezone.localdate()}.csv", header, rows)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "attendee", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["attendee__email"]
    list_select_related = ["attendee"]
    raw_id_fields = ["attendee"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
