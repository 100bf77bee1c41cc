"""Writes of exhibitors, each with its rules, inside a transaction.

The company profile and products (and the directory's search text they feed), booth staff within
the package's badge quota, leads captured from scanned badges and their follow-up, API tokens, and
webhooks: endpoints, the delivery outbox and its sending.

Webhooks work like the email outbox: `webhook_event_send` writes one `WebhookDelivery` per
subscribed endpoint in the transaction of its cause (a lead captured, a meeting booked), so a
delivery exists exactly when its cause does; after the commit a Celery task sends it. Deliveries to
one endpoint go out one at a time in the order they were written: a sender holds the endpoint's
lease (`sending_until`) and sends the oldest pending delivery first; a failed one is retried with
exponential backoff for up to a day before the next is sent, so a receiver sees events in order and
each once. A 410 Gone disables the endpoint. If Redis is down, the periodic `webhooks_drain` sends
what is due once it is back.
"""

import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expo.events.models import Term
from expo.lib.joined import JoinedRow
from expo.lib.pagecache import version_bump
from expo.registration import selectors as registration_selectors
from expo.registration.models import Attendee
from expo.registration.services import registration_cancel, registration_create

from . import search, selectors, tasks, webhooks
from .models import (
    ApiToken,
    BoothStaff,
    Exhibitor,
    IdempotentRequest,
    Lead,
    Organization,
    Product,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)


def _vocabulary_check(terms, vocabulary: str, field: str) -> list[Term]:
    terms = list(terms or [])
    if any(term.vocabulary != vocabulary for term in terms):
        raise ValidationError({field: _("Choose terms from the list.")})
    return terms


# The directory's search text ------------------------------------------------------------------


def exhibitor_search_text_refresh(*, exhibitor_ids) -> int:
    """Rewrite the normalized search text (company, products, booth, hall) of these exhibitors."""
    exhibitors = list(
        Exhibitor.objects.filter(pk__in=list(exhibitor_ids))
        .select_related("organization", "hall")
        .prefetch_related("products")
    )
    for exhibitor in exhibitors:
        parts = [exhibitor.organization.name, exhibitor.booth]
        if exhibitor.hall_id:
            parts += [exhibitor.hall.name_es, exhibitor.hall.name_en]
        for product in exhibitor.products.all():
            parts += [product.name, product.description[:300]]
        exhibitor.search_text = search.search_text(*parts)
    Exhibitor.objects.bulk_update(exhibitors, ["search_text"], batch_size=500)
    # Every change the public pages show passes here: their cached content is rendered again.
    transaction.on_commit(lambda: version_bump("exhibitors"))
    return len(exhibitors)


def exhibitor_slug_make(*, event_id: int, name: str, exclude_pk: int | None = None) -> str:
    """A slug for the exhibitor's page address, unique in the edition."""
    base = slugify(name)[:70] or "expositor"
    taken = set(Exhibitor.objects.filter(event_id=event_id, slug__startswith=base).exclude(pk=exclude_pk)
                .values_list("slug", flat=True))  # fmt: skip
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# The company profile and products -------------------------------------------------------------

PROFILE_FIELDS = ("description", "website")


def exhibitor_profile_update(
    *, exhibitor: Exhibitor, categories=None, capabilities=None, certifications=None, **fields
) -> Exhibitor:
    """What an exhibitor says about itself: description, website, categories, capabilities, certifications.

    The company's name, RFC, size, booth and package are the organizers' to change (admin).
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not editable by the exhibitor: {sorted(unknown)}")
    categories = None if categories is None else _vocabulary_check(categories, Term.Vocabulary.DEVICE_CATEGORY,
                                                                     "categories")  # fmt: skip
    capabilities = None if capabilities is None else _vocabulary_check(capabilities, Term.Vocabulary.CAPABILITY,
                                                                         "capabilities")  # fmt: skip
    certifications = (
        None
        if certifications is None
        else _vocabulary_check(certifications, Term.Vocabulary.CERTIFICATION, "certifications")
    )
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=exhibitor.organization_id)
        for name, value in fields.items():
            setattr(organization, name, (value or "").strip())
        organization.full_clean(exclude=["state", "rfc", "kind", "size", "name", "country"])
        organization.save(update_fields=list(fields) or None)
        exhibitor.organization = organization
        if categories is not None:
            exhibitor.categories.set(categories)
        if capabilities is not None:
            organization.capabilities.set(capabilities)
        if certifications is not None:
            organization.certifications.set(certifications)
        exhibitor_search_text_refresh(exhibitor_ids=[exhibitor.pk])
    return exhibitor


PRODUCT_FIELDS = ("name", "description", "category", "url")
PRODUCTS_PER_EXHIBITOR = 200


def _product_clean(product: Product) -> None:
    product.name = (product.name or "").strip()
    product.description = (product.description or "").strip()
    if product.category is not None and product.category.vocabulary != Term.Vocabulary.DEVICE_CATEGORY:
        raise ValidationError({"category": _("Choose a device category from the list.")})
    product.full_clean(exclude=["exhibitor", "category"])


def product_create(*, exhibitor: Exhibitor, name: str, description: str = "", category=None, url: str = "") -> Product:
    with transaction.atomic():
        Exhibitor.objects.select_for_update().filter(pk=exhibitor.pk).first()
        if Product.objects.filter(exhibitor=exhibitor).count() >= PRODUCTS_PER_EXHIBITOR:
            raise ValidationError(_("You already have %(n)d products, the most a catalogue can hold.")
                                  % {"n": PRODUCTS_PER_EXHIBITOR})  # fmt: skip
        product = Product(exhibitor=exhibitor, name=name, description=description, category=category, url=url or "")
        _product_clean(product)
        product.save()
        exhibitor_search_text_refresh(exhibitor_ids=[exhibitor.pk])
    return product


def product_update(*, product: Product, **fields) -> Product:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(product, name, value if value is not None or name == "category" else "")
        product.updated_at = timezone.now()
        _product_clean(product)
        product.save()
        exhibitor_search_text_refresh(exhibitor_ids=[product.exhibitor_id])
    return product


def product_delete(*, product: Product) -> None:
    with transaction.atomic():
        exhibitor_id = product.exhibitor_id
        product.delete()
        exhibitor_search_text_refresh(exhibitor_ids=[exhibitor_id])


# Booth staff ----------------------------------------------------------------------------------


def booth_staff_register(
    *,
    exhibitor: Exhibitor,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    language: str = "es-mx",
    by=None,
) -> BoothStaff:
    """Register a person to work at the booth: a registration with the edition's staff pass (so a
    badge, emailed like any visitor's), within the package's badge quota.

    The exhibitor row is locked, so two colleagues adding staff at once cannot pass the quota. A
    person already registered for the edition keeps their registration and badge and is added.
    """
    settings_ = selectors.exhibitor_settings(event=exhibitor.event)
    if settings_ is None or settings_.staff_pass_type is None:
        raise ValidationError(_("The organizers have not opened booth staff registration yet."))
    with transaction.atomic():
        Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
        quota = selectors.staff_badges_quota(exhibitor=exhibitor, settings=settings_)
        if selectors.booth_staff_of(exhibitor=exhibitor).count() >= quota:
            raise ValidationError(
                _("Your package includes %(quota)d staff badges and all are in use. Remove someone first.")
                % {"quota": quota}
            )
        result = registration_create(
            event=exhibitor.event, pass_type=settings_.staff_pass_type, email=email, first_name=first_name,
            last_name=last_name, privacy_accepted=True, language=language, at_desk=True,
            organization_name=exhibitor.organization.name, organization_kind=exhibitor.organization.kind,
            job_title=job_title.strip(), state=exhibitor.organization.state, share_with_exhibitors=True,
        )  # fmt: skip
        attendee = result.attendee
        if result.created:
            # registration_create's desk mode is what lets staff take a pass that is not on sale;
            # they were registered by their exhibitor, not at the desk.
            Attendee.objects.filter(pk=attendee.pk).update(registered_at_desk=False)
        existing = BoothStaff.objects.filter(attendee=attendee).select_related("exhibitor").first()
        if existing is not None:
            if existing.exhibitor_id == exhibitor.pk:
                raise ValidationError({"email": _("This person is already on your booth staff.")})
            raise ValidationError({"email": _("This person already works at another exhibitor's booth.")})
        if attendee.status != Attendee.Status.CONFIRMED:
            raise ValidationError({"email": _("This person's registration is not confirmed.")})
        return BoothStaff.objects.create(exhibitor=exhibitor, attendee=attendee, added_by=by)


def booth_staff_remove(*, member: BoothStaff) -> None:
    """Take someone off the booth: their staff registration is cancelled (the badge stops working),
    and the badge goes back to the quota. A visitor's own registration is only unlinked."""
    with transaction.atomic():
        attendee = member.attendee
        staff_pass = selectors.exhibitor_settings(event=member.exhibitor.event)
        member.delete()
        if staff_pass is not None and attendee.pass_type_id == staff_pass.staff_pass_type_id:
            registration_cancel(attendee=attendee)


# Leads ----------------------------------------------------------------------------------------


@dataclass
class LeadCapture:
    outcome: str  # ok, already, invalid, other_event, cancelled, waitlisted, own_staff
    lead: Lead | None = None
    attendee: Attendee | None = None
    data: dict | None = None  # a new lead as the API and the webhook show it (LeadSerializer)

    @property
    def captured(self) -> bool:
        return self.outcome in ("ok", "already")


def lead_capture(
    *, exhibitor: Exhibitor, code: str, by=None, at: datetime | None = None, source: str = "portal",
    notes: str = "", rating: str = "",
) -> LeadCapture:  # fmt: skip
    """A visitor's badge scanned at the booth becomes a lead, once per visitor: a second scan (another
    phone, a retried or offline-synced request) returns the first lead.

    `at` is when the badge was read (scanners that worked offline sync later); it is kept within the
    edition and never in the future. A new lead sends the `lead.created` webhook in the same transaction.
    """
    # The visitor's state is loaded with them: a new lead shows it (with their consent).
    holder = registration_selectors.badge_holder(event=exhibitor.event, code=code, related=("state",))
    if not holder.valid:
        return LeadCapture(holder.outcome, attendee=holder.attendee)
    attendee = holder.attendee
    if BoothStaff.objects.filter(attendee=attendee, exhibitor=exhibitor).exists():
        return LeadCapture("own_staff", attendee=attendee)
    now = timezone.now()
    # In UTC: PostgreSQL refuses the far offsets ISO 8601 allows (an offline scanner's clock).
    at = min(at or now, now).astimezone(UTC)
    if rating not in ("", *Lead.Rating.values):
        raise ValidationError({"rating": _("Choose hot, warm or cold.")})
    # The insert first: most scans at a booth are a new visitor. The unique (exhibitor, attendee)
    # constraint answers a second scan (another phone of the booth, a retried or offline-synced
    # request, at the same moment or later), which rolls this block back and returns the first lead.
    try:
        with transaction.atomic():
            lead = Lead.objects.create(
                exhibitor=exhibitor, attendee=attendee, scanned_by=by, created_at=at, updated_at=now,
                source=source[:10], notes=notes.strip()[:4000], rating=rating,
            )  # fmt: skip
            data = _lead_data(lead, loaded=True)  # the visitor and their pass are loaded (badge_holder)
            webhook_event_send(exhibitor=exhibitor, event_type=WebhookEvent.LEAD_CREATED, data=data)
    except IntegrityError:
        lead = Lead.objects.get(exhibitor=exhibitor, attendee=attendee)
        return LeadCapture("already", lead=lead, attendee=attendee)
    return LeadCapture("ok", lead=lead, attendee=attendee, data=data)


def _lead_data(lead: Lead, *, loaded: bool = False) -> dict:
    """The lead as the API and the webhooks show it; `loaded`: its visitor is in memory already (only
    their state and interests are read, when they share their details)."""
    from .serializers import LeadSerializer

    if not loaded:
        lead = selectors.leads_of(exhibitor=lead.exhibitor).get(pk=lead.pk)
    return LeadSerializer(lead).data


LEAD_FIELDS = ("notes", "rating", "status")


def lead_update(*, lead: Lead, **fields) -> Lead:
    """Notes, rating (hot, warm, cold or none) and follow-up status; `lead.updated` goes out if anything changed."""
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "rating" in fields and (fields["rating"] or "") not in ("", *Lead.Rating.values):
        raise ValidationError({"rating": _("Choose hot, warm or cold.")})
    if "status" in fields and fields["status"] not in Lead.Status.values:
        raise ValidationError({"status": _("Choose a follow-up status from the list.")})
    if len(fields.get("notes") or "") > 4000:
        raise ValidationError({"notes": _("Keep notes under 4,000 characters.")})
    with transaction.atomic():
        lead = Lead.objects.select_for_update().select_related("exhibitor").get(pk=lead.pk)
        changed = []
        for name, value in fields.items():
            value = (value or "").strip() if name == "notes" else (value or "")
            if getattr(lead, name) != value:
                setattr(lead, name, value)
                changed.append(name)
        if changed:
            lead.updated_at = timezone.now()
            lead.save(update_fields=[*changed, "updated_at"])
            data = _lead_data(lead)
            data["changed"] = changed
            webhook_event_send(exhibitor=lead.exhibitor, event_type=WebhookEvent.LEAD_UPDATED, data=data)
    return lead


# API tokens -----------------------------------------------------------------------------------

TOKEN_PREFIX = "expo_"


def api_token_create(
    *, exhibitor: Exhibitor, name: str, scopes, expires_at: datetime | None = None, by=None
) -> tuple[ApiToken, str]:
    """A new token and its secret. Only a digest is stored: the secret is shown once, now."""
    scopes = sorted(set(scopes))
    if not scopes or any(scope not in ApiToken.Scope.values for scope in scopes):
        raise ValidationError({"scopes": _("Choose at least one scope: %(scopes)s.")
                               % {"scopes": ", ".join(ApiToken.Scope.values)}})  # fmt: skip
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("Give the token a name (up to 100 characters) to tell it apart.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    prefix = get_random_string(8, "abcdefghijkmnpqrstuvwxyz23456789")
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            exhibitor=exhibitor, name=name, prefix=prefix, key_hash=ApiToken.digest(secret), scopes=scopes,
            expires_at=expires_at, created_by=by,
        )  # fmt: skip
    return token, secret


def api_token_revoke(*, token: ApiToken, at: datetime | None = None) -> ApiToken:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=at or timezone.now())
    token.refresh_from_db()
    return token


# Every exhibitor API request reads its token with the exhibitor, edition and organization: by a
# statement built once (expo/lib/joined.py), 0.8 ms where the ORM's select_related took 2.6.
TOKEN_WITH_EXHIBITOR = JoinedRow(ApiToken, ["exhibitor", "exhibitor__event", "exhibitor__organization"], "key_hash")


def api_token_authenticate(*, secret: str, at: datetime | None = None) -> tuple[ApiToken | None, str]:
    """(token, "") for a usable token; (None, why) otherwise: "unknown", "revoked" or "expired"."""
    at = at or timezone.now()
    token = TOKEN_WITH_EXHIBITOR.get(ApiToken.digest(secret))
    if token is None:
        return None, "unknown"
    if token.revoked_at is not None:
        return None, "revoked"
    if token.expires_at is not None and token.expires_at <= at:
        return None, "expired"
    # At most one write a minute per token, so reads stay reads.
    if token.last_used_at is None or token.last_used_at < at - timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
    return token, ""


# Idempotent API requests ----------------------------------------------------------------------

IDEMPOTENCY_HOURS = 24


def idempotent_request_begin(*, token: ApiToken, key: str, fingerprint: str) -> IdempotentRequest | None:
    """Inside the request's transaction: claim `key` for this token.

    Returns None when the key is new (the row is written and held until the transaction ends, so a
    simultaneous retry waits for it), else the earlier request (whose answer is replayed).
    """
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(token=token, key=key, fingerprint=fingerprint)
        return None
    except IntegrityError:
        return IdempotentRequest.objects.get(token=token, key=key)


def idempotent_request_finish(*, token: ApiToken, key: str, status_code: int, body) -> None:
    IdempotentRequest.objects.filter(token=token, key=key).update(status_code=status_code, body=body)


def idempotent_requests_purge(*, at: datetime | None = None) -> int:
    """Forget keys older than IDEMPOTENCY_HOURS (periodic)."""
    cutoff = (at or timezone.now()) - timedelta(hours=IDEMPOTENCY_HOURS)
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]


# Webhooks: endpoints --------------------------------------------------------------------------

ENDPOINTS_PER_EXHIBITOR = 10
EVENT_TYPES = [e for e in WebhookEvent.values if e != WebhookEvent.PING]


def _url_rules() -> dict:
    return {"allow_http": settings.WEBHOOKS_ALLOW_HTTP, "allow_private": settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES}


UNSAFE_URL_MESSAGES = {
    "only https URLs can receive webhooks": gettext_lazy("Use an https:// address."),
    "the address is inside a private network": gettext_lazy(
        "This address points inside a private network; use your CRM's public address."
    ),
}


def webhook_url_clean(url: str) -> str:
    url = (url or "").strip()
    if len(url) > 500:
        raise ValidationError({"url": _("Use an address of up to 500 characters.")})
    try:
        webhooks.url_check(url, **_url_rules())
    except webhooks.UnsafeURL as error:
        message = UNSAFE_URL_MESSAGES.get(
            str(error), _("Enter a valid web address, for example https://crm.example.com/hooks/expo.")
        )
        raise ValidationError({"url": str(message)}) from None
    return url


def _events_clean(events) -> list[str]:
    events = sorted(set(events or []))
    if any(event not in EVENT_TYPES for event in events):
        raise ValidationError({"events": _("Choose events from: %(events)s.") % {"events": ", ".join(EVENT_TYPES)}})
    return events


def webhook_endpoint_create(*, exhibitor: Exhibitor, url: str, events=(), description: str = "") -> WebhookEndpoint:
    """A new endpoint with its own signing secret (shown to the exhibitor to verify signatures)."""
    url = webhook_url_clean(url)
    events = _events_clean(events)
    with transaction.atomic():
        Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
        if WebhookEndpoint.objects.filter(exhibitor=exhibitor).count() >= ENDPOINTS_PER_EXHIBITOR:
            raise ValidationError(_("You already have %(n)d webhook endpoints, the most allowed.")
                                  % {"n": ENDPOINTS_PER_EXHIBITOR})  # fmt: skip
        return WebhookEndpoint.objects.create(
            exhibitor=exhibitor, url=url, events=events, description=(description or "").strip()[:200],
            secret="whsec_" + secrets.token_urlsafe(32),
        )  # fmt: skip


def webhook_endpoint_update(*, endpoint: WebhookEndpoint, url=None, events=None, description=None,
                            is_active=None) -> WebhookEndpoint:  # fmt: skip
    with transaction.atomic():
        if url is not None:
            endpoint.url = webhook_url_clean(url)
        if events is not None:
            endpoint.events = _events_clean(events)
        if description is not None:
            endpoint.description = description.strip()[:200]
        if is_active is not None and is_active != endpoint.is_active:
            endpoint.is_active = is_active
            endpoint.disabled_reason = "" if is_active else _("Disabled by the exhibitor.")
        endpoint.save()
    if endpoint.is_active:
        transaction.on_commit(lambda: webhook_dispatch(endpoint_id=endpoint.pk))
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        endpoint.delete()


# Webhooks: the outbox -------------------------------------------------------------------------


def webhook_event_send(*, exhibitor: Exhibitor, event_type: str, data: dict,
                       at: datetime | None = None) -> list[WebhookDelivery]:  # fmt: skip
    """Write one delivery per active endpoint of `exhibitor` that wants `event_type`, in the caller's
    transaction; they are sent after it commits. Other apps (networking's meetings) call this."""
    at = at or timezone.now()
    endpoints = [e for e in WebhookEndpoint.objects.filter(exhibitor=exhibitor, is_active=True) if e.wants(event_type)]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "created_at": at.isoformat(),
        "exhibitor": {"id": exhibitor.pk, "slug": exhibitor.slug, "name": exhibitor.organization.name},
        "data": json.loads(json.dumps(data, default=str)),
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=e, event_id=event_id, event_type=event_type, payload=payload, created_at=at, next_attempt_at=at
            )
            for e in endpoints
        ]  # fmt: skip
    )
    for endpoint in endpoints:
        transaction.on_commit(lambda pk=endpoint.pk: webhook_dispatch(endpoint_id=pk))
    return deliveries


def webhook_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `ping` event to this endpoint alone, to check the receiver and its signature check."""
    with transaction.atomic():
        at = timezone.now()
        event_id = uuid.uuid4()
        exhibitor = endpoint.exhibitor
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=event_id, event_type=WebhookEvent.PING, created_at=at, next_attempt_at=at,
            payload={"id": str(event_id), "type": WebhookEvent.PING, "created_at": at.isoformat(),
                     "exhibitor": {"id": exhibitor.pk, "slug": exhibitor.slug, "name": exhibitor.organization.name},
                     "data": {"message": "Test event from Medical Expo"}},
        )  # fmt: skip
        transaction.on_commit(lambda: webhook_dispatch(endpoint_id=endpoint.pk))
    return delivery


def webhook_dispatch(*, endpoint_id: int, at: datetime | None = None) -> None:
    """Queue the sending task (at `at`, for a retry); if the broker is down, the periodic drain sends later.

    One retry task per endpoint and due time: every event written while the endpoint's oldest
    delivery waits for its retry finds it waiting, and each used to queue its own retry task, which
    in turn queued another after a failed retry (20,000 tasks queued for one receiver that was down,
    in the load benchmark, starving the emails behind them)."""
    countdown = None
    if at is not None:
        countdown = max((at - timezone.now()).total_seconds(), 0)
        if tasks.webhook_endpoint_flush.app.conf.task_always_eager:
            return  # in-process tasks cannot wait: the periodic drain sends the retry when it is due
        try:
            if not cache.add(f"webhook-retry:{endpoint_id}:{at.timestamp():.0f}", 1, timeout=int(countdown) + 60):
                return  # that retry is queued already
        except Exception:  # noqa: S110 -- the cache is down: queue it (flushing twice is safe)
            pass
    try:
        if countdown is not None:
            tasks.webhook_endpoint_flush.apply_async((endpoint_id,), countdown=countdown)
        else:
            tasks.webhook_endpoint_flush.delay(endpoint_id)
    except Exception as exc:  # broker unreachable (or, in-process, an unexpected error while sending)
        logger.warning("Webhooks of endpoint %s left for the next drain: %s", endpoint_id, exc)


# Webhooks: sending ----------------------------------------------------------------------------

LEASE = timedelta(seconds=60)
GIVE_UP_AFTER = timedelta(days=1)
# Retries sooner than this are queued with a countdown; later ones are left to the periodic drain
# (a Redis broker redelivers long-delayed tasks after its visibility timeout).
COUNTDOWN_LIMIT = timedelta(minutes=10)


def webhook_retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failed attempts: base, 2x, 4x... capped at six hours."""
    base = settings.WEBHOOKS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _lease_take(endpoint_id: int, now: datetime) -> bool:
    """Take the endpoint's sending lease with one conditional UPDATE (safe on SQLite and PostgreSQL)."""
    free = Q(sending_until__isnull=True) | Q(sending_until__lt=now)
    return (
        WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).filter(free).update(sending_until=now + LEASE)
        == 1
    )


def _lease_release(endpoint_id: int) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(sending_until=None)


def webhook_endpoint_flush(*, endpoint_id: int, limit: int = 100) -> int:
    """Send an endpoint's due deliveries, oldest first, one at a time; stop at the first failure.

    Safe to run twice and concurrently: only the holder of the lease sends. Returns how many were delivered.
    """
    delivered = 0
    for _attempt_round in range(3):
        if not _lease_take(endpoint_id, timezone.now()):
            return delivered
        try:
            delivered += _flush_held(endpoint_id, limit)
        finally:
            _lease_release(endpoint_id)
        # A delivery written while the lease was held had its task find the endpoint busy: look again.
        if not _due(endpoint_id).exists():
            break
    return delivered


def _due(endpoint_id: int):
    return WebhookDelivery.objects.pending().filter(endpoint_id=endpoint_id, endpoint__is_active=True,
                                                    next_attempt_at__lte=timezone.now())  # fmt: skip


def _flush_held(endpoint_id: int, limit: int) -> int:
    delivered = 0
    for _step in range(limit):
        endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).first()
        if endpoint is None:
            break
        delivery = WebhookDelivery.objects.pending().filter(endpoint=endpoint).order_by("pk").first()
        if delivery is None:
            break
        now = timezone.now()
        if delivery.created_at <= now - GIVE_UP_AFTER:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.FAILED, last_error=_("Gave up after a day of failed attempts.")[:500]
            )
            continue
        if delivery.next_attempt_at > now:
            wait = delivery.next_attempt_at - now
            if wait <= COUNTDOWN_LIMIT:
                webhook_dispatch(endpoint_id=endpoint.pk, at=delivery.next_attempt_at)
            break
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(sending_until=now + LEASE)
        if not _attempt(endpoint, delivery):
            break
        delivered += 1
    return delivered


def _attempt(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> bool:
    """One HTTP attempt of a delivery, outside any transaction; records it; True when delivered."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = webhooks.headers_make(secret=endpoint.secret, event_id=str(delivery.event_id),
                                    event_type=delivery.event_type, body=body)  # fmt: skip
    started = timezone.now()
    response = webhooks.post(endpoint.url, body=body, headers=headers, **_url_rules())
    attempts = delivery.attempts + 1
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, started_at=started, status_code=response.status, duration_ms=response.duration_ms,
            error=response.error[:500], response_body=response.body[:500],
        )  # fmt: skip
        fields = {"attempts": attempts, "last_status_code": response.status, "last_error": response.error[:500]}
        if response.ok:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now(), **fields
            )
            return True
        if response.status == 410:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                is_active=False, disabled_reason=_("The receiver answered 410 Gone: it no longer wants these events.")
            )
            logger.info("Webhook endpoint %s disabled: 410 Gone", endpoint.pk)
            return False
        retry_at = timezone.now() + webhook_retry_delay(attempts)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=retry_at, **fields)
    wait = retry_at - timezone.now()
    if wait <= COUNTDOWN_LIMIT:
        transaction.on_commit(lambda: webhook_dispatch(endpoint_id=endpoint.pk, at=retry_at))
    return False


def webhooks_drain() -> int:
    """Periodic: flush every active endpoint with a delivery due (the broker was down, or a retry is due)."""
    endpoint_ids = set(
        WebhookDelivery.objects.pending()
        .filter(endpoint__is_active=True, next_attempt_at__lte=timezone.now())
        .values_list("endpoint_id", flat=True)
    )
    return sum(webhook_endpoint_flush(endpoint_id=pk) for pk in sorted(endpoint_ids))
