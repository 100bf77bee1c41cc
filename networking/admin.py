"""Admin of B2B networking: spaces (slot grid, printable table codes), tables, slots, profiles,
requests, meetings (lock, cancel, publish), settings and quotas, and the scheduler's runs."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import ScheduleRunForm, SlotGridForm
from .models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    NetworkingSettings,
    NetworkingSpace,
    Profile,
    RoleQuota,
    ScheduleRun,
    Slot,
    Table,
)
from .scheduling import services as scheduling


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class TableInline(admin.TabularInline):
    model = Table
    extra = 0


@admin.register(NetworkingSpace)
class NetworkingSpaceAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "code", "event", "location", "links"]
    list_filter = ["event"]
    search_fields = ["name_es", "name_en", "code"]
    inlines = [TableInline]
    filter_horizontal = ["slots"]

    @admin.display(description=_("tools"))
    def links(self, space):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:networking_networkingspace_slot_grid", args=[space.pk]), gettext("Generate slots"),
            reverse("networking:tables-sheet", args=[space.pk]), gettext("Print table codes"),
        )  # fmt: skip

    def get_urls(self):
        return [
            path(
                "<int:space_id>/slot-grid/",
                self.admin_site.admin_view(self.slot_grid_view),
                name="networking_networkingspace_slot_grid",
            )
        ] + super().get_urls()

    def slot_grid_view(self, request, space_id: int):
        """Open the space on a day in rounds of N minutes (creating the global slots it needs)."""
        space = get_object_or_404(NetworkingSpace.objects.select_related("event"), pk=space_id)
        if not self.has_change_permission(request, space):
            return redirect("admin:index")
        form = SlotGridForm(request.POST or None, initial={"day": space.event.start_date})
        if request.method == "POST" and form.is_valid():
            try:
                result = scheduling.slot_grid_generate(space=space, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                self.message_user(
                    request,
                    gettext("%(created)d slots created; the space is now open in %(opened)d more slots.")
                    % {"created": result.created, "opened": result.opened},
                    messages.SUCCESS,
                )
                return redirect("admin:networking_networkingspace_change", space.pk)
        context = {**self.admin_site.each_context(request), "title": gettext("Generate slots"), "space": space,
                   "form": form, "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/networking/slot_grid.html", context)


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "space", "number"]
    list_filter = ["space__event", "space"]
    search_fields = ["space__name_es"]
    list_select_related = ["space"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "start", "end"]
    list_filter = ["event"]
    date_hierarchy = "start"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["attendee", "role", "organization", "max_meetings", "is_active"]
    list_filter = ["event", "role", "is_active"]
    search_fields = ["attendee__email", "attendee__last_name", "organization__name"]
    list_select_related = ["attendee", "organization"]
    raw_id_fields = ["attendee", "organization"]
    filter_horizontal = ["offers", "needs", "certifications", "availability"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "status", "created_at", "expires_at"]
    list_filter = ["event", "status"]
    search_fields = ["sender__attendee__email", "recipient__attendee__email"]
    list_select_related = ["sender__attendee", "recipient__attendee"]
    raw_id_fields = ["sender", "recipient"]


class MeetingSeatInline(admin.TabularInline):
    model = MeetingSeat
    extra = 0
    raw_id_fields = ["profile"]
    readonly_fields = ["checked_in_at", "took_place", "feedback", "deal_value", "answered_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    actions = ["lock", "unlock", "cancel", "publish_drafts"]
    list_display = ["__str__", "status", "is_locked", "score", "run", "created_at"]
    list_filter = ["event", "status", "is_locked", "table__space"]
    search_fields = ["seats__profile__attendee__email"]
    list_select_related = ["slot", "table__space", "run__event"]
    raw_id_fields = ["request", "cancelled_by", "run"]
    inlines = [MeetingSeatInline]

    @admin.action(description=_("Lock the selected meetings (re-runs keep them)"), permissions=["change"])
    def lock(self, request, queryset):
        for meeting in queryset:
            services.meeting_lock(meeting=meeting, locked=True)
        self.message_user(request, gettext("Meetings locked."), messages.SUCCESS)

    @admin.action(description=_("Unlock the selected meetings"), permissions=["change"])
    def unlock(self, request, queryset):
        for meeting in queryset:
            services.meeting_lock(meeting=meeting, locked=False)
        self.message_user(request, gettext("Meetings unlocked."), messages.SUCCESS)

    @admin.action(description=_("Cancel the selected meetings (emails both sides)"), permissions=["change"])
    def cancel(self, request, queryset):
        count = 0
        for meeting in queryset.live():
            services.meeting_cancel(meeting=meeting)
            count += 1
        self.message_user(request, gettext("%(count)d meetings cancelled.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish every draft of the selected meetings' editions"), permissions=["change"])
    def publish_drafts(self, request, queryset):
        total = 0
        for event_id in set(queryset.values_list("event_id", flat=True)):
            total += scheduling.schedule_publish(event=queryset.filter(event_id=event_id).first().event)
        self.message_user(request, gettext("%(count)d meetings published.") % {"count": total}, messages.SUCCESS)


@admin.register(MeetingSeat)
class MeetingSeatAdmin(admin.ModelAdmin):
    list_display = ["profile", "meeting", "slot", "is_active", "checked_in_at", "took_place", "deal_value"]
    list_filter = ["is_active", "took_place", "meeting__event"]
    search_fields = ["profile__attendee__email", "profile__attendee__last_name"]
    list_select_related = ["profile__attendee", "meeting__table__space", "meeting__slot", "slot"]
    raw_id_fields = ["meeting", "profile"]


class RoleQuotaInline(admin.TabularInline):
    model = RoleQuota
    extra = 0


@admin.register(NetworkingSettings)
class NetworkingSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "request_expiry_hours", "daily_request_quota", "links"]
    inlines = [RoleQuotaInline]

    @admin.display(description=_("outcome"))
    def links(self, settings_):
        url = reverse("networking:outcome-report") + f"?event={settings_.event_id}"
        return format_html('<a href="{}">{}</a>', url, gettext("Outcome report"))


@admin.register(RoleQuota)
class RoleQuotaAdmin(admin.ModelAdmin):
    list_display = ["settings", "role", "daily_requests"]
    list_filter = ["role"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    """Runs of the scheduler: start one, watch its progress, read its quality, publish."""

    change_list_template = "admin/networking/schedulerun/change_list.html"
    actions = ["publish"]
    list_display = ["created_at", "event", "status", "progress_bar", "quality", "started_at", "finished_at"]
    list_filter = ["event", "status"]
    readonly_fields = [
        "event", "status", "progress", "time_limit", "seed", "created_at", "created_by", "started_at",
        "finished_at", "quality_table", "error",
    ]  # fmt: skip
    exclude = ["metrics"]

    def has_add_permission(self, request):
        return False  # started with the "Run the scheduler" form, through the service

    @admin.display(description=_("progress"))
    def progress_bar(self, run):
        return format_html('<progress max="100" value="{}"></progress> {}%', run.progress, run.progress)

    @admin.display(description=_("quality"))
    def quality(self, run):
        m = run.metrics or {}
        if "coverage" not in m:
            return "—"
        return gettext(
            "%(meetings)s meetings · must %(must)s/%(must_bound)s · coverage %(coverage)s (bound %(coverage_bound)s)"
            " · weight ratio %(ratio)s"
        ) % {
            "meetings": m.get("meetings"), "must": m.get("must_scheduled"), "must_bound": m.get("must_bound", "?"),
            "coverage": m.get("coverage"), "coverage_bound": m.get("coverage_bound", "?"), "ratio": m.get("ratio", "?"),
        }  # fmt: skip

    @admin.display(description=_("quality against the checker's measures"))
    def quality_table(self, run):
        items = [(key, value) for key, value in (run.metrics or {}).items() if key != "violations"]
        if not items:
            return "—"
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", items))

    def get_urls(self):
        return [
            path("run/", self.admin_site.admin_view(self.run_view), name="networking_schedulerun_run"),
        ] + super().get_urls()

    def run_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = ScheduleRunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                scheduling.schedule_run_start(
                    event=form.cleaned_data["event"], user=request.user, time_limit=form.cleaned_data["time_limit"]
                )
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                self.message_user(request, gettext("The scheduler is running; this page shows its progress."))
                return redirect("admin:networking_schedulerun_changelist")
        context = {**self.admin_site.each_context(request), "title": gettext("Run the scheduler"), "form": form,
                   "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/networking/schedule_run_form.html", context)

    @admin.action(description=_("Publish the drafts of the selected runs' editions (emails participants)"),
                  permissions=["change"])  # fmt: skip
    def publish(self, request, queryset):
        total = 0
        for run in queryset.select_related("event"):
            total += scheduling.schedule_publish(event=run.event)
        self.message_user(request, gettext("%(count)d meetings published.") % {"count": total}, messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "running": ScheduleRun.objects.active().exists(),
        }  # fmt: skip
        return super().changelist_view(request, extra_context)
