"""The Celery application. Configured from settings keys prefixed CELERY_.

With REDIS_URL unset, tasks run in-process (task_always_eager), so development needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")

app = Celery("expo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
