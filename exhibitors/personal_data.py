"""Exhibitors' part of a person's data (ARCO, expo.registration.personal_data): export and erasure.

Export: the leads exhibitors captured on the person (which exhibitor, when, through what, the
follow-up, rating and notes) and their work at a booth.

Erasure: leads stay, so each exhibitor's lead count does not change, but lose the exhibitor's notes
and rating (and their audit entries the values); the contact details an exhibitor sees were always
read from the registration, now anonymous. Copies already written elsewhere are rewritten: the
webhooks about these leads (pending or delivered) carry the anonymous lead, and the person's name
and email are scrubbed from any other payload, receivers' answers kept in the attempt log, and API
answers kept for Idempotency-Key replays.
"""

import json

from expo.registration.models import Attendee
from expo.registration.personal_data import Erasure, audit_entries_redact

from .models import BoothStaff, IdempotentRequest, Lead, WebhookAttempt, WebhookDelivery
from .services import _lead_data


def _iso(value):
    return value.isoformat() if value else None


def exhibitors_personal_data(*, attendee: Attendee) -> dict:
    booth = BoothStaff.objects.filter(attendee=attendee).select_related("exhibitor__organization").first()
    leads = Lead.objects.filter(attendee=attendee).select_related("exhibitor__organization").order_by("created_at")
    return {
        "leads": [
            {
                "exhibitor": lead.exhibitor.organization.name,
                "captured_at": _iso(lead.created_at),
                "source": lead.source,
                "status": lead.status,
                "rating": lead.rating,
                "notes": lead.notes,
            }
            for lead in leads
        ],  # fmt: skip
        "booth_staff_of": booth.exhibitor.organization.name if booth else None,
    }


def exhibitors_personal_data_erase(*, erasure: Erasure) -> dict:
    lead_ids = list(Lead.objects.filter(attendee=erasure.attendee).values_list("pk", flat=True))
    leads = Lead.objects.filter(pk__in=lead_ids).update(notes="", rating="")
    audit_entries_redact(Lead, lead_ids)
    # Webhooks about these leads carry what the lead said then (notes, contact): they now carry
    # what it says now, anonymous, pending or already delivered.
    about_them = WebhookDelivery.objects.filter(event_type__startswith="lead.", payload__data__id__in=lead_ids)
    for delivery in about_them:
        lead = Lead.objects.get(pk=delivery.payload["data"]["id"])
        delivery.payload = {**delivery.payload, "data": json.loads(json.dumps(_lead_data(lead), default=str))}
        delivery.save(update_fields=["payload"])
    scrubbed = 0
    for delivery in WebhookDelivery.objects.filter(erasure.text_filter("payload", "last_error")):
        delivery.payload, delivery.last_error = erasure.scrub(delivery.payload), erasure.scrub(delivery.last_error)
        delivery.save(update_fields=["payload", "last_error"])
        scrubbed += 1
    for attempt in WebhookAttempt.objects.filter(erasure.text_filter("response_body", "error")):
        attempt.response_body, attempt.error = erasure.scrub(attempt.response_body), erasure.scrub(attempt.error)
        attempt.save(update_fields=["response_body", "error"])
    for replay in IdempotentRequest.objects.filter(erasure.text_filter("body")):
        replay.body = erasure.scrub(replay.body)
        replay.save(update_fields=["body"])
    return {"leads_anonymized": leads, "webhook_payloads_scrubbed": scrubbed}
