"""Pages of the registration desk and the doors: check-in scanner, walk-ins, badge printing."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expo.events.selectors import event_current_or_404
from expo.lib.formatting import day_label, thousands, time_short
from expo.lib.forms import form_add_service_errors
from expo.lib.parsing import id_parse, ids_parse
from expo.lib.security_headers import frame_same_origin
from expo.lib.task_queue import TASK_QUEUE_DOWN, task_queue_reachable

from . import badges, selectors, services
from .badge_pdf import badge_pdf, badges_pdf
from .forms import DeskRegistrationForm, ScanForm
from .models import Attendee, BadgeBatch, PassType

MESSAGES = {
    "ok": lambda: _("Entry recorded"),
    "already": lambda: _("Already checked in today"),
    "invalid": lambda: _("Invalid badge: this code was not issued by Medical Expo"),
    "other_event": lambda: _("This badge is for another edition"),
    "cancelled": lambda: _("This registration was cancelled"),
    "waitlisted": lambda: _("This visitor is on the waitlist, without a confirmed seat"),
    "ended": lambda: _("This edition has ended: no more check-ins"),
}


@never_cache  # Cache-Control: no-store: the page (names, counts, keys) is never kept by a proxy or the browser
@staff_member_required
@permission_required("registration.add_badgescan", raise_exception=True)
def checkin(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    today = timezone.localdate()
    return render(request, "registration/checkin.html", {
        "event": event, "counts": selectors.checkin_counts(event=event), "today": today,
        "today_count": selectors.checkin_count(event=event, day=today),
        # Public keys only: the page verifies badges while the venue network is down, and cannot sign one.
        "badge_public_keys": selectors.badge_public_keys(event=event),
    })  # fmt: skip


SEARCH_RESULTS = 20


@never_cache
@staff_member_required
@permission_required("registration.add_badgescan", raise_exception=True)
@require_GET
def checkin_search(request: HttpRequest) -> JsonResponse:
    """Registrations by name, email or organization, for a visitor without a readable badge."""
    event = event_current_or_404()
    query = request.GET.get("q", "")[:100]
    attendees = selectors.attendee_search(event=event, query=query)[:SEARCH_RESULTS]
    return JsonResponse({"results": [
        {"name": a.full_name, "email": a.email, "organization": a.organization_name, "pass_type": a.pass_type.name,
         "status": a.get_status_display(), "confirmed": a.status == Attendee.Status.CONFIRMED,
         "code": a.badge_code, "short_code": badges.short_code_display(a.badge_code)}
        for a in attendees
    ]})  # fmt: skip


@staff_member_required
@permission_required("registration.add_badgescan", raise_exception=True)
@require_POST
def checkin_scan(request: HttpRequest) -> JsonResponse:
    event = event_current_or_404()
    form = ScanForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {
                "admitted": False,
                "outcome": "invalid",
                "message": _("Scan or type a badge code."),
                "errors": form.errors,
            },
            status=400,
        )
    result = services.checkin_scan(
        event=event, code=form.cleaned_data["code"], user=request.user, gate=form.cleaned_data["gate"],
        at=form.cleaned_data["scanned_at"],  # set when an offline scanner syncs what it read earlier
    )  # fmt: skip
    body = {"admitted": result.admitted, "outcome": result.outcome, "message": MESSAGES[result.outcome]()}
    if result.attendee is not None:
        body.update(
            name=result.attendee.full_name,
            organization=result.attendee.organization_name,
            pass_type=result.attendee.pass_type.name,
        )
    if result.outcome == "already":
        body["message"] += " · " + _("first scan at %(time)s") % {"time": time_short(result.first_scan_at)}
    today = timezone.localdate()
    counted = result.day_count if result.day == today else None  # the counter's answer to this scan
    body["today"] = counted if counted is not None else selectors.checkin_count(event=event, day=today)
    body.update(today_day=today.isoformat(), today_label=day_label(today), today_display=thousands(body["today"]))
    return JsonResponse(body)


@staff_member_required
@permission_required("registration.add_attendee", raise_exception=True)
@require_http_methods(["GET", "POST"])
def walkin(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    pass_types = PassType.objects.filter(event=event).order_by("position", "pk")
    form = DeskRegistrationForm(request.POST or None, pass_types=pass_types)
    existing = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.registration_kwargs()
        existing = (
            Attendee.objects.registered_email(event=event, email=kwargs["email"])
            .exclude(status=Attendee.Status.CANCELLED).select_related("pass_type").first()
        )  # fmt: skip
        choice = request.POST.get("existing_choice")
        if existing is not None and choice == "open":
            return redirect("registration:walkin-done", attendee_id=existing.pk)
        if existing is not None and choice == "update":
            details = {name: kwargs[name] for name in services.REGISTRATION_FIELDS if name in kwargs}
            try:
                services.registration_update(attendee=existing, interests=kwargs.get("interests"), **details)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                return redirect("registration:walkin-done", attendee_id=existing.pk)
        elif existing is None:
            try:
                result = services.registration_create(event=event, language=get_language(), at_desk=True, **kwargs)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                return redirect("registration:walkin-done", attendee_id=result.attendee.pk)
    # An email already registered: say whose it is and let the desk choose (open it, or update it
    # with what was typed); nothing typed is dropped silently.
    return render(request, "registration/walkin.html", {"event": event, "form": form, "existing": existing})


@staff_member_required
@permission_required("registration.add_attendee", raise_exception=True)
def walkin_done(request: HttpRequest, attendee_id: int) -> HttpResponse:
    event = event_current_or_404()
    attendee = get_object_or_404(Attendee.objects.select_related("pass_type"), pk=attendee_id, event=event)
    return render(request, "registration/walkin_done.html", {"event": event, "attendee": attendee})


@frame_same_origin  # shown in the walk-in page's preview frame
@staff_member_required
@permission_required("registration.view_attendee", raise_exception=True)
def attendee_badge(request: HttpRequest, attendee_id: int) -> HttpResponse:
    event = event_current_or_404()
    attendee = get_object_or_404(
        Attendee.objects.select_related("pass_type", "event"),
        pk=attendee_id,
        event=event,
        status=Attendee.Status.CONFIRMED,
    )
    response = HttpResponse(badge_pdf(attendee), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gafete-{attendee.badge_code}.pdf"'
    return response


BADGES_INLINE_MAX = 40  # a handful is drawn at once; more go to a Celery task with progress


@staff_member_required
@permission_required("registration.view_attendee", raise_exception=True)
@require_GET
def badges_pdf_small(request: HttpRequest) -> HttpResponse:
    """A few badges at once, four per A4 page: ?ids=1,2,3 or ?pass_type=slug. More than
    BADGES_INLINE_MAX go to the batches page, which builds them in a task (never a silent cut)."""
    event = event_current_or_404()
    pass_type = PassType.objects.filter(event=event, slug=request.GET.get("pass_type", "")).first()
    attendees = selectors.badge_batch_attendees(
        event=event, pass_type_id=pass_type.pk if pass_type else None, attendee_ids=ids_parse(request.GET.get("ids"))
    )
    if request.GET.get("ids") and not ids_parse(request.GET["ids"]):
        attendees = attendees.none()
    chosen = list(attendees[: BADGES_INLINE_MAX + 1])
    if len(chosen) > BADGES_INLINE_MAX:
        return redirect(f"{reverse('registration:badge-batches')}?{request.GET.urlencode()}")
    response = HttpResponse(badges_pdf(chosen, title=_("Badges")), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="gafetes.pdf"'
    return response


@staff_member_required
@permission_required("registration.view_attendee", raise_exception=True)
@require_http_methods(["GET", "POST"])
def badge_batches(request: HttpRequest) -> HttpResponse:
    """Badges in batches: choose all or one pass, see how many, start; the list shows recent batches."""
    event = event_current_or_404()
    pass_types = PassType.objects.filter(event=event).order_by("position", "pk")
    if request.method == "POST":
        pass_type = pass_types.filter(pk=id_parse(request.POST.get("pass_type"))).first()
        batch = services.badge_batch_start(event=event, user=request.user, pass_type=pass_type,
                                           attendee_ids=ids_parse(request.POST.get("ids", "")))  # fmt: skip
        if not task_queue_reachable():
            messages.warning(request, TASK_QUEUE_DOWN)
        return redirect("registration:badge-batch", batch_id=batch.pk)
    chosen = pass_types.filter(slug=request.GET.get("pass_type", "")).first()
    ids = ids_parse(request.GET.get("ids", ""))
    count = selectors.badge_batch_attendees(
        event=event, pass_type_id=chosen.pk if chosen else None, attendee_ids=ids
    ).count()
    batches = BadgeBatch.objects.filter(event=event).defer("pdf").select_related("pass_type")[:20]
    return render(request, "registration/badge_batches.html", {
        "event": event, "pass_types": pass_types, "chosen": chosen, "ids": ",".join(map(str, ids)),
        "count": count, "batches": batches,
    })  # fmt: skip


def _batch_or_404(batch_id: int) -> BadgeBatch:
    """A batch, of any edition: whoever may view registrations may print their badges (admin action)."""
    return get_object_or_404(BadgeBatch.objects.defer("pdf").select_related("event"), pk=batch_id)


@never_cache
@staff_member_required
@permission_required("registration.view_attendee", raise_exception=True)
@require_GET
def badge_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A batch's progress: a page that polls its JSON (same URL, Accept: application/json)."""
    batch = _batch_or_404(batch_id)
    download = reverse("registration:badge-batch-pdf", args=[batch.pk]) if batch.status == "done" else ""
    body = {"status": batch.status, "status_display": batch.get_status_display(), "done": batch.done,
            "total": batch.total, "percent": batch.percent, "error": batch.error, "download": download}  # fmt: skip
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(body)
    return render(request, "registration/badge_batch.html", {"event": batch.event, "batch": batch, "progress": body})


@staff_member_required
@permission_required("registration.view_attendee", raise_exception=True)
@require_GET
def badge_batch_pdf(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(batch_id)
    if batch.status != BadgeBatch.Status.DONE:
        return redirect("registration:badge-batch", batch_id=batch.pk)
    pdf = BadgeBatch.objects.values_list("pdf", flat=True).get(pk=batch.pk)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gafetes-{batch.pk}.pdf"'
    return response
