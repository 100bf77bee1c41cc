"""Admin of B2B networking: spaces (slot grid, printable table codes), tables, slots, profiles,
requests, the meetings desk (who meets whom, where and when; search, filters, CSV/XLSX export,
printable agendas per participant and per table, the outcome report and its export; lock, cancel,
publish), settings and quotas, and the scheduler's runs with their quality in words."""

from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from expo.events.models import Event
from expo.events.selectors import event_current
from expo.lib.exports import csv_response, xlsx_response
from expo.lib.formatting import day_label, thousands, time_short
from expo.lib.pagination import EstimatedCountPaginator
from expo.lib.task_queue import TASK_QUEUE_DOWN, task_queue_reachable

from . import agenda_pdf, services
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


def _pdf(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    actions = ["print_sheets"]
    list_display = ["__str__", "space", "number", "sheet"]
    list_filter = ["space__event", "space"]
    search_fields = ["space__name_es", "space__code"]
    list_select_related = ["space"]

    @admin.display(description=_("meetings"))
    def sheet(self, table):
        url = reverse("admin:networking_table_agenda", args=[table.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Table sheet (PDF)"))

    def get_urls(self):
        return [
            path("<int:table_id>/agenda.pdf", self.admin_site.admin_view(self.agenda_view),
                 name="networking_table_agenda"),
        ] + super().get_urls()  # fmt: skip

    def agenda_view(self, request, table_id: int):
        table = get_object_or_404(Table.objects.select_related("space__event"), pk=table_id)
        if not self.has_view_permission(request, table):
            raise PermissionDenied
        return _pdf(f"mesa-{table}.pdf", agenda_pdf.tables_agenda_pdf([table]))

    @admin.action(description=_("Print the sheets of the selected tables (PDF)"), permissions=["view"])
    def print_sheets(self, request, queryset):
        tables = list(queryset.select_related("space__event").order_by("space__code", "number"))
        return _pdf("mesas.pdf", agenda_pdf.tables_agenda_pdf(tables))


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "start", "end"]
    list_filter = ["event"]
    date_hierarchy = "start"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    actions = ["print_agendas"]
    list_display = ["attendee", "role", "organization", "max_meetings", "is_active", "agenda"]
    list_filter = ["event", "role", "is_active"]
    search_fields = ["attendee__email", "attendee__last_name", "attendee__first_name", "attendee__organization_name",
                     "organization__name"]  # fmt: skip
    list_select_related = ["attendee", "organization"]
    raw_id_fields = ["attendee", "organization"]
    filter_horizontal = ["offers", "needs", "certifications", "availability"]

    @admin.display(description=_("agenda"))
    def agenda(self, profile):
        url = reverse("admin:networking_profile_agenda", args=[profile.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Agenda (PDF)"))

    def get_urls(self):
        return [
            path("<int:profile_id>/agenda.pdf", self.admin_site.admin_view(self.agenda_view),
                 name="networking_profile_agenda"),
        ] + super().get_urls()  # fmt: skip

    def agenda_view(self, request, profile_id: int):
        profile = get_object_or_404(Profile.objects.select_related("attendee", "organization", "event"), pk=profile_id)
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        return _pdf(f"agenda-{profile.pk}.pdf", agenda_pdf.participants_agenda_pdf([profile]))

    @admin.action(description=_("Print the agendas of the selected participants (PDF)"), permissions=["view"])
    def print_agendas(self, request, queryset):
        profiles = list(queryset.select_related("attendee", "organization", "event").order_by("attendee__last_name"))
        return _pdf("agendas.pdf", agenda_pdf.participants_agenda_pdf(profiles))


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["sender", "recipient", "status", "created_at", "expires_at"]
    list_filter = ["event", "status"]
    search_fields = ["sender__attendee__email", "sender__attendee__last_name", "recipient__attendee__email",
                     "recipient__attendee__last_name"]  # fmt: skip
    list_select_related = ["sender__attendee", "recipient__attendee"]
    raw_id_fields = ["sender", "recipient"]


class MeetingSeatInline(admin.TabularInline):
    model = MeetingSeat
    extra = 0
    raw_id_fields = ["profile"]
    readonly_fields = ["checked_in_at", "took_place", "feedback", "deal_value", "answered_at"]


class MeetingDayFilter(admin.SimpleListFilter):
    """The days that have slots, in words; a day is midnight to midnight in Mexico City."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        days = Slot.objects.annotate(day=TruncDate("start")).values_list("day", flat=True).distinct().order_by("day")
        return [(day.isoformat(), day_label(day)) for day in days]

    def queryset(self, request, queryset):
        try:
            day = date.fromisoformat(self.value() or "")
        except ValueError:
            return queryset
        start = timezone.make_aware(datetime.combine(day, time.min))
        return queryset.filter(slot__start__gte=start, slot__start__lt=start + timedelta(days=1))


def _person(seat) -> tuple[str, str, str]:
    if seat is None:
        return "", "", ""
    attendee = seat.profile.attendee
    organization = seat.profile.organization.name if seat.profile.organization_id else attendee.organization_name
    return attendee.full_name, organization, attendee.email


def _pair(meeting) -> tuple:
    seats = list(meeting.seats.all())
    return (seats + [None, None])[:2]


# Exports read plain rows (two queries, no model instances): 40,000 meetings in seconds.
MEETING_FIELDS = ("pk", "slot__start", "slot__end", "table__space__code", "table__number", "status", "is_locked",
                  "score")  # fmt: skip
SEAT_FIELDS = ("meeting_id", "profile__attendee__first_name", "profile__attendee__last_name",
               "profile__attendee__email", "profile__attendee__organization_name", "profile__organization__name",
               "checked_in_at", "took_place", "deal_value", "feedback")  # fmt: skip


def _flat_meetings(queryset):
    """(meeting row, [seat rows]) in the queryset's order."""
    queryset = queryset.prefetch_related(None)
    meetings = list(queryset.values_list(*MEETING_FIELDS))
    seats = {}
    rows = MeetingSeat.objects.filter(meeting__in=queryset.values("pk")).order_by("pk").values_list(*SEAT_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        seats.setdefault(row[0], []).append(row)
    for meeting in meetings:
        yield meeting, (seats.get(meeting[0], []) + [None, None])[:2]


def _flat_person(seat) -> list[str]:
    if seat is None:
        return ["", "", ""]
    _meeting, first, last, email, organization_name, organization, *_rest = seat
    return [f"{first} {last}".strip(), organization or organization_name, email]


MEETING_EXPORT_HEADER = [
    "id", "day", "start", "end", "space", "table", "status", "locked", "participant_a", "organization_a", "email_a",
    "participant_b", "organization_b", "email_b", "score",
]  # fmt: skip


def _meeting_rows(queryset):
    for (pk, start, end, space, table, status, locked, score), (a, b) in _flat_meetings(queryset):
        start, end = timezone.localtime(start), timezone.localtime(end)
        yield [pk, start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}", space, table, status,
               "yes" if locked else "no", *_flat_person(a), *_flat_person(b), round(score, 2)]  # fmt: skip


OUTCOME_HEADER = ["id", "day", "start", "space", "table", "participant_a", "organization_a", "participant_b",
                  "organization_b", "outcome", "checked_in", "said_it_took_place", "deal_value_mxn", "feedback_a",
                  "feedback_b"]  # fmt: skip


def _outcome_rows(event, *, at=None):
    """Published meetings and what came of them, by the outcome report's rule (held / no-show / upcoming)."""
    at = at or timezone.now()
    meetings = Meeting.objects.filter(event=event, status=Meeting.Status.PUBLISHED).order_by(
        "slot__start", "table__space__code", "table__number"
    )
    for (pk, start, end, space, table, *_rest), (a, b) in _flat_meetings(meetings):
        seats = [seat for seat in (a, b) if seat is not None]
        said_yes = any(seat[7] is True for seat in seats)
        both_in = len(seats) == 2 and all(seat[6] for seat in seats)
        outcome = "upcoming" if end > at else ("held" if said_yes or both_in else "no_show")
        values = [seat[8] for seat in seats if seat[8] is not None]
        start = timezone.localtime(start)
        yield [pk, start.date().isoformat(), f"{start:%H:%M}", space, table, *_flat_person(a)[:2],
               *_flat_person(b)[:2], outcome, sum(1 for seat in seats if seat[6]),
               sum(1 for seat in seats if seat[7]), max(values) if values and outcome == "held" else "",
               a[9] if a else "", b[9] if b else ""]  # fmt: skip


def _desk_queryset(queryset):
    """Meetings with slot, space, table and both people: three queries for any number of rows."""
    seats = MeetingSeat.objects.select_related("profile__attendee", "profile__organization").order_by("pk")
    return queryset.select_related("slot", "table__space").prefetch_related(Prefetch("seats", queryset=seats))


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """The meetings desk: 40,000 meetings, each with both people, where and when."""

    change_list_template = "admin/networking/meeting/change_list.html"
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    actions = ["lock", "unlock", "cancel", "publish_drafts", "export_csv", "export_xlsx", "print_agendas",
               "print_table_sheets"]  # fmt: skip
    list_display = ["when", "space", "table_number", "participant_a", "participant_b", "status", "is_locked"]
    list_filter = ["event", MeetingDayFilter, "table__space", "status", "is_locked"]
    # Names, organizations and emails of either side ("Castillo" finds Castillo's meetings).
    search_fields = ["seats__profile__attendee__last_name", "seats__profile__attendee__first_name",
                     "seats__profile__attendee__email", "seats__profile__attendee__organization_name",
                     "seats__profile__organization__name"]  # fmt: skip
    list_select_related = ["slot", "table__space"]
    raw_id_fields = ["request", "cancelled_by", "run"]
    inlines = [MeetingSeatInline]

    def get_queryset(self, request):
        return _desk_queryset(super().get_queryset(request))

    @admin.display(description=_("when"), ordering="slot__start")
    def when(self, meeting):
        return f"{day_label(timezone.localdate(meeting.slot.start))}, {time_short(meeting.slot.start)}"

    @admin.display(description=_("space"), ordering="table__space__code")
    def space(self, meeting):
        return meeting.table.space.name

    @admin.display(description=_("table"), ordering="table__number")
    def table_number(self, meeting):
        return f"{meeting.table.space.code}{meeting.table.number}"

    def _participant(self, seat):
        if seat is None:
            return "—"
        name, organization, email = _person(seat)
        return format_html("{}<br><small>{} · {}</small>", name, organization or "—", email)

    @admin.display(description=_("participant"))
    def participant_a(self, meeting):
        return self._participant(_pair(meeting)[0])

    @admin.display(description=_("with"))
    def participant_b(self, meeting):
        return self._participant(_pair(meeting)[1])

    def has_export_permission(self, request):
        return request.user.has_perm("networking.export_meeting")

    @admin.action(description=_("Export the selected meetings (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        rows = _meeting_rows(queryset.order_by("slot__start", "table__space__code", "table__number"))
        return csv_response(f"reuniones-{timezone.localdate()}.csv", MEETING_EXPORT_HEADER, rows)

    @admin.action(description=_("Export the selected meetings (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        rows = _meeting_rows(queryset.order_by("slot__start", "table__space__code", "table__number"))
        return xlsx_response(f"reuniones-{timezone.localdate()}.xlsx", MEETING_EXPORT_HEADER, rows, title="Reuniones")

    @admin.action(description=_("Print the agendas of the selected meetings' participants (PDF)"),
                  permissions=["view"])  # fmt: skip
    def print_agendas(self, request, queryset):
        profiles = list(
            Profile.objects.filter(seats__meeting__in=queryset).distinct()
            .select_related("attendee", "organization", "event").order_by("attendee__last_name", "pk")
        )  # fmt: skip
        return _pdf("agendas.pdf", agenda_pdf.participants_agenda_pdf(profiles))

    @admin.action(description=_("Print the sheets of the selected meetings' tables (PDF)"), permissions=["view"])
    def print_table_sheets(self, request, queryset):
        tables = list(
            Table.objects.filter(meetings__in=queryset).distinct().select_related("space__event")
            .order_by("space__code", "number")
        )  # fmt: skip
        return _pdf("mesas.pdf", agenda_pdf.tables_agenda_pdf(tables))

    def get_urls(self):
        return [
            path("outcome.<str:kind>", self.admin_site.admin_view(self.outcome_export_view),
                 name="networking_meeting_outcome_export"),
        ] + super().get_urls()  # fmt: skip

    def outcome_export_view(self, request, kind: str):
        """The outcome report as a spreadsheet: one row per published meeting (?event=<id>)."""
        if kind not in ("csv", "xlsx"):
            raise PermissionDenied
        if not self.has_export_permission(request):
            raise PermissionDenied
        event_id = request.GET.get("event", "")
        event = get_object_or_404(Event, pk=event_id) if event_id.isdigit() else event_current()
        if event is None:
            return redirect("admin:networking_meeting_changelist")
        name = f"resultados-b2b-{event.slug}.{kind}"
        rows = _outcome_rows(event)
        if kind == "csv":
            return csv_response(name, OUTCOME_HEADER, rows)
        return xlsx_response(name, OUTCOME_HEADER, rows, title="Resultados B2B")

    def changelist_view(self, request, extra_context=None):
        event_id = request.GET.get("event__id__exact", "")
        event = Event.objects.filter(pk=event_id).first() if event_id.isdigit() else event_current()
        extra_context = {**(extra_context or {}), "outcome_event": event,
                         "can_export": self.has_export_permission(request)}  # fmt: skip
        return super().changelist_view(request, extra_context)

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
    paginator = EstimatedCountPaginator
    show_full_result_count = False
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


# The scheduler's figures (networking/scheduling/quality.py and the run), in words, in order.
RUN_FIGURES = {
    "meetings": (_("Meetings in the schedule"), _("Published and locked ones kept, plus the new drafts.")),
    "drafts_written": (_("New draft meetings"), _("Proposed by this run; nothing is sent until you publish.")),
    "fixed": (_("Meetings kept as they were"), _("Published or locked meetings the run did not move.")),
    "drafts_replaced": (_("Earlier drafts replaced"), ""),
    "skipped": (_("Proposals left out"), _("They collided with a booking made while the run worked.")),
    "participants": (_("Participants"), _("People with a B2B profile who can meet.")),
    "pairs": (_("Possible pairs"), _("Pairs of participants the recommendation scores allow.")),
    "must_scheduled": (_("Accepted requests scheduled"), ""),
    "must_total": (_("Accepted requests"), ""),
    "must_bound": (_("Accepted requests that can be scheduled at most"), _("Given availability and tables.")),
    "coverage": (_("Participants with a meeting"), _("Share of those who could have one.")),
    "coverage_bound": (_("Best possible share"), ""),
    "reachable": (_("Participants who could have a meeting"), ""),
    "weight": (_("Total value of the meetings"), _("Sum of the pairs' recommendation scores.")),
    "bound": (_("Highest total value possible"), _("An upper bound: no schedule can do better.")),
    "ratio": (
        _("Share of the highest value reached"),
        _("A share of 1.0 (all of it) is the best any schedule can do."),
    ),
    "violation_count": (_("Rule violations"), _("Double bookings, unavailable people or tables: must be 0.")),
    "solve_seconds": (_("Solver time (seconds)"), ""),
    "total_seconds": (_("Total time (seconds)"), ""),
}
PERCENT_FIGURES = {"coverage", "coverage_bound", "ratio"}


def _percent(value) -> str:
    if value is None:
        return "?"
    return f"{formats.number_format(round(value * 100, 1), 1)} %"


def _metric_value(key: str, value) -> str:
    if key in PERCENT_FIGURES:
        return _percent(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return thousands(value)
    return str(value)


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    """Runs of the scheduler: start one, watch its progress, read its quality, publish."""

    change_list_template = "admin/networking/schedulerun/change_list.html"
    actions = ["publish"]
    list_display = ["created_at", "event", "status", "progress_bar", "quality", "started_at", "finished_at"]
    list_filter = ["event", "status"]
    readonly_fields = [
        "event", "status", "progress", "time_limit", "seed", "created_at", "created_by", "started_at",
        "finished_at", "quality_table", "error_shown",
    ]  # fmt: skip
    exclude = ["metrics", "error"]

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
            "%(meetings)s meetings; %(must)s of %(must_bound)s accepted requests scheduled; %(coverage)s of the "
            "participants who can meet have a meeting (at most %(coverage_bound)s possible); %(ratio)s of the best "
            "possible total value"
        ) % {
            "meetings": thousands(m.get("meetings", 0)), "must": thousands(m.get("must_scheduled", 0)),
            "must_bound": thousands(m.get("must_bound", m.get("must_total", 0))),
            "coverage": _percent(m.get("coverage")), "coverage_bound": _percent(m.get("coverage_bound")),
            "ratio": _percent(m.get("ratio")),
        }  # fmt: skip

    @admin.display(description=_("error"))
    def error_shown(self, run):
        # The service's own messages are msgids (a worker that stopped); an exception's text stays as is.
        return gettext(run.error) if run.error else "—"

    @admin.display(description=_("quality against the checker's measures"))
    def quality_table(self, run):
        metrics = run.metrics or {}
        rows = [(label, _metric_value(key, metrics[key]), help_text)
                for key, (label, help_text) in RUN_FIGURES.items() if key in metrics]  # fmt: skip
        if not rows:
            return "—"
        return format_html(
            '<table class="run-quality">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td><td><small>{}</small></td></tr>", rows),
        )

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
                if not task_queue_reachable():
                    self.message_user(request, TASK_QUEUE_DOWN, messages.WARNING)
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
