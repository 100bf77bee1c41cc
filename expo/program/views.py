"""Visitor pages of the program: browse and search, session and speaker pages, "My agenda" with
enrollment and the waitlist, the calendar file and feed, training hours and certificates, and the
public verification page of a certificate. Thin: parse, call a service or a selector, render."""

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expo.events.selectors import event_current_or_404
from expo.lib.forms import form_add_service_errors
from expo.lib.pagecache import content_cached, content_key
from expo.registration.access import attendee_required, current_attendee

from . import calendar, selectors, services
from .certificate_pdf import certificate_pdf
from .certificates import certificate_code_read, verification_url
from .forms import Dc3Form
from .models import Certificate, Enrollment, Session

MAX_QUERY = 100


def _int(value: str | None) -> int | None:
    """A positive id from a query string, or None (strict: '²' or '1e3' are not ids)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


# How long the program's content is kept for visitors who are not signed in (seats left and "now /
# next" may be this stale on the list; the session page and enrolling read the database).
PROGRAM_CACHE_SECONDS = 30


@require_GET
def program(request: HttpRequest) -> HttpResponse:
    """The program by day, with time headings and "now / next"; a search looks across all days and
    says how many matches each day has.

    Most people browsing are not signed in: for them the page's content (everything under the header,
    which holds the language form and its CSRF token) is rendered once per day, filters and language
    and kept in the cache for PROGRAM_CACHE_SECONDS, keyed by the program's version, so an organizer's
    change shows at once. Signed-in visitors see their own state on each session and are never cached.
    """
    event = event_current_or_404()
    attendee = current_attendee(request)
    if attendee is not None:
        return render(request, "program/program.html", _program_context(request, event, attendee))
    key = content_key("program", event.pk, selectors.program_version(event=event), request.GET.urlencode(),
                      translation.get_language())  # fmt: skip
    content = content_cached(key, lambda: render_to_string(
        "program/_program_content.html", _program_context(request, event, None)), PROGRAM_CACHE_SECONDS)  # fmt: skip
    return render(request, "program/program.html", {"event": event, "content": content})


def _program_context(request: HttpRequest, event, attendee) -> dict:
    days = event.dates
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:MAX_QUERY] or None
    filters = selectors.ProgramFilters(
        kind=request.GET.get("kind") if request.GET.get("kind") in Session.Kind.values else None,
        track_id=_int(request.GET.get("track")),
        room_id=_int(request.GET.get("room")),
        language=request.GET.get("language") if request.GET.get("language") in Session.Language.values else None,
        query=query,
    )
    requested = request.GET.get("day", "")
    if requested == "all":
        day = None
    else:
        try:
            day = date.fromisoformat(requested)
            day = day if day in days else None
        except ValueError:
            day = None
        if day is None:
            # A search looks at every day unless a day is asked for; browsing opens today during the fair.
            day = None if query else (today if today in days else days[0])
    counts = selectors.session_counts_by_day(event=event, filters=filters)
    sessions = list(selectors.session_list(
        event=event, day=day, kind=filters.kind, track_id=filters.track_id, room_id=filters.room_id,
        language=filters.language, query=query,
    ))  # fmt: skip
    now = timezone.now()
    live, upcoming = selectors.session_now_and_next(sessions, at=now) if day == today else ([], [])
    state = selectors.visitor_state(attendee=attendee)
    other_days = [(d, counts.get(d, 0)) for d in days if d != day and counts.get(d)] if day and filters.active else []
    for session in sessions:
        session.mine, session.saved = state.enrollments.get(session.pk), session.pk in state.saved
    groups = []
    for group_day, group in _by_day(sessions):
        groups.append((group_day, selectors.sessions_by_time(group)))
    return {
        "event": event, "days": [(d, _short_day(d), counts.get(d, 0)) for d in days], "day": day, "today": today,
        "filter_query": _filter_query(filters),
        "filters": filters, "q": query or "", "groups": groups, "total": sum(counts.values()),
        "shown": len(sessions), "other_days": other_days, "now_sessions": live, "next_sessions": upcoming,
        "kinds": Session.Kind.choices, "session_languages": Session.Language.choices, "state": state,
        "attendee": attendee,
        **selectors.program_filters_choices(event=event),
    }  # fmt: skip


SHORT_DAYS = {"es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
              "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}  # fmt: skip


def _short_day(day: date) -> str:
    """A day tab that fits a phone: "mié 29" / "Wed 29"."""
    names = SHORT_DAYS["en" if (translation.get_language() or "es").startswith("en") else "es"]
    return f"{names[day.weekday()]} {day.day}"


def _filter_query(filters) -> str:
    """The active filters as a query string ending in "&", for the day tabs' links."""
    pairs = {"q": filters.query, "kind": filters.kind, "track": filters.track_id, "room": filters.room_id,
             "language": filters.language}  # fmt: skip
    encoded = urlencode({name: value for name, value in pairs.items() if value})
    return f"{encoded}&" if encoded else ""


def _by_day(sessions: list[Session]):
    days: dict[date, list[Session]] = {}
    for session in sessions:
        days.setdefault(timezone.localdate(session.start), []).append(session)
    return days.items()


@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    event = event_current_or_404()
    session = selectors.session_or_404(event=event, session_id=session_id)
    attendee = current_attendee(request)
    state = selectors.visitor_state(attendee=attendee)
    enrollment = state.enrollments.get(session.pk)
    return render(request, "program/session.html", {
        "event": event, "session": session, "attendee": attendee, "saved": session.pk in state.saved,
        "enrollment": enrollment, "now": timezone.now(),
        "position": selectors.waitlist_position(enrollment=enrollment) if enrollment else None,
    })  # fmt: skip


@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """Add to calendar: one session as an .ics file (TZID, stable UID, SEQUENCE; cancelled stays cancelled)."""
    event = event_current_or_404()
    session = selectors.session_or_404(event=event, session_id=session_id)
    item = selectors.session_agenda_item(session, status="confirmed", note="")
    response = HttpResponse(calendar.calendar_bytes(name=session.title, items=[item]),
                            content_type="text/calendar; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="sesion-{session.pk}.ics"'
    return response


@require_GET
def speaker_detail(request: HttpRequest, speaker_id: int) -> HttpResponse:
    event = event_current_or_404()
    speaker = selectors.speaker_or_404(event=event, speaker_id=speaker_id)
    return render(request, "program/speaker.html", {"event": event, "speaker": speaker})


# A visitor's agenda ---------------------------------------------------------------------------


def _session_for(request, session_id: int) -> Session:
    return get_object_or_404(Session.objects.select_related("room", "event"), pk=session_id,
                             event=request.attendee.event)  # fmt: skip


def _back(request, session: Session) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):  # fmt: skip
        return redirect(next_url)
    return redirect("program:session", session_id=session.pk)


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@attendee_required
@require_POST
def session_save(request: HttpRequest, session_id: int) -> HttpResponse:
    """Save a session to "My agenda", or take it out (`remove=1`)."""
    session = _session_for(request, session_id)
    if request.POST.get("remove"):
        services.saved_session_remove(attendee=request.attendee, session=session)
        messages.success(request, _("Removed from your agenda."))
        return _back(request, session)
    try:
        services.saved_session_add(attendee=request.attendee, session=session)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Saved to your agenda."))
    return _back(request, session)


@attendee_required
@require_http_methods(["GET", "POST"])
def session_enroll(request: HttpRequest, session_id: int) -> HttpResponse:
    """Enroll, or join the waitlist. An overlap with the agenda is shown first, and enrolling anyway
    takes a second, explicit POST."""
    session = _session_for(request, session_id)
    if request.method == "GET":
        return redirect("program:session", session_id=session.pk)
    try:
        enrollment = services.enrollment_create(attendee=request.attendee, session=session,
                                                clashes_accepted=request.POST.get("confirm") == "1")  # fmt: skip
    except services.EnrollmentClash as clash:
        return render(request, "program/enroll_clash.html", {
            "event": session.event, "session": session, "clashes": clash.clashes,
        })  # fmt: skip
    except ValidationError as error:
        _error(request, error)
        return _back(request, session)
    if enrollment.status == Enrollment.Status.ENROLLED:
        messages.success(request, _("You are enrolled. We sent you a confirmation email with the calendar file."))
    elif enrollment.status == Enrollment.Status.WAITLISTED:
        messages.info(request, _("The workshop is full: you are on its waitlist. If a seat frees up, we email you."))
    return _back(request, session)


def _own_enrollment(request, session_id: int) -> Enrollment:
    return get_object_or_404(Enrollment.objects.select_related("session"), session_id=session_id,
                             attendee=request.attendee)  # fmt: skip


@attendee_required
@require_POST
def enrollment_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, session_id)
    services.enrollment_cancel(enrollment=enrollment)
    messages.success(request, _("Your enrollment was cancelled and your seat freed for someone else."))
    return _back(request, enrollment.session)


@attendee_required
@require_POST
def offer_accept(request: HttpRequest, session_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, session_id)
    try:
        services.enrollment_offer_accept(enrollment=enrollment)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The seat is yours: you are enrolled."))
    return _back(request, enrollment.session)


@attendee_required
@require_POST
def offer_decline(request: HttpRequest, session_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, session_id)
    services.enrollment_offer_decline(enrollment=enrollment)
    messages.success(request, _("You declined the seat; it goes to the next person waiting."))
    return _back(request, enrollment.session)


@attendee_required
@require_GET
def my_agenda(request: HttpRequest) -> HttpResponse:
    attendee = request.attendee
    agenda = selectors.agenda_for(attendee=attendee)
    version = selectors.calendar_feed_version(attendee=attendee)
    return render(request, "program/agenda.html", {
        "event": attendee.event, "attendee": attendee, "agenda": agenda, "days": agenda.by_day(),
        "feed_url": calendar.feed_url(attendee_id=attendee.pk, version=version), "now": timezone.now(),
    })  # fmt: skip


def _agenda_calendar(attendee, *, attachment: bool) -> HttpResponse:
    with translation.override(attendee.language):
        items = selectors.agenda_for(attendee=attendee).items
        body = calendar.calendar_bytes(name=_("My agenda · %(event)s") % {"event": attendee.event.name}, items=items)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = 'attachment; filename="mi-agenda.ics"'
    return response


@attendee_required
@require_GET
def my_agenda_ics(request: HttpRequest) -> HttpResponse:
    return _agenda_calendar(request.attendee, attachment=True)


@never_cache
@require_GET
def agenda_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The agenda for calendar apps that subscribe to it: no session, a signed, resettable token."""
    found = calendar.feed_token_read(token)
    attendee = selectors.attendee_for_feed(attendee_id=found[0], version=found[1]) if found else None
    if attendee is None:
        raise Http404
    return _agenda_calendar(attendee, attachment=False)


@attendee_required
@require_POST
def agenda_feed_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(attendee=request.attendee)
    messages.success(
        request, _("Your calendar link was reset: the old one no longer works. Subscribe again with the new one.")
    )
    return redirect(reverse("program:agenda") + "#subscribe")


# Training hours and certificates --------------------------------------------------------------


@attendee_required
@require_http_methods(["GET", "POST"])
def my_hours(request: HttpRequest) -> HttpResponse:
    """The transcript of credited hours, the certificate when issued, and the optional DC-3 fields."""
    attendee = request.attendee
    record = selectors.transcript(attendee=attendee)
    initial = {}
    if record.dc3 is not None:
        initial = {name: getattr(record.dc3, name) for name in ("curp", "occupation", "employer_name", "employer_rfc")}
    else:
        initial = {"employer_name": attendee.organization_name}
    form = Dc3Form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dc3_details_save(attendee=attendee, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. Your next certificate will carry these details."))
            return redirect("program:hours")
    certificate = record.certificate
    return render(request, "program/hours.html", {
        "event": attendee.event, "attendee": attendee, "record": record, "form": form,
        "verify_url": verification_url(certificate) if certificate else "",
    })  # fmt: skip


@attendee_required
@require_GET
def my_certificate_pdf(request: HttpRequest) -> HttpResponse:
    certificate = (
        Certificate.objects.filter(attendee=request.attendee, revoked_at__isnull=True)
        .select_related("event__venue")
        .first()
    )
    if certificate is None:
        raise Http404
    return _pdf_response(certificate)


def _pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="constancia-{certificate.pk}.pdf"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """What a certificate's QR opens, for anyone: genuine (who, which sessions, hours, when), revoked,
    or not genuine (a forged or altered code)."""
    ids = certificate_code_read(code)
    certificate = None
    if ids is not None:
        certificate = Certificate.objects.select_related("event").filter(event_id=ids[0], pk=ids[1]).first()
    if certificate is None:
        verdict = "not_genuine"
    elif certificate.is_revoked:
        verdict = "revoked"
    else:
        verdict = "genuine"
    response = render(request, "program/verify.html", {
        "certificate": certificate, "verdict": verdict, "code": code[:80],
    }, status=404 if verdict == "not_genuine" else 200)  # fmt: skip
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type the code printed under the QR."""
    # A code is letters, digits and dots (EXPOC1.<edition>.<certificate>.<signature>); anything else
    # typed is dropped (a "/" or "<" used to make the redirect fail with a 500).
    code = re.sub(r"[^0-9A-Za-z.]", "", request.GET.get("code", ""))[:80]
    if code:
        return redirect("program:certificate-verify", code=code)
    return render(request, "program/verify_form.html", {})
