"""The expo project: settings, URLs, the Celery app, the home page; the event apps live in its subpackages."""

from .celery import app as celery_app

__all__ = ["celery_app"]
