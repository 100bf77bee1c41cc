"""Celery tasks of exhibitors. Leaves: they take ids and call a service inside their body."""

from celery import shared_task


@shared_task(soft_time_limit=280, time_limit=300)
def webhook_endpoint_flush(endpoint_id: int) -> int:
    """Send the due webhook deliveries of one endpoint, in order (safe to run twice)."""
    from .services import webhook_endpoint_flush as flush  # noqa: PLC0415 -- tasks are leaves

    return flush(endpoint_id=endpoint_id)


@shared_task(soft_time_limit=540, time_limit=600)
def webhooks_drain() -> int:
    """Periodic: send the deliveries that are due (queued while the broker was down, or retries)."""
    from .services import webhooks_drain as drain  # noqa: PLC0415 -- tasks are leaves

    return drain()


@shared_task(soft_time_limit=50, time_limit=60)
def idempotent_requests_purge() -> int:
    """Periodic: forget API idempotency keys older than a day."""
    from .services import idempotent_requests_purge as purge  # noqa: PLC0415 -- tasks are leaves

    return purge()
