"""B2B pages for participants (profile, recommendations, requests, agenda, .ics, table check-in)
and for organizers (printable table codes, outcome report). Thin: forms, a service or a selector."""

from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from expo.events.models import Event
from expo.events.selectors import event_current_or_404
from expo.lib.forms import form_add_service_errors
from expo.lib.parsing import id_parse
from expo.registration.access import attendee_required

from . import calendar, selectors, services
from .forms import MeetingRequestForm, OutcomeForm, ProfileForm
from .models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Table
from .reasons import reasons_sentence
from .table_codes import table_code


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
    return render(request, "networking/home.html", {
        "event": profile.event, "profile": profile, "items": items, "form": MeetingRequestForm(),
        "profile_empty": not profile.offers.exists() and not profile.needs.exists(),
    })  # fmt: skip


def _slots_by_day(form) -> list[tuple]:
    """The availability checkboxes grouped by local day, for the template."""
    slots = {slot.pk: slot for slot in form.fields["availability"].queryset}
    days: dict = {}
    for checkbox in form["availability"]:
        slot = slots[checkbox.data["value"].value]
        days.setdefault(timezone.localtime(slot.start).date(), []).append(checkbox)
    return sorted(days.items())


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
    })  # fmt: skip


@participant_required
@require_POST
def request_send(request: HttpRequest, profile_id: int) -> HttpResponse:
    recipient = get_object_or_404(
        Profile.objects.select_related("attendee"), pk=profile_id, event=request.profile.event
    )
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values())[0])))
        return redirect("networking:home")
    try:
        services.meeting_request_send(sender=request.profile, recipient=recipient, message=form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your request was sent to %(name)s.") % {"name": recipient.attendee.full_name})
    return redirect("networking:home")


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
            messages.success(request, _("Request accepted. The scheduler will find you both a time, or book one now."))
        else:
            services.meeting_request_decline(request=meeting_request, by=request.profile)
            messages.success(request, _("Request declined."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("networking:requests")


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
    if request.method == "POST":
        slot = next((s for s in free if str(s.pk) == request.POST.get("slot")), None)
        if slot is None:
            messages.error(request, _("That time is no longer free. Choose another one."))
        else:
            try:
                services.meeting_book(request=meeting_request, slot=slot, by=profile)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Meeting booked. It is in your agenda."))
                return redirect("networking:agenda")
        free = selectors.slots_free_for(first=profile, second=other)
    return render(request, "networking/book.html", {
        "event": profile.event, "other": other, "slots": free, "meeting_request": meeting_request,
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
