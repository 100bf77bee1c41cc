"""`manage.py run_periodic`: Celery beat's schedule, run in-process, for setups without Redis.

`make run` starts it next to the web server, so that the periodic tasks (the email outbox drain,
expiring B2B requests) also run on the embedded setup. With Redis, Celery beat does this instead.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from expo.celery import app


class Command(BaseCommand):
    help = "Run the tasks of CELERY_BEAT_SCHEDULE in this process, each at its interval (Ctrl-C stops)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every periodic task once, then stop.")

    def handle(self, *args, once, **options):
        app.loader.import_default_modules()  # registers every app's tasks, as a worker does at start
        schedule = settings.CELERY_BEAT_SCHEDULE
        next_run = dict.fromkeys(schedule, 0.0)
        while True:
            now = time.monotonic()
            for name, entry in schedule.items():
                if now < next_run[name]:
                    continue
                next_run[name] = now + float(entry["schedule"])
                try:
                    result = app.tasks[entry["task"]].apply().get()
                except Exception as exc:  # keep the loop alive; the next round tries again
                    self.stderr.write(f"{name}: {exc.__class__.__name__}: {exc}")
                else:
                    if result or once:
                        self.stdout.write(f"{name}: {result}")
            if once:
                return
            time.sleep(max(1.0, min(next_run.values()) - time.monotonic()))
