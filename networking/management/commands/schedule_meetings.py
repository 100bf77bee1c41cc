"""`manage.py schedule_meetings --instance IN.json --output OUT.json`: run the solver on the spec's format.

With `--event SLUG` instead of `--instance`, the instance is built from the database (as the
scheduler run does: the pairs that matter; every scored pair with `--all-pairs`) and, with
`--save-instance`, written out for the benchmark or the checker.
Nothing is written to the database. Prints the checker's figures with `--quality`.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from expo.events.models import Event
from networking.scheduling import selectors


class Command(BaseCommand):
    help = "Schedule B2B meetings for an instance file (shared/specs/matchmaking.md) and write the schedule."

    def add_arguments(self, parser):
        parser.add_argument("--instance", help="Instance JSON file (the spec's format).")
        parser.add_argument("--event", help="Build the instance from this edition (slug) instead.")
        parser.add_argument("--save-instance", help="With --event: also write the instance built to this file.")
        parser.add_argument(
            "--all-pairs", action="store_true",
            help="With --event: list every pair with a positive score instead of the pairs that matter.",
        )  # fmt: skip
        parser.add_argument("--output", required=True, help="Where to write the schedule JSON.")
        parser.add_argument("--time-limit", type=float, default=None, help="Seconds the solver may use.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--quality", action="store_true", help="Print the checker's figures and bounds.")

    def handle(self, *args, instance, event, save_instance, all_pairs, output, time_limit, seed, quality, **options):
        from networking.scheduling import solver
        from networking.scheduling.quality import schedule_quality

        fixed = []
        if bool(instance) == bool(event):
            raise CommandError("Give either --instance FILE or --event SLUG.")
        if instance:
            try:
                with open(instance) as handle:
                    data = json.load(handle)
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read {instance}: {exc}") from None
        else:
            edition = Event.objects.filter(slug=event).first()
            if edition is None:
                raise CommandError(f"No edition with slug {event!r}.")
            built = selectors.schedule_instance(event=edition, prune=not all_pairs)
            data, fixed = built.instance, built.fixed
            if save_instance:
                with open(save_instance, "w") as handle:
                    json.dump(data, handle)
        started = time.perf_counter()
        schedule = solver.solve(data, time_limit=time_limit, seed=seed, fixed=fixed)
        elapsed = time.perf_counter() - started
        with open(output, "w") as handle:
            json.dump(schedule, handle)
        self.stdout.write(
            f"{len(schedule['meetings'])} meetings for {len(data['participants'])} participants "
            f"in {elapsed:.1f} s -> {output}"
        )
        if quality:
            self.stdout.write(json.dumps(schedule_quality(data, schedule), indent=1))
