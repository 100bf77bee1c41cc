"""Celery tasks of registration. Leaves: they take ids and plain values and call the services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=30, time_limit=60)
def signin_link_request(event_id: int, email: str, next_url: str = "") -> bool:
    """Look the email up and send it a sign-in link if it is registered (out of the request)."""
    from .services import signin_link_for_email  # noqa: PLC0415 -- tasks are leaves

    return signin_link_for_email(event_id=event_id, email=email, next_url=next_url)
