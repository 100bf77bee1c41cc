"""B2B pages for participants (profile, recommendations, requests, agenda, .ics, table check-in)
and for organizers (printable table codes, outcome report). Thin: forms, a service or a selector."""

from dataclasses import dataclass
from datetime import date, time
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exhibitors.models import Exhibitor
from expo.events.models import Event
from expo.events.selectors import event_current_or_404
from expo.lib import formatting
from expo.lib.forms import form_add_service_errors
from expo.lib.parsing import id_parse
from expo.registration.access import attendee_required

from . import calendar, selectors, services
from .forms import LANGUAGES, TRADE_GROUP_LABELS, MeetingRequestForm, OutcomeForm, ParticipantSearchForm, ProfileForm
from .models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Table
from .reasons import reasons_sentence
from .table_codes import table_code

PARTICIPANTS_PER_PAGE = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def participant_required(view=None, *, profile_needed: bool = True):
    """Signed-in visitors whose pass includes B2B, with `request.profile`.

    Pages that need a saved B2B profile send a participant who has none to the profile form first
    (GET requests never create one). The profile page itself gets an unsaved profile to start from.
    """

    def decorator(view):
        @attendee_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not selectors.attendee_is_participant(request.attendee):
                return render(request, "networking/not_participant.html", {"event": request.attendee.event}, status=403)
            profile = Profile.objects.select_related("event").filter(attendee=request.attendee).first()
            if profile is None:
                if profile_needed:
                    messages.info(request, _("Tell us what you offer and need first: it is how we find your matches."))
                    return redirect("networking:profile")
                profile = services.profile_new(attendee=request.attendee)
            request.profile = profile
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


@participant_required
def home(request: HttpRequest) -> HttpResponse:
    """Recommendations: people to meet, best first, each with the reasons in the reader's language."""
    profile = request.profile
    found = selectors.recommendations(profile=profile, limit=30)
    terms = selectors.terms_by_id()
    items = [(r, reasons_sentence(r.score.reasons, terms)) for r in found]
    # The same empty request form on every card: its fields are rendered once, not once per card
    # (rendering them through the widget templates 30 times was most of this page's time).
    request_fields = render_to_string("networking/_request_fields.html", {"form": MeetingRequestForm()}, request)
    return render(request, "networking/home.html", {
        "event": profile.event, "profile": profile, "items": items, "request_fields": request_fields,
        "profile_empty": not profile.offers.exists() and not profile.needs.exists(),
    })  # fmt: skip


# Availability shortcuts: a slot that starts before this local time is in the morning.
AFTERNOON_STARTS = time(14, 0)


@dataclass
class AvailabilityDay:
    day: date
    boxes: list  # (checkbox, "morning" | "afternoon")
    chosen: int


def _slots_by_day(form) -> list[AvailabilityDay]:
    """The availability checkboxes grouped by local day, each marked morning or afternoon."""
    days: dict = {}
    for checkbox in form["availability"]:
        start = timezone.localtime(checkbox.data["value"].instance.start)
        part = "morning" if start.time() < AFTERNOON_STARTS else "afternoon"
        days.setdefault(start.date(), []).append((checkbox, part))
    return [
        AvailabilityDay(day, boxes, sum(1 for box, _ in boxes if box.data["selected"]))
        for day, boxes in sorted(days.items())
    ]


@dataclass
class TradeGroup:
    label: str
    rows: list  # (term, offers checkbox, needs checkbox)
    offered: int
    needed: int


def _trade_groups(form) -> list[TradeGroup]:
    """Offers and needs side by side: one row per term (offer it? look for it?), grouped by vocabulary."""
    needs = {box.data["value"].value: box for box in form["needs"]}
    groups: dict = {}
    for box in form["offers"]:
        term = box.data["value"].instance
        groups.setdefault(term.vocabulary, []).append((term, box, needs[term.pk]))
    return [
        TradeGroup(
            label=TRADE_GROUP_LABELS[vocabulary], rows=rows,
            offered=sum(1 for _, offer, _ in rows if offer.data["selected"]),
            needed=sum(1 for _, _, need in rows if need.data["selected"]),
        )
        for vocabulary, rows in groups.items()
    ]  # fmt: skip


@participant_required(profile_needed=False)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = request.profile
    slots = selectors.open_slots(event=profile.event)
    if profile.pk is None:  # the first visit: start from what the registration says
        initial = {
            "role": profile.role, "languages": profile.languages, "max_meetings": profile.max_meetings,
            "needs": list(request.attendee.interests.all()),
        }  # fmt: skip
    else:
        initial = {
            "role": profile.role, "offers": list(profile.offers.all()), "needs": list(profile.needs.all()),
            "certifications": list(profile.certifications.all()), "languages": profile.languages,
            "availability": list(profile.availability.all()), "max_meetings": profile.max_meetings,
        }  # fmt: skip
    form = ProfileForm(request.POST or None, initial=initial, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Your B2B profile was saved."))
            return redirect("networking:home")
    return render(request, "networking/profile.html", {
        "event": profile.event, "profile": profile, "form": form, "days": _slots_by_day(form),
        "trade": _trade_groups(form), "first_visit": profile.pk is None,
    })  # fmt: skip


@participant_required
def participants(request: HttpRequest) -> HttpResponse:
    """Search the participants: by name, company or job title; by role, category and state."""
    profile = request.profile
    form = ParticipantSearchForm(request.GET or None)
    found = selectors.participant_search(profile=profile, **form.filters())
    page = Paginator(found, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    people = selectors.profiles_with_terms(list(page.object_list))
    statuses = selectors.open_requests_with(profile=profile, others=people)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "networking/participants.html", {
        "event": profile.event, "profile": profile, "form": form, "page": page, "querystring": query.urlencode(),
        "items": [(person, statuses.get(person.pk)) for person in people],
    })  # fmt: skip


def exhibitor_page_url(exhibitor: Exhibitor) -> str:
    """The exhibitor's own page where the exhibitors app has one, else the directory searched for it."""
    for name in ("exhibitors:detail", "exhibitors:exhibitor"):
        for kwargs in ({"pk": exhibitor.pk}, {"exhibitor_id": exhibitor.pk}, {"slug": getattr(exhibitor, "slug", "")}):
            if not all(kwargs.values()):
                continue
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return f"{reverse('exhibitors:directory')}?{urlencode({'q': exhibitor.organization.name})}"


@participant_required
def participant_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    """One participant: company, what they offer and need, their booth if they exhibit, why meet, a request."""
    profile = request.profile
    person = selectors.participant_for(profile=profile, profile_id=profile_id)
    if person is None:
        raise Http404
    selectors.profiles_with_terms([person])
    certifications = list(person.certifications.all())
    if person.organization_id:
        certifications += [t for t in person.organization.certifications.all() if t not in certifications]
    exhibitor = selectors.participant_exhibitor(profile=person)
    is_me = person.pk == profile.pk
    reasons = "" if is_me else reasons_sentence(selectors.pair_reasons(profile=profile, other=person).reasons,
                                                 selectors.terms_by_id())  # fmt: skip
    languages = dict(LANGUAGES)
    request_status = None if is_me else selectors.open_requests_with(profile=profile, others=[person]).get(person.pk)
    return render(request, "networking/participant.html", {
        "event": profile.event, "profile": profile, "person": person, "is_me": is_me, "why": reasons,
        "certifications": certifications, "spoken": [languages.get(code, code) for code in person.languages],
        "exhibitor": exhibitor, "exhibitor_url": exhibitor and exhibitor_page_url(exhibitor),
        "same_organization": bool(person.organization_id and person.organization_id == profile.organization_id),
        "request_status": request_status,
        "form": MeetingRequestForm(), "next": request.get_full_path(),
    })  # fmt: skip


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (`next`, a path of this site only), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return redirect(target)
    return redirect(default)


@participant_required
@require_POST
def request_send(request: HttpRequest, profile_id: int) -> HttpResponse:
    recipient = get_object_or_404(
        Profile.objects.select_related("attendee"), pk=profile_id, event=request.profile.event
    )
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values())[0])))
        return _back(request, "networking:home")
    try:
        services.meeting_request_send(sender=request.profile, recipient=recipient, message=form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your request was sent to %(name)s.") % {"name": recipient.attendee.full_name})
    return _back(request, "networking:home")


@participant_required
def requests_list(request: HttpRequest) -> HttpResponse:
    profile = request.profile
    return render(request, "networking/requests.html", {
        "event": profile.event, "profile": profile, "now": timezone.now(),
        "received": selectors.requests_received(profile=profile)[:200],
        "sent": selectors.requests_sent(profile=profile)[:200],
    })  # fmt: skip


@participant_required
@require_POST
def request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    meeting_request = get_object_or_404(MeetingRequest, pk=request_id, recipient=request.profile)
    try:
        if request.POST.get("answer") == "accept":
            services.meeting_request_accept(request=meeting_request, by=request.profile)
            messages.success(request, _(
                "Request accepted. The automatic agenda will find you both a time when the organizers run it, "
                "or book one now."
            ))  # fmt: skip
        else:
            services.meeting_request_decline(request=meeting_request, by=request.profile)
            messages.success(request, _("Request declined."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("networking:requests")


def _slots_grouped_by_day(slots) -> list[tuple]:
    """Slots grouped by their local day, in time order: [(day, [slot, ...]), ...]."""
    days: dict = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    return sorted(days.items())


@participant_required
@require_http_methods(["GET", "POST"])
def request_book(request: HttpRequest, request_id: int) -> HttpResponse:
    """Book an accepted request into a time both are free, at once (a published meeting)."""
    profile = request.profile
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("sender__attendee", "recipient__attendee"),
        pk=request_id, status=MeetingRequest.Status.ACCEPTED,
    )  # fmt: skip
    if profile.pk not in (meeting_request.sender_id, meeting_request.recipient_id):
        raise Http404
    other = meeting_request.recipient if meeting_request.sender_id == profile.pk else meeting_request.sender
    free = selectors.slots_free_for(first=profile, second=other)
    chosen = request.POST.get("slot", "")
    if request.method == "POST":
        slot = next((s for s in free if str(s.pk) == chosen), None)
        if not chosen:
            messages.error(request, _("Choose a time."))
        elif slot is None:
            messages.error(request, _("That time is no longer free. Choose another one."))
        else:
            try:
                meeting = services.meeting_book(request=meeting_request, slot=slot, by=profile)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Meeting booked: %(when)s, %(place)s. %(name)s was told by email.") % {
                    "when": formatting.slot_label(slot.start, slot.end),
                    "place": _("%(space)s, table %(table)s") % {"space": meeting.table.space.name,
                                                                "table": meeting.table},
                    "name": other.attendee.full_name,
                })  # fmt: skip
                return redirect("networking:agenda")
        free = selectors.slots_free_for(first=profile, second=other)
    return render(request, "networking/book.html", {
        "event": profile.event, "other": other, "days": _slots_grouped_by_day(free), "chosen": chosen,
        "meeting_request": meeting_request,
    })  # fmt: skip


@participant_required
def agenda(request: HttpRequest) -> HttpResponse:
    profile = request.profile
    terms = selectors.terms_by_id()
    items = [(item, reasons_sentence(item.score.reasons, terms)) for item in selectors.agenda(profile=profile)]
    return render(request, "networking/agenda.html", {
        "event": profile.event, "profile": profile, "items": items, "now": timezone.now(),
        "feed_url": calendar.feed_url(profile),
    })  # fmt: skip


def _calendar_response(profile: Profile, *, attachment: bool) -> HttpResponse:
    with translation.override(profile.attendee.language):
        body = calendar.agenda_calendar(profile=profile, items=selectors.agenda(profile=profile))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = 'attachment; filename="agenda-b2b.ics"'
    return response


@participant_required
def agenda_ics(request: HttpRequest) -> HttpResponse:
    return _calendar_response(request.profile, attachment=True)


def agenda_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The agenda for calendar apps that subscribe to it: no session, a signed token in the URL."""
    profile_id = calendar.feed_profile_id(token)
    profile = (
        Profile.objects.select_related("event", "attendee").filter(pk=profile_id, is_active=True).first()
        if profile_id is not None
        else None
    )
    if profile is None:
        raise Http404
    return _calendar_response(profile, attachment=False)


def _own_seat(request, meeting_id: int) -> MeetingSeat:
    return get_object_or_404(
        MeetingSeat.objects.select_related("meeting__slot", "meeting__table__space"),
        meeting_id=meeting_id, profile=request.profile,
        meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED],
    )  # fmt: skip


@participant_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    seat = _own_seat(request, meeting_id)
    services.meeting_cancel(meeting=seat.meeting, by=request.profile)
    messages.success(request, _("The meeting was cancelled; the other person was told by email."))
    return redirect("networking:agenda")


@participant_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request: HttpRequest, meeting_id: int) -> HttpResponse:
    seat = _own_seat(request, meeting_id)
    initial = {"took_place": {True: "yes", False: "no"}.get(seat.took_place), "feedback": seat.feedback,
               "deal_value": seat.deal_value}  # fmt: skip
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_outcome_record(seat=seat, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answer was saved."))
            return redirect("networking:agenda")
    other = seat.meeting.seats.exclude(pk=seat.pk).select_related("profile__attendee").first()
    return render(request, "networking/outcome.html", {
        "event": request.profile.event, "seat": seat, "meeting": seat.meeting, "other": other and other.profile,
        "form": form,
    })  # fmt: skip


@participant_required
def table_checkin(request: HttpRequest, code: str) -> HttpResponse:
    """What the table's QR opens: checks the participant in to their meeting at that table now.

    A GET that writes, on purpose: the phone camera opens the link, and checking in is idempotent
    and needs a signed table code and the participant's own session.
    """
    table = selectors.table_from_code(code)
    if table is None or table.space.event_id != request.profile.event_id:
        return render(request, "networking/checkin.html", {"event": request.profile.event, "invalid": True}, status=400)
    try:
        seat = services.meeting_checkin(profile=request.profile, table=table)
    except ValidationError as error:
        return render(request, "networking/checkin.html", {
            "event": request.profile.event, "table": table, "error": _error_text(error),
        }, status=404)  # fmt: skip
    other = seat.meeting.seats.exclude(pk=seat.pk).select_related("profile__attendee").first()
    return render(request, "networking/checkin.html", {
        "event": request.profile.event, "table": table, "seat": seat, "other": other and other.profile,
    })  # fmt: skip


# Organizers ------------------------------------------------------------------------------------


def table_checkin_url(table: Table) -> str:
    return settings.SITE_URL + reverse("networking:table-checkin", args=[table_code(table)])


@staff_member_required
@permission_required("networking.print_table_codes", raise_exception=True)
def tables_sheet(request: HttpRequest, space_id: int) -> HttpResponse:
    """A printable sheet: one card per table with its QR (the check-in link) and its name."""
    space = get_object_or_404(
        NetworkingSpace.objects.select_related("event").prefetch_related(
            Prefetch("tables", queryset=Table.objects.order_by("number"))
        ),
        pk=space_id,
    )
    cards = []
    for table in space.tables.all():
        table.space = space
        url = table_checkin_url(table)
        cards.append((table, segno.make(url, error="m").svg_inline(scale=4, border=2, title=str(table)), url))
    return render(request, "networking/tables_sheet.html", {"space": space, "cards": cards, "event": space.event})


@staff_member_required
@permission_required("networking.view_outcome_report", raise_exception=True)
def outcome_report(request: HttpRequest) -> HttpResponse:
    event_id = id_parse(request.GET.get("event"))  # `?event=²` is not an id (it used to be a 500)
    event = get_object_or_404(Event, pk=event_id) if event_id else event_current_or_404()
    report = selectors.outcome_report(event=event)
    return render(request, "networking/outcome_report.html", {"event": event, "report": report})
