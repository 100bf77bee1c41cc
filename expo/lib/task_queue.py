"""Whether the task queue (Celery's broker, Redis in production) answers, for pages that start tasks.

Every service that queues a task from a request leaves its work in the database when the broker
is down (the email outbox, webhook deliveries, queued scheduler runs, badge and certificate batches,
campaigns), and a periodic task queues it again once the broker is back. The organizer who pressed
"start" should know that it waits: `task_queue_reachable()` tells the page, which then adds
`TASK_QUEUE_DOWN` to its messages. One short connection, only on those (rare) organizer actions.
"""

import logging

from celery import current_app
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TASK_QUEUE_DOWN = _(
    "The task queue is not answering right now. Nothing is lost: this is saved, waits in the queue and "
    "starts by itself within a couple of minutes of the queue coming back. No need to start it again."
)


def task_queue_reachable(*, timeout: float = 1.0) -> bool:
    """True when tasks run in-process or the broker accepts a connection within `timeout` seconds."""
    if current_app.conf.task_always_eager:
        return True
    try:
        with current_app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.1, timeout=timeout)
    except Exception as exc:  # kombu's OperationalError, socket errors: the queue is down
        logger.warning("Task queue unreachable: %s", exc)
        return False
    return True
