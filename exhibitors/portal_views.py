"""The exhibitor portal (/expositor/): company profile, products, booth staff, lead capture and
follow-up with exports, API tokens and webhook endpoints.

Exhibitor staff sign in with a Django user linked to the exhibitor (Exhibitor.staff; never
`is_staff`: the admin stays closed to them). `portal_required` finds the exhibitor the user works
for in the current edition (a user of several picks one), and every object is fetched through
`selectors.exhibitor_object`, scoped to that exhibitor: another exhibitor's object answers 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expo.events.selectors import event_current_or_404
from expo.lib.forms import form_add_service_errors
from expo.registration import selectors as registration_selectors

from . import exports, selectors, services
from .forms import (
    LeadFilterForm,
    LeadForm,
    PortalSigninForm,
    ProductForm,
    ProfileForm,
    StaffForm,
    TokenForm,
    WebhookForm,
)
from .models import ApiToken, BoothStaff, Lead, Product, WebhookEndpoint

SESSION_KEY = "expo_exhibitor_id"


def portal_required(view):
    """Signed-in portal user of an exhibitor of the current edition; sets request.exhibitor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('exhibitors:portal-signin')}?next={request.get_full_path()}")
        event = event_current_or_404()
        exhibitors = list(selectors.exhibitors_of_user(user=request.user, event=event))
        if not exhibitors:
            return render(request, "exhibitors/portal/no_exhibitor.html", {"event": event}, status=403)
        chosen = next((e for e in exhibitors if e.pk == request.session.get(SESSION_KEY)), exhibitors[0])
        request.exhibitor, request.exhibitors = chosen, exhibitors
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {"exhibitor": request.exhibitor, "exhibitors": request.exhibitors, **context}
    return render(request, f"exhibitors/portal/{template}", context, status=status)


# Signing in -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = PortalSigninForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(next_url or "exhibitors:portal")
    return render(request, "exhibitors/portal/signin.html", {"event": event, "form": form, "next": next_url})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("exhibitors:portal-signin")


@require_POST
@portal_required
def choose(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("exhibitor", "")
    for exhibitor in request.exhibitors:
        if str(exhibitor.pk) == wanted:
            request.session[SESSION_KEY] = exhibitor.pk
    return redirect("exhibitors:portal")


# Home -------------------------------------------------------------------------------------------


@require_GET
@portal_required
def home(request: HttpRequest) -> HttpResponse:
    exhibitor = request.exhibitor
    return _page(request, "home.html", {
        "counts": selectors.lead_counts(exhibitor=exhibitor),
        "staff_used": selectors.booth_staff_of(exhibitor=exhibitor).count(),
        "staff_quota": selectors.staff_badges_quota(exhibitor=exhibitor),
        "products": selectors.products_of(exhibitor=exhibitor).count(),
        "recent": selectors.leads_of(exhibitor=exhibitor)[:5],
    })  # fmt: skip


# Company and products -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_required
def profile(request: HttpRequest) -> HttpResponse:
    exhibitor = request.exhibitor
    organization = exhibitor.organization
    initial = {
        "description": organization.description, "website": organization.website,
        "categories": list(exhibitor.categories.all()), "capabilities": list(organization.capabilities.all()),
        "certifications": list(organization.certifications.all()),
    }  # fmt: skip
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibitor_profile_update(exhibitor=exhibitor, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Company profile saved. The directory shows it now."))
            return redirect("exhibitors:portal-profile")
    return _page(request, "profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
@portal_required
def products(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_create(exhibitor=request.exhibitor, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Product added."))
            return redirect("exhibitors:portal-products")
    return _page(
        request, "products.html", {"form": form, "products": selectors.products_of(exhibitor=request.exhibitor)}
    )


@require_http_methods(["GET", "POST"])
@portal_required
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.exhibitor_object(Product.objects.select_related("category"), exhibitor=request.exhibitor,
                                         pk=product_id)  # fmt: skip
    initial = {
        "name": product.name,
        "category": product.category,
        "url": product.url,
        "description": product.description,
    }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product=product, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Product saved."))
            return redirect("exhibitors:portal-products")
    return _page(request, "product_edit.html", {"form": form, "product": product})


@require_POST
@portal_required
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.exhibitor_object(Product.objects.all(), exhibitor=request.exhibitor, pk=product_id)
    services.product_delete(product=product)
    messages.success(request, _("Product removed."))
    return redirect("exhibitors:portal-products")


# Booth staff --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_required
def staff(request: HttpRequest) -> HttpResponse:
    exhibitor = request.exhibitor
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.booth_staff_register(exhibitor=exhibitor, by=request.user, language=get_language(),
                                                   **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered; the badge is on its way to %(email)s.")
                             % {"name": member.attendee.full_name, "email": member.attendee.email})  # fmt: skip
            return redirect("exhibitors:portal-staff")
    members = list(selectors.booth_staff_of(exhibitor=exhibitor))
    quota = selectors.staff_badges_quota(exhibitor=exhibitor)
    return _page(request, "staff.html", {"form": form, "members": members, "quota": quota,
                                          "left": max(quota - len(members), 0)})  # fmt: skip


@require_POST
@portal_required
def staff_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.exhibitor_object(BoothStaff.objects.select_related("attendee", "exhibitor__event"),
                                        exhibitor=request.exhibitor, pk=member_id)  # fmt: skip
    services.booth_staff_remove(member=member)
    messages.success(request, _("%(name)s is no longer on your booth staff.") % {"name": member.attendee.full_name})
    return redirect("exhibitors:portal-staff")


# Leads ------------------------------------------------------------------------------------------

SCAN_MESSAGES = {
    "ok": lambda: _("Lead captured"),
    "already": lambda: _("Already one of your leads"),
    "invalid": lambda: _("Invalid badge: this code was not issued by Medical Expo"),
    "other_event": lambda: _("This badge is for another edition"),
    "cancelled": lambda: _("This registration was cancelled"),
    "waitlisted": lambda: _("This visitor is on the waitlist, without a confirmed registration"),
    "own_staff": lambda: _("This is a badge of your own booth staff"),
}


def _lead_filters(request):
    form = LeadFilterForm(request.GET or None)
    return form, form.filters() if request.GET else {}


@require_GET
@portal_required
def leads(request: HttpRequest) -> HttpResponse:
    form, filters = _lead_filters(request)
    found = selectors.leads_of(exhibitor=request.exhibitor, **filters)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    rows = [(lead, selectors.lead_contact(lead)) for lead in page]
    query = request.GET.copy()
    query.pop("page", None)
    return _page(request, "leads.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode(),
                                          "counts": selectors.lead_counts(exhibitor=request.exhibitor)})  # fmt: skip


@require_http_methods(["GET", "POST"])
@portal_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = selectors.exhibitor_object(selectors.leads_of(exhibitor=request.exhibitor), exhibitor=request.exhibitor,
                                      pk=lead_id)  # fmt: skip
    form = LeadForm(request.POST or None, initial={"rating": lead.rating, "status": lead.status, "notes": lead.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_update(lead=lead, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Lead saved."))
            return redirect("exhibitors:portal-lead", lead_id=lead.pk)
    return _page(request, "lead.html", {"lead": lead, "contact": selectors.lead_contact(lead), "form": form})


def _offline_badge_keys(event) -> dict:
    """The keys the scanner page verifies badges with while offline: public keys only (exhibitor
    staff can check a badge, never sign one), as the doors get them."""
    return registration_selectors.badge_public_keys(event=event)


@require_GET
@portal_required
def scan(request: HttpRequest) -> HttpResponse:
    event = request.exhibitor.event
    return _page(request, "scan.html", {"event": event, "badge_public_keys": _offline_badge_keys(event),
                                         "today": _leads_today(request.exhibitor)})  # fmt: skip


def _leads_today(exhibitor) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Lead.objects.filter(exhibitor=exhibitor, created_at__gte=start).count()


def _scanned_at(value: str):
    """The time an offline scanner read the badge (ISO 8601), if it sent a sane one."""
    from django.utils.dateparse import parse_datetime  # noqa: PLC0415

    moment = parse_datetime(value or "")
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment if timezone.now() - moment < timezone.timedelta(days=7) else None
    except OverflowError:
        return None


@require_POST
@portal_required
def scan_capture(request: HttpRequest) -> JsonResponse:
    """A badge read by the scanner page (camera, USB scanner or typed): JSON for checkin.js."""
    code = request.POST.get("code", "").strip()[:200]
    if not code:
        return JsonResponse({"admitted": False, "outcome": "invalid", "message": _("Scan or type a badge code.")},
                            status=400)  # fmt: skip
    result = services.lead_capture(exhibitor=request.exhibitor, code=code, by=request.user,
                                   at=_scanned_at(request.POST.get("scanned_at", "")))  # fmt: skip
    message = SCAN_MESSAGES.get(result.outcome, SCAN_MESSAGES["invalid"])()
    body = {"admitted": result.captured, "outcome": result.outcome, "message": message}
    if result.attendee is not None:
        contact = selectors.attendee_contact(result.attendee)
        body.update(name=contact.name, organization=contact.organization,
                    pass_type=contact.email or _("contact details not shared"))  # fmt: skip
    if result.lead is not None:
        body["lead_url"] = reverse("exhibitors:portal-lead", args=[result.lead.pk])
    body["today"] = _leads_today(request.exhibitor)
    return JsonResponse(body)


@require_GET
@portal_required
def leads_export(request: HttpRequest, file_format: str) -> HttpResponse:
    _form, filters = _lead_filters(request)
    found = selectors.leads_of(exhibitor=request.exhibitor, **filters)
    name = f"prospectos-{request.exhibitor.slug}-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "xlsx":
        return exports.leads_xlsx(name, found)
    return exports.leads_csv(name, found)


# API tokens and webhooks --------------------------------------------------------------------------


def _integrations(request, *, token_form=None, webhook_form=None, new_secret=None, status=200) -> HttpResponse:
    exhibitor = request.exhibitor
    response = _page(request, "integrations.html", {
        "tokens": selectors.tokens_of(exhibitor=exhibitor), "endpoints": selectors.endpoints_of(exhibitor=exhibitor),
        "token_form": token_form or TokenForm(), "webhook_form": webhook_form or WebhookForm(),
        "new_secret": new_secret, "now": timezone.now(),
    }, status=status)  # fmt: skip
    if new_secret:
        response["Cache-Control"] = "no-store"  # the token is shown once: keep it out of caches
    return response


@require_GET
@portal_required
def integrations(request: HttpRequest) -> HttpResponse:
    return _integrations(request)


@require_POST
@portal_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.api_token_create(
                exhibitor=request.exhibitor, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(), by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return _integrations(request, new_secret=secret)
    return _integrations(request, token_form=form, status=400)


@require_POST
@portal_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.exhibitor_object(ApiToken.objects.all(), exhibitor=request.exhibitor, pk=token_id)
    services.api_token_revoke(token=token)
    messages.success(request, _("Token %(prefix)s revoked: it stops working now.") % {"prefix": token.prefix})
    return redirect("exhibitors:portal-integrations")


@require_POST
@portal_required
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(exhibitor=request.exhibitor, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Endpoint added. Verify each delivery with its signing secret."))
            return redirect("exhibitors:portal-webhook", endpoint_id=endpoint.pk)
    return _integrations(request, webhook_form=form, status=400)


def _endpoint(request, endpoint_id) -> WebhookEndpoint:
    return selectors.exhibitor_object(WebhookEndpoint.objects.all(), exhibitor=request.exhibitor, pk=endpoint_id)


@require_GET
@portal_required
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    page = Paginator(selectors.deliveries_of(endpoint=endpoint), 30).get_page(request.GET.get("page"))
    return _page(request, "webhook.html", {"endpoint": endpoint, "page": page})


@require_POST
@portal_required
def webhook_action(request: HttpRequest, endpoint_id: int, action: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    if action == "test":
        services.webhook_test_send(endpoint=endpoint)
        messages.success(request, _("Test event sent. Its delivery is at the top of the log."))
    elif action in ("enable", "disable"):
        services.webhook_endpoint_update(endpoint=endpoint, is_active=action == "enable")
        messages.success(request, _("Endpoint enabled.") if action == "enable" else _("Endpoint disabled."))
    elif action == "delete":
        services.webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Endpoint deleted."))
        return redirect("exhibitors:portal-integrations")
    return redirect("exhibitors:portal-webhook", endpoint_id=endpoint.pk)
