"""What the audit trail follows: who changed registrations, passes, sessions, meetings, exhibitors,
API tokens and webhooks, and when, from the admin, a portal or the API (django-auditlog: one log
table, no migration per model). The actor is the signed-in user (AuditlogMiddleware)."""

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from exhibitors.models import ApiToken, Exhibitor, Lead, Product, WebhookEndpoint
from expo.program.models import Session, Speaker
from expo.registration.models import Attendee, PassType
from networking.models import Meeting

AUDITED = [
    # The other apps' one-to-one rows of a registration (B2B profile, DC-3 details...) are audited, or
    # not, as themselves: reading each of them on every registration would cost four queries.
    (Attendee, {"exclude_fields": ["last_signin_at", "calendar_feed", "dc3_details", "booth", "b2b_profile"]}),
    (PassType, {"exclude_fields": ["registered_count"]}),  # seat counting is not an edit
    (Session, {"m2m_fields": {"speakers"}}),
    (Speaker, {}),
    # Meetings, not their seats: a scheduler re-run deletes thousands of drafts, and logging each seat
    # too would double that; check-ins and outcomes stay on the seat rows themselves.
    (Meeting, {}),
    (Exhibitor, {"m2m_fields": {"staff"}}),
    (Product, {}),
    (Lead, {}),
    # A token's digest and a webhook's secret are never written to the log, only that they changed.
    (ApiToken, {"mask_fields": ["key_hash"]}),
    (WebhookEndpoint, {"mask_fields": ["secret"]}),
]


def audit_register() -> None:
    for model, options in AUDITED:
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def audited(model) -> bool:
    """Whether the model's admin page links to its audit trail. User accounts have one without being
    registered: it holds the two-step sign-in entries the services write (services._two_factor_log)."""
    return auditlog.contains(model) or model is get_user_model()
