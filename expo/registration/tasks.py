"""Celery tasks of registration. Leaves: they take ids and plain values and call the services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=30, time_limit=60)
def signin_link_request(event_id: int, sealed_email: str, next_url: str = "") -> bool:
    """Look the email up and send it a sign-in link if it is registered (out of the request).

    The address travels sealed (services.signin_email_seal): a task's arguments sit in the broker and
    are written by Celery's logs when it fails, and an email address belongs in neither."""
    from .services import signin_email_unseal, signin_link_for_email  # noqa: PLC0415 -- tasks are leaves

    return signin_link_for_email(event_id=event_id, email=signin_email_unseal(sealed_email), next_url=next_url)


@shared_task(soft_time_limit=20 * 60, time_limit=21 * 60)
def badge_batch_build(batch_id: int) -> int:
    """Build one batch of badges (a PDF kept with the batch); returns the badges drawn."""
    from .services import badge_batch_build as build  # noqa: PLC0415 -- tasks are leaves

    batch = build(batch_id=batch_id)
    if batch is None:
        logger.warning("Badge batch %s no longer exists", batch_id)
        return 0
    return batch.done


@shared_task(soft_time_limit=50, time_limit=60)
def badge_batches_redispatch() -> int:
    """Periodic: batches whose task could not be queued (broker down)."""
    from .services import badge_batches_redispatch as redispatch  # noqa: PLC0415 -- tasks are leaves

    return redispatch()
