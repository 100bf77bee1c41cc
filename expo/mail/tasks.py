"""Celery tasks of the email outbox. Leaves: they take ids and call the service inside their body."""

from celery import shared_task


@shared_task(soft_time_limit=50, time_limit=60)
def outbox_send(email_id: int) -> bool:
    """Send one outbox email right after the transaction that wrote it."""
    from .services import mail_send  # noqa: PLC0415 -- tasks are leaves

    return mail_send(email_id=email_id)


@shared_task(soft_time_limit=540, time_limit=600)
def outbox_drain() -> int:
    """Periodic: send what is left in the outbox."""
    from .services import mail_drain  # noqa: PLC0415 -- tasks are leaves

    return mail_drain()


@shared_task(soft_time_limit=540, time_limit=600)
def reminders_send() -> int:
    """Periodic (hourly): the reminders of tomorrow's meetings and sessions, once per person and day."""
    from .services import reminders_send as send  # noqa: PLC0415 -- tasks are leaves

    return send()
