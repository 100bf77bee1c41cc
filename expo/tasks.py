"""Celery tasks of the core domain. Thin: they take ids, and call a service."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from . import services


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5}, soft_time_limit=50, time_limit=60
)
def email_send(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Send one email; retried with backoff when the mail server is unreachable."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task(soft_time_limit=50, time_limit=60)
def outbox_send(email_id: int) -> bool:
    """Send one outbox email right after the transaction that wrote it."""
    return services.outbox_email_send(email_id=email_id)


@shared_task(soft_time_limit=540, time_limit=600)
def outbox_drain() -> int:
    """Periodic: send what is left in the outbox."""
    return services.outbox_drain()
