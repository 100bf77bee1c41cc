"""Celery tasks of the control room. Leaves: they take ids and call the service inside their body."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=1700, time_limit=1800)
def campaign_send(campaign_id: int) -> int:
    """Write a campaign's emails to the outbox (each goes out through the outbox's own task)."""
    from .models import Campaign  # noqa: PLC0415 -- tasks are leaves
    from .services import campaign_send as send  # noqa: PLC0415

    try:
        return send(campaign_id=campaign_id)
    except Exception as exc:
        Campaign.objects.filter(pk=campaign_id).update(status=Campaign.Status.FAILED, error=str(exc)[:2000])
        logger.exception("Campaign %s failed", campaign_id)
        raise


@shared_task(soft_time_limit=50, time_limit=60)
def campaigns_redispatch() -> int:
    """Periodic: campaigns whose task could not be queued (broker down) or whose worker died."""
    from .services import campaigns_redispatch as redispatch  # noqa: PLC0415 -- tasks are leaves

    return redispatch()
