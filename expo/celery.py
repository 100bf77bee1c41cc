"""The Celery application. Configured from settings keys prefixed CELERY_.

With REDIS_URL unset, tasks run in-process (task_always_eager), so development needs no broker.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")

app = Celery("expo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _logs_redacted(logger, **kwargs):
    """A worker's own handlers (Celery replaces Django's on the root logger) mask personal data too."""
    from expo.lib.log_redaction import redacting_handlers_install  # noqa: PLC0415 -- after Django's setup

    redacting_handlers_install(logger)
