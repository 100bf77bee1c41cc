"""Celery tasks of the core domain. Thin: they take plain values or ids and call a service."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5}, soft_time_limit=50, time_limit=60
)
def email_send(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Send one email; retried with backoff when the mail server is unreachable."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
