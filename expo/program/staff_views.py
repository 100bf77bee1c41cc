"""Staff pages of the program: the room scanner (attendance), and organizers' hours, exports and
certificates. Each is behind a named permission; objects asked for by id belong to the current edition."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expo.events.models import Room
from expo.events.selectors import event_current_or_404
from expo.lib.exports import csv_response
from expo.lib.formatting import date_long, datetime_short, time_short
from expo.lib.task_queue import TASK_QUEUE_DOWN, task_queue_reachable
from expo.registration import selectors as registration_selectors

from . import selectors, services
from .certificate_pdf import certificate_pdf
from .certificates import certificate_code
from .forms import RevokeForm, RoomScanForm
from .models import Attendance, Certificate, CertificateBatch, Session

# Room scanner ---------------------------------------------------------------------------------


def _scan_message(result: services.ScanResult) -> str:
    session = result.session
    messages_ = {
        "in": lambda: _("Entry recorded"),
        "out": lambda: _("Exit recorded"),
        "already": lambda: _("Already recorded"),
        "invalid": lambda: _("Invalid badge: this code was not issued by Medical Expo"),
        "other_event": lambda: _("This badge is for another edition"),
        "cancelled": lambda: _("This registration was cancelled"),
        "waitlisted": lambda: _("This visitor is on the waitlist, without a confirmed seat"),
        "no_session": lambda: _("No session in this room at this time: choose the session"),
        "session_cancelled": lambda: _("This session was cancelled"),
        "not_enrolled": lambda: _("Not enrolled in this workshop: nothing recorded"),
        "outside_window": lambda: _(
            "Outside the session's time (%(start)s–%(end)s): nothing recorded. Check the session chosen."
        ) % {"start": datetime_short(session.start), "end": time_short(session.end)},
        "wrong_room": lambda: (
            _("Wrong room: this visitor is enrolled in “%(title)s” in %(room)s at this time") % {
                "title": result.other.title, "room": result.other.room.name}
            if result.other is not None else _("Wrong room: this session is in %(room)s") % {"room": session.room.name}
        ),
    }  # fmt: skip
    return messages_[result.outcome]()


@never_cache
@staff_member_required
@permission_required("program.add_roomscan", raise_exception=True)
@require_GET
def room_scanner(request: HttpRequest) -> HttpResponse:
    """Room mode of the scanner: choose the room (its current session is preselected) or the session,
    then scan badges on entry and on exit, online or offline like the door page."""
    event = event_current_or_404()
    now = timezone.now()
    day = timezone.localdate()
    if day not in event.dates:
        day = event.dates[0]
    sessions = selectors.scanner_sessions(event=event, day=day)
    rooms = sorted({s.room for s in sessions}, key=lambda room: room.name_es)
    room_id = request.GET.get("sala", "")
    room = next((r for r in rooms if str(r.pk) == room_id), None)
    current = None
    if room is not None:
        in_room = [s for s in sessions if s.room_id == room.pk]
        current = next((s for s in in_room if s.start <= now < s.end), None) or next(
            (s for s in in_room if s.start > now), None) or (in_room[-1] if in_room else None)  # fmt: skip
    return render(request, "program/room_scanner.html", {
        "event": event, "day": day, "sessions": sessions, "rooms": rooms, "room": room, "current": current,
        # Public keys only, as the door page gets them: badges are verified while the network is down.
        "badge_public_keys": registration_selectors.badge_public_keys(event=event),
    })  # fmt: skip


@staff_member_required
@permission_required("program.add_roomscan", raise_exception=True)
@require_POST
def room_scan(request: HttpRequest) -> JsonResponse:
    event = event_current_or_404()
    form = RoomScanForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse({"admitted": False, "outcome": "invalid", "message": first, "errors": form.errors},
                            status=400)  # fmt: skip
    data = form.cleaned_data
    session = room = None
    if data["session"]:
        session = Session.objects.select_related("room").filter(event=event, pk=data["session"]).first()
    if data["room"]:
        room = Room.objects.filter(pk=data["room"], sessions__event=event).distinct().first()
    if session is None and room is None:
        return JsonResponse({"admitted": False, "outcome": "invalid", "message": _("Choose the session or the room.")},
                            status=400)  # fmt: skip
    try:
        result = services.room_scan_record(
            event=event, code=data["code"], direction=data["direction"], session=session, room=room,
            user=request.user, device=data["device"], at=data["scanned_at"],
        )  # fmt: skip
    except ValidationError as error:
        return JsonResponse({"admitted": False, "outcome": "invalid", "message": " ".join(error.messages)}, status=400)
    body = {"admitted": result.recorded, "outcome": result.outcome, "message": _scan_message(result)}
    if result.attendee is not None:
        body.update(name=result.attendee.full_name, organization=result.attendee.organization_name,
                    pass_type=result.attendee.pass_type.name)  # fmt: skip
    if result.session is not None:
        body["session"] = result.session.title
        body["today"] = Attendance.objects.filter(session=result.session).count()
    if result.attendance is not None and result.recorded:
        body["message"] += " · " + _("%(minutes)s min present (%(share)s%%)") % {
            "minutes": result.attendance.present_seconds // 60,
            "share": int(result.attendance.share * 100),
        }
    return JsonResponse(body)


# Organizers: hours, exports, certificates -----------------------------------------------------


@staff_member_required
@permission_required("program.view_attendance", raise_exception=True)
@require_GET
def hours_sessions(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    rows = selectors.hours_by_session(event=event)
    if request.GET.get("format") == "csv":
        return csv_response(
            "horas-por-sesion.csv",
            [_("Session"), _("Day"), _("Start"), _("End"), _("Room"), _("Status"), _("Training hours"), _("Seats"),
             _("Enrolled"), _("Waiting"), _("Scanned"), _("Credited visitors"), _("Hours delivered")],
            ([r["session"].title, date_long(r["session"].start), time_short(r["session"].start),
              time_short(r["session"].end), r["session"].room.name, r["session"].get_status_display(),
              r["session"].training_hours, r["session"].capacity or "", r["enrolled"], r["waiting"], r["scanned"],
              r["credited"], r["hours"]] for r in rows),
        )  # fmt: skip
    settings_ = selectors.program_settings(event=event)
    return render(request, "program/staff/hours_sessions.html", {
        "event": event, "rows": rows, "share": settings_.attendance_share,
        "total_hours": sum(r["hours"] for r in rows), "total_credited": sum(r["credited"] for r in rows),
    })  # fmt: skip


@staff_member_required
@permission_required("program.view_attendance", raise_exception=True)
@require_GET
def hours_visitors(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    rows = selectors.hours_by_visitor(event=event)
    if request.GET.get("format") == "csv":
        return csv_response(
            "horas-por-visitante.csv",
            [_("Name"), _("Email"), _("Organization"), _("Pass"), _("Includes training"), _("Sessions attended"),
             _("Sessions credited"), _("Hours"), _("Certificate")],
            ([r["attendee"].full_name, r["attendee"].email, r["attendee"].organization_name,
              r["attendee"].pass_type.name, _("yes") if r["attendee"].pass_type.includes_training else _("no"),
              r["attended"], r["credited"], r["hours"],
              certificate_code(r["certificate"]) if r["certificate"] else ""] for r in rows),
        )  # fmt: skip
    return render(request, "program/staff/hours_visitors.html", {"event": event, "rows": rows})


@never_cache
@staff_member_required
@permission_required("program.add_certificate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def certificates(request: HttpRequest) -> HttpResponse:
    """Issue the edition's certificates in a batch (with progress), list and revoke them."""
    event = event_current_or_404()
    if request.method == "POST":
        try:
            services.certificate_batch_start(event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Issuing the certificates: the progress shows below."))
            if not task_queue_reachable():
                messages.warning(request, TASK_QUEUE_DOWN)
        return redirect("program:staff-certificates")
    batches = list(selectors.certificate_batches(event=event)[:10])
    running = any(b.status in (CertificateBatch.Status.QUEUED, CertificateBatch.Status.RUNNING) for b in batches)
    recent = list(selectors.certificates_of(event=event)[:50])
    return render(request, "program/staff/certificates.html", {
        "event": event, "batches": batches, "running": running, "certificates": recent,
        "count": selectors.certificates_of(event=event).filter(revoked_at__isnull=True).count(),
    })  # fmt: skip


@never_cache
@staff_member_required
@permission_required("program.add_certificate", raise_exception=True)
@require_GET
def certificate_batch_progress(request: HttpRequest, batch_id: int) -> JsonResponse:
    event = event_current_or_404()
    batch = get_object_or_404(CertificateBatch, pk=batch_id, event=event)
    return JsonResponse({"status": batch.status, "status_label": batch.get_status_display(), "total": batch.total,
                         "done": batch.done, "issued": batch.issued, "percent": batch.percent})  # fmt: skip


@staff_member_required
@permission_required("program.change_certificate", raise_exception=True)
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    event = event_current_or_404()
    certificate = get_object_or_404(Certificate, pk=certificate_id, event=event)
    form = RevokeForm(request.POST)
    if form.is_valid():
        services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
        messages.success(request, _("Certificate revoked: its verification page now says so."))
    else:
        messages.error(request, _("Say why the certificate is revoked."))
    return redirect("program:staff-certificates")


@staff_member_required
@permission_required("program.view_certificate", raise_exception=True)
@require_GET
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    event = event_current_or_404()
    certificate = get_object_or_404(Certificate.objects.select_related("event__venue"), pk=certificate_id, event=event)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="constancia-{certificate.pk}.pdf"'
    return response
