"""Visitor pages: register, sign in with an emailed link, see and manage the registration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from expo.events.selectors import event_current, event_current_or_404
from expo.lib.forms import form_add_service_errors
from expo.lib.ratelimit import RateLimit, client_ip, rate_limits_hit

from . import access, badges, selectors, services
from .badge_pdf import badge_pdf
from .forms import AttendeeDetailsForm, RegistrationForm, SigninForm
from .models import Attendee

# Per client address: generous enough for a hospital or the venue's Wi-Fi behind one address, far
# below a script (40 registrations in 3 s). Per email: a person does not register ten times an hour.
REGISTER_LIMITS = (("ip-minute", "ip", 20, 60), ("ip-hour", "ip", 300, 3600), ("email-hour", "email", 5, 3600))
SIGNIN_LIMITS = (("ip-minute", "ip", 20, 60), ("ip-hour", "ip", 120, 3600), ("email-hour", "email", 10, 3600))


def _rate_limited(request: HttpRequest, scope: str, limits, email: str) -> RateLimit | None:
    """The first limit this request goes over (each limit counts the request), or None."""
    keys = {"ip": client_ip(request), "email": email.strip().lower()}
    over = None
    hits = rate_limits_hit([(f"{scope}-{name}", keys[key], limit, window) for name, key, limit, window in limits])
    for hit in hits:
        if not hit.allowed and (over is None or hit.retry_after > over.retry_after):
            over = hit
    return over


def _too_many(request, template: str, context: dict, limit: RateLimit) -> HttpResponse:
    minutes = max(1, round(limit.retry_after / 60))
    context["form"].add_error(None, ngettext(
        "Too many attempts from here. Try again in %(minutes)d minute.",
        "Too many attempts from here. Try again in %(minutes)d minutes.", minutes) % {"minutes": minutes})  # fmt: skip
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    pass_types = selectors.pass_types_on_sale(event=event)
    form = RegistrationForm(request.POST or None, pass_types=pass_types)
    context = {"event": event, "form": form, "pass_types": pass_types}
    if request.method == "POST" and form.is_valid():
        limited = _rate_limited(request, "register", REGISTER_LIMITS, form.cleaned_data["email"])
        if limited:
            return _too_many(request, "registration/register.html", context, limited)
        try:
            result = services.registration_create(event=event, language=get_language(), **form.registration_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            # The next page says the same whatever happened (new, waitlisted, already registered,
            # cancelled before): the email tells the person; the page tells nobody who is registered.
            request.session["expo_registered_email"] = result.attendee.email
            return redirect("registration:done")
    return render(request, "registration/register.html", context)


def registration_done(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    return render(request, "registration/registration_done.html", {
        "event": event, "email": request.session.get("expo_registered_email"),
    })  # fmt: skip


def next_path(request: HttpRequest, value: str | None) -> str:
    """`value` when it is a path on this site (no other host, no scheme), else ""."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}) else ""


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Ask for a new sign-in link. The answer is the same whether the email is registered or not."""
    event = event_current_or_404()
    form = SigninForm(request.POST or None)
    next_url = next_path(request, request.POST.get("next") if request.method == "POST" else request.GET.get("next"))
    context = {"event": event, "form": form, "sent": False, "next": next_url}
    if request.method == "POST" and form.is_valid():
        limited = _rate_limited(request, "signin", SIGNIN_LIMITS, form.cleaned_data["email"])
        if limited:
            return _too_many(request, "registration/signin.html", context, limited)
        services.signin_link_request(event=event, email=form.cleaned_data["email"], next_url=next_url)
        context["sent"] = True
    return render(request, "registration/signin.html", context)


@require_http_methods(["GET", "POST"])
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST signs in. Mail scanners that open links do not use them up."""
    attendee = access.signin_token_check(token)
    if attendee is None:
        return render(request, "registration/signin_link_invalid.html", status=400)
    if request.method == "POST":
        access.attendee_signin(request, attendee)
        return redirect(next_path(request, request.POST.get("next")) or reverse("registration:mine"))
    return render(request, "registration/signin_link.html", {
        "attendee": attendee, "next": next_path(request, request.GET.get("next")),
    })  # fmt: skip


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    access.attendee_signout(request)
    messages.success(request, _("You have signed out."))
    return redirect("home")


@access.attendee_required
@require_http_methods(["GET", "POST"])
def my_registration(request: HttpRequest) -> HttpResponse:
    attendee = request.attendee
    initial = {name: getattr(attendee, name) for name in services.REGISTRATION_FIELDS}
    initial["interests"] = list(attendee.interests.all())
    form = AttendeeDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        interests = data.pop("interests")
        try:
            services.registration_update(attendee=attendee, interests=interests, **data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("registration:mine")
    badge_code = badges.attendee_badge_code(attendee) if attendee.status == Attendee.Status.CONFIRMED else None
    return render(request, "registration/my_registration.html", {
        "attendee": attendee, "event": attendee.event, "form": form, "badge_code": badge_code,
        "badge_svg": _qr_svg(badge_code) if badge_code else "",
    })  # fmt: skip


def _qr_svg(code: str) -> str:
    import segno

    return segno.make(code, error="m").svg_inline(border=2, omitsize=True, title=code)


@access.attendee_required
def my_badge_pdf(request: HttpRequest) -> HttpResponse:
    attendee = request.attendee
    if attendee.status != Attendee.Status.CONFIRMED:
        messages.error(request, _("Only a confirmed registration has a badge."))
        return redirect("registration:mine")
    response = HttpResponse(badge_pdf(attendee), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gafete-{attendee.badge_code}.pdf"'
    return response


@access.attendee_required
@require_POST
def my_registration_reactivate(request: HttpRequest) -> HttpResponse:
    """Register again after cancelling: the owner, signed in from an emailed link, presses the button."""
    try:
        attendee = services.registration_reactivate(attendee=request.attendee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if attendee.status == Attendee.Status.CONFIRMED:
            messages.success(request, _("You are registered again."))
        else:
            messages.success(request, _("The pass is full: you are on its waitlist."))
    return redirect("registration:mine")


@access.attendee_required
@require_http_methods(["GET", "POST"])
def my_registration_cancel(request: HttpRequest) -> HttpResponse:
    attendee = request.attendee
    if request.method == "POST":
        services.registration_cancel(attendee=attendee)
        messages.success(request, _("Your registration was cancelled and your seat freed."))
        return redirect("registration:mine")
    return render(request, "registration/cancel_confirm.html", {"attendee": attendee, "event": attendee.event})


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/privacy.html", {"event": event_current()})
