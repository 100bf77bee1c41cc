"""Admin of the program. Writes with rules go through the services: a session moved, cancelled or
given another capacity in the admin emails the people booked and updates calendars, as anywhere.
Sessions and speakers import and export in bulk (CSV, XLSX)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from expo.lib.exports import BULK_FORMATS

from . import services
from .models import (
    Attendance,
    CalendarFeed,
    Certificate,
    CertificateBatch,
    Dc3Details,
    Enrollment,
    ProgramSettings,
    RoomScan,
    SavedSession,
    Session,
    Speaker,
    Track,
)
from .resources import SessionResource, SpeakerResource


@admin.register(ProgramSettings)
class ProgramSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "attendance_share", "offer_hours", "scan_margin_minutes"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "event", "color"]
    list_filter = ["event"]
    search_fields = ["name_es", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.track_sessions_refresh(track_id=obj.pk)


@admin.register(Speaker)
class SpeakerAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [SpeakerResource]
    formats = BULK_FORMATS
    list_display = ["name", "affiliation", "position", "event"]
    list_filter = ["event"]
    search_fields = ["name", "affiliation", "email"]

    def save_model(self, request, obj, form, change):
        services.speaker_save(speaker=obj)


@admin.register(Session)
class SessionAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [SessionResource]
    formats = BULK_FORMATS
    list_display = ["title", "kind", "start", "end", "room", "status", "enrollment_required", "capacity",
                    "enrolled_count", "training_hours"]  # fmt: skip
    list_filter = ["event", "status", "kind", "enrollment_required", "language", "track", "room"]
    search_fields = ["title", "speakers__name"]
    date_hierarchy = "start"
    autocomplete_fields = ["speakers"]
    list_select_related = ["room", "track"]
    readonly_fields = ["enrolled_count", "sequence", "updated_at"]
    actions = ["cancel_sessions"]

    def save_model(self, request, obj, form, change):
        # The services write the session (after save_related sets the speakers, the search text is refreshed).
        # The form's clean() below already refused what the service would (capacity under the seats taken).
        previous = Session.objects.select_related("room").get(pk=obj.pk) if change else None
        services.session_save(session=obj, previous=previous)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.session_search_refresh(session_ids=[form.instance.pk])

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        previous = obj

        class ServiceCheckedForm(form):
            def clean(self):
                data = super().clean()
                capacity = data.get("capacity")
                if data.get("enrollment_required") and capacity is None:
                    self.add_error("capacity", _("A session that takes enrollments needs a capacity."))
                if previous is not None and capacity is not None and capacity < previous.enrolled_count:
                    self.add_error("capacity", _("%(taken)s seats are taken: the capacity cannot be lower.")
                                   % {"taken": previous.enrolled_count})  # fmt: skip
                return data

        return ServiceCheckedForm

    @admin.action(description=_("Cancel the selected sessions (the people booked are emailed)"))
    def cancel_sessions(self, request, queryset):
        count = 0
        for session in queryset.select_related("room"):
            if not session.is_cancelled:
                services.session_cancel(session=session)
                count += 1
        self.message_user(request, ngettext("%(n)d session cancelled.", "%(n)d sessions cancelled.", count)
                          % {"n": count}, messages.SUCCESS)  # fmt: skip


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["attendee", "session", "status", "created_at", "waitlisted_at", "offer_expires_at"]
    list_filter = ["status", "session__event"]
    search_fields = ["attendee__email", "attendee__last_name", "session__title"]
    list_select_related = ["attendee", "session"]
    raw_id_fields = ["attendee", "session"]
    actions = ["cancel_enrollments"]

    def has_add_permission(self, request):
        return False  # visitors enroll themselves; seats are counted by the services only

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected enrollments (freed seats go to the waitlist)"))
    def cancel_enrollments(self, request, queryset):
        for enrollment in queryset:
            services.enrollment_cancel(enrollment=enrollment)
        self.message_user(request, _("Done."), messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("program.delete_enrollment"):
            actions.pop("cancel_enrollments", None)
        actions.pop("delete_selected", None)  # a delete would leave the seat counter wrong
        return actions

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SavedSession)
class SavedSessionAdmin(admin.ModelAdmin):
    list_display = ["attendee", "session", "created_at"]
    list_select_related = ["attendee", "session"]
    raw_id_fields = ["attendee", "session"]


@admin.register(RoomScan)
class RoomScanAdmin(admin.ModelAdmin):
    list_display = ["attendee", "session", "direction", "scanned_at", "device", "scanned_by"]
    list_filter = ["direction", "event"]
    search_fields = ["attendee__email", "attendee__last_name", "session__title"]
    list_select_related = ["attendee", "session", "scanned_by"]
    raw_id_fields = ["attendee", "session"]
    date_hierarchy = "scanned_at"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["attendee", "session", "present_seconds", "share", "first_entry_at", "last_exit_at"]
    search_fields = ["attendee__email", "attendee__last_name", "session__title"]
    list_select_related = ["attendee", "session"]
    raw_id_fields = ["attendee", "session"]

    def has_add_permission(self, request):
        return False  # computed from room scans

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dc3Details)
class Dc3DetailsAdmin(admin.ModelAdmin):
    list_display = ["attendee", "curp", "occupation", "employer_name", "employer_rfc"]
    search_fields = ["attendee__email", "curp", "employer_rfc"]
    raw_id_fields = ["attendee"]


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "done", "total", "issued", "unchanged", "created_at", "finished_at"]
    list_filter = ["status", "event"]

    def has_add_permission(self, request):
        return False  # started from the organizers' certificates page

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "hours", "issued_at", "revoked_at", "event"]
    list_filter = ["event", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "attendee__email"]
    readonly_fields = ["event", "attendee", "full_name", "hours", "sessions", "dc3", "issued_at", "batch",
                       "revoked_at", "revoked_reason"]  # fmt: skip
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # issued by the services only

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the verification page must keep saying what happened

    @admin.action(description=_("Revoke the selected certificates"), permissions=["change"])
    def revoke(self, request, queryset):
        for certificate in queryset.filter(revoked_at__isnull=True):
            services.certificate_revoke(certificate=certificate, reason=str(_("Revoked by the organizers")))
        self.message_user(request, _("Revoked."), messages.SUCCESS)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["attendee", "version", "reset_at"]
    raw_id_fields = ["attendee"]
