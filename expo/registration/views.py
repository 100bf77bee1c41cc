"""Visitor pages: register, sign in with an emailed link, see and manage the registration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from expo.events.selectors import event_current, event_current_or_404
from expo.lib.forms import form_add_service_errors

from . import access, badges, selectors, services
from .badge_pdf import badge_pdf
from .forms import AttendeeDetailsForm, RegistrationForm, SigninForm
from .models import Attendee


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    pass_types = selectors.pass_types_on_sale(event=event)
    form = RegistrationForm(request.POST or None, pass_types=pass_types)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.registration_create(event=event, language=get_language(), **form.registration_kwargs())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            request.session["expo_registered_email"] = result.attendee.email
            if result.created and result.attendee.status == Attendee.Status.WAITLISTED:
                request.session["expo_registered_outcome"] = "waitlisted"
            elif result.created:
                request.session["expo_registered_outcome"] = "confirmed"
            else:
                request.session["expo_registered_outcome"] = "existing"
            return redirect("registration:done")
    return render(request, "registration/register.html", {"event": event, "form": form, "pass_types": pass_types})


def registration_done(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    return render(request, "registration/registration_done.html", {
        "event": event,
        "email": request.session.get("expo_registered_email"),
        "outcome": request.session.get("expo_registered_outcome"),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Ask for a new sign-in link. The answer is the same whether the email is registered or not."""
    event = event_current_or_404()
    form = SigninForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        attendee = Attendee.objects.registered_email(event=event, email=form.cleaned_data["email"]).first()
        if attendee is not None:
            services.signin_link_send(attendee=attendee)
        sent = True
    return render(
        request,
        "registration/signin.html",
        {"event": event, "form": form, "sent": sent, "next": request.GET.get("next", "")},
    )


@require_http_methods(["GET", "POST"])
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST signs in. Mail scanners that open links do not use them up."""
    attendee = access.signin_token_check(token)
    if attendee is None:
        return render(request, "registration/signin_link_invalid.html", status=400)
    if request.method == "POST":
        access.attendee_signin(request, attendee)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("registration:mine")
        return redirect(next_url or "my-registration")
    return render(request, "registration/signin_link.html", {"attendee": attendee, "next": request.GET.get("next", "")})


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
