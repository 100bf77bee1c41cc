"""`manage.py seed_demo`: build the demo edition (Medical Expo 2025). Safe to run again."""

import time

from django.core.management.base import BaseCommand, CommandError

from expo.demo.edition import demo_edition_seed


class Command(BaseCommand):
    help = "Create the demo edition shaped like Medical Expo 2025, or top up its visitors. Never duplicates."

    def add_arguments(self, parser):
        parser.add_argument("--visitors", type=int, default=3000, help="Registered visitors wanted (default 3000).")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--reset", action="store_true", help="Delete the demo edition first and build it anew.")

    def handle(self, *args, visitors, seed, reset, **options):
        if visitors < 0:
            raise CommandError("--visitors must be zero or more")
        started = time.monotonic()
        result = demo_edition_seed(seed=seed, visitors=visitors, reset=reset, log=self.stdout.write)
        elapsed = time.monotonic() - started
        if result.created or result.visitors_added:
            self.stdout.write(self.style.SUCCESS(f"Demo edition ready in {elapsed:.1f} s."))
        else:
            self.stdout.write(
                f"Demo edition already there ({result.event.attendees.count()} registrations); nothing to do."
            )
