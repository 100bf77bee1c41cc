"""Celery tasks of the program. Leaves: they take ids and call a service inside their body."""

from celery import shared_task


@shared_task(soft_time_limit=50, time_limit=60)
def enrollment_offers_expire() -> int:
    """Periodic: seats offered from a waitlist and not accepted in time pass on to the next person."""
    from .services import enrollment_offers_expire as expire  # noqa: PLC0415 -- tasks are leaves

    return expire()


@shared_task(soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=False)
def certificate_batch_run(batch_id: int) -> str | None:
    """Issue the certificates of an edition for a queued batch, updating its progress. A second
    delivery of the same batch does nothing."""
    from .services import certificate_batch_run as run  # noqa: PLC0415 -- tasks are leaves

    batch = run(batch_id=batch_id)
    return batch.status if batch else None


@shared_task(soft_time_limit=50, time_limit=60)
def certificate_batches_redispatch() -> int:
    """Periodic: batches whose task could not be queued (broker down), and batches interrupted mid-run."""
    from .services import certificate_batches_redispatch as redispatch  # noqa: PLC0415 -- tasks are leaves

    return redispatch()
