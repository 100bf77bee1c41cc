"""`manage.py seed_demo`: build the demo edition (shaped like Medical Expo). Safe to run again.

By default the fair opened yesterday and closes tomorrow; `--start 2025-10-28` builds it on
Medical Expo 2025's own dates.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from expo.demo.edition import demo_edition_seed


class Command(BaseCommand):
    help = "Create the demo edition shaped like Medical Expo (under way today), or top up its visitors."

    def add_arguments(self, parser):
        parser.add_argument("--visitors", type=int, default=3000, help="Registered visitors wanted (default 3000).")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo edition first and build it anew.")
        parser.add_argument(
            "--start", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
            help="First day of the fair (three days). Default: yesterday, so that the fair is under way.",
        )  # fmt: skip

    def handle(self, *args, visitors, seed, reset, start, **options):
        if visitors < 0:
            raise CommandError("--visitors must be zero or more")
        started = time.monotonic()
        result = demo_edition_seed(seed=seed, visitors=visitors, reset=reset, start=start, log=self.stdout.write)
        elapsed = time.monotonic() - started
        if result.created or result.visitors_added:
            self.stdout.write(self.style.SUCCESS(f"Demo edition ready in {elapsed:.1f} s."))
        else:
            self.stdout.write(
                f"Demo edition already there ({result.event.attendees.count()} registrations); nothing to do."
            )
