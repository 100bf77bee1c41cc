"""Pages of two-factor sign-in for staff, served under /admin/ by the organizers' admin site
(sites.ExpoAdminSite.get_urls): the code step after the password, setting up an authenticator app
(QR code drawn on the server as SVG, the secret in text, a first code to confirm), the backup codes
shown once, and one's own devices. The rules are in services.py and two_factor.py; wrong codes are
counted by the sign-in lockout (expo/lib/login_lockout.py)."""

from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.lib.forms import form_add_service_errors
from expo.lib.login_lockout import code_failed, code_locked_for, code_succeeded, lockout_message
from expo.lib.parsing import id_parse

from . import selectors, services
from .forms import TwoFactorCodeForm, TwoFactorEnrollForm
from .two_factor import (
    ENROLL,
    VERIFY,
    WRONG_CODE,
    two_factor_confirmed,
    two_factor_confirmed_recently,
    two_factor_has_app,
    two_factor_required,
    two_factor_step_url,
)

BACKUP_CODES_SESSION_KEY = "expo_backup_codes"


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("admin:index")


def _verified(request: HttpRequest, device) -> None:
    """The session is now verified by `device`; a new session key, as after any sign-in."""
    request.session.cycle_key()
    django_otp.login(request, device)
    two_factor_confirmed(request)
    code_succeeded(str(request.user.pk))


def _confirm_first(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """A redirect to the code page when changing the second factors needs a fresh code, else None."""
    if two_factor_confirmed_recently(request):
        return None
    return redirect(f"{reverse('admin:two-factor-confirm')}?{urlencode({'next': next_url})}")


def _submitted_code_device(request: HttpRequest, form):
    """On a POST of the code form: the device that accepts its code, or None with the form's error set
    (locked out, or a wrong code, which the lockout counts)."""
    if request.method != "POST" or not form.is_valid() or _locked(request, form):
        return None
    device = _code_device(request, form.cleaned_data["code"])
    if device is None:
        code_failed(request, str(request.user.pk))
        form.add_error("code", WRONG_CODE)
    return device


def _locked(request: HttpRequest, form) -> bool:
    seconds = code_locked_for(request, str(request.user.pk))
    if seconds:
        form.add_error("code", lockout_message(seconds))
    return bool(seconds)


def _code_device(request: HttpRequest, token: str):
    """The user's device that accepts `token` (used up: a TOTP code once, a backup code for good)."""
    user = request.user
    if token.isdigit() and len(token) == 6:
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
        token = services.backup_code_digest(token)  # backup codes are stored as digests
    for device in candidates:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def two_factor_verify(request: HttpRequest, *, site) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    user = request.user
    if not _staff(user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    next_url = _next(request)
    if user.is_verified():
        return redirect(next_url)
    if not two_factor_has_app(user):
        return redirect(two_factor_step_url(ENROLL, next_url) if two_factor_required(user) else next_url)
    form = TwoFactorCodeForm(request.POST or None)
    device = _submitted_code_device(request, form)
    if device is not None:
        _verified(request, device)
        if isinstance(device, StaticDevice):
            left = selectors.backup_codes_left(user=user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a backup code; it will not work again. %(left)d backup code left.",
                    "You signed in with a backup code; it will not work again. %(left)d backup codes left.",
                    left,
                )
                % {"left": left},
            )
        return redirect(next_url)
    context = {**site.each_context(request), "title": _("Two-step sign-in"), "form": form, "next": next_url}
    return TemplateResponse(request, "admin/two_factor/verify.html", context)


def two_factor_enroll(request: HttpRequest, *, site) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a first code."""
    user = request.user
    if not _staff(user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    next_url = _next(request)
    if not user.is_verified() and two_factor_has_app(user):
        # Someone holding only the password must not add their own app: the code comes first.
        return redirect(two_factor_step_url(VERIFY, next_url))
    if (confirm := _confirm_first(request, request.get_full_path())) is not None:
        return confirm  # adding a second app to an account that has one
    device = services.two_factor_enroll_start(user=user)
    form = TwoFactorEnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _locked(request, form):
        try:
            device, codes = services.two_factor_enroll_confirm(
                user=user, device_id=device.pk, token=form.cleaned_data["code"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            code_failed(request, str(user.pk))
            form_add_service_errors(form, ValidationError({"code": error.messages}))
            device = services.two_factor_enroll_start(user=user)
        else:
            _verified(request, device)
            messages.success(request, _("Two-step sign-in is on: your authenticator app will be asked for a code."))
            if codes:
                request.session[BACKUP_CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('admin:two-factor-backup-codes')}?{urlencode({'next': next_url})}")
            return redirect(next_url)
    secret = b32encode(device.bin_key).decode()
    context = {
        **site.each_context(request),
        "title": _("Set up two-step sign-in"),
        "form": form,
        "next": next_url,
        "required": two_factor_required(user),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title=_("QR code")),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return TemplateResponse(request, "admin/two_factor/enroll.html", context)


def two_factor_backup_codes(request: HttpRequest, *, site) -> HttpResponse:
    """New backup codes, shown once: reloading the page does not show them again."""
    if not _staff(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("admin:two-factor-manage")
    context = {**site.each_context(request), "title": _("Your backup codes"), "codes": codes, "next": _next(request)}
    return TemplateResponse(request, "admin/two_factor/backup_codes.html", context)


def two_factor_confirm(request: HttpRequest, *, site) -> HttpResponse:
    """A code again, before changing one's second factors (two_factor.CONFIRM_SECONDS after the last)."""
    next_url = _next(request)
    form = TwoFactorCodeForm(request.POST or None)
    if _submitted_code_device(request, form) is not None:
        two_factor_confirmed(request)
        code_succeeded(str(request.user.pk))
        return redirect(next_url)
    context = {**site.each_context(request), "title": _("Confirm it is you"), "form": form, "next": next_url}
    return TemplateResponse(request, "admin/two_factor/confirm.html", context)


def two_factor_manage(request: HttpRequest, *, site) -> HttpResponse:
    """One's own authenticator apps and backup codes (after a fresh code: see two_factor.py)."""
    if (confirm := _confirm_first(request, request.get_full_path())) is not None:
        return confirm
    user = request.user
    context = {
        **site.each_context(request),
        "title": _("Two-step sign-in"),
        "apps": selectors.two_factor_apps(user=user),
        "backup_codes_left": selectors.backup_codes_left(user=user),
        "required": two_factor_required(user),
    }
    return TemplateResponse(request, "admin/two_factor/manage.html", context)


@require_POST
def two_factor_backup_codes_regenerate(request: HttpRequest, *, site) -> HttpResponse:
    if (confirm := _confirm_first(request, reverse("admin:two-factor-manage"))) is not None:
        return confirm
    try:
        codes = services.backup_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admin:two-factor-manage")
    request.session[BACKUP_CODES_SESSION_KEY] = codes
    manage = reverse("admin:two-factor-manage")
    return redirect(f"{reverse('admin:two-factor-backup-codes')}?{urlencode({'next': manage})}")


@require_POST
def two_factor_device_remove(request: HttpRequest, *, site) -> HttpResponse:
    if (confirm := _confirm_first(request, reverse("admin:two-factor-manage"))) is not None:
        return confirm
    device_id = id_parse(request.POST.get("device", ""))
    try:
        services.two_factor_device_remove(user=request.user, device_id=device_id or 0)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authenticator app was removed."))
    return redirect("admin:two-factor-manage")
