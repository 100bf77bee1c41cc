"""`manage.py create_exhibitor_token EXHIBITOR --scopes read,leads,webhooks [--name N] [--expires DATE]`.

Makes an API token of one exhibitor (EXHIBITOR: its id or slug, in the current edition unless
--event says which) and prints the token alone on the last line, so scripts can capture it:
`TOKEN=$(python manage.py create_exhibitor_token baxter --scopes read,leads | tail -n 1)`.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exhibitors.models import ApiToken, Exhibitor
from exhibitors.services import api_token_create
from expo.events.models import Event


class Command(BaseCommand):
    help = "Create an API token for an exhibitor and print it (alone, on the last line)."

    def add_arguments(self, parser):
        parser.add_argument("exhibitor", help="The exhibitor's id or slug.")
        parser.add_argument(
            "--scopes", default="read", help=f"Comma-separated: {', '.join(ApiToken.Scope.values)} (default: read)."
        )
        parser.add_argument("--name", default="", help="A name to tell the token apart (default: command line).")
        parser.add_argument("--expires", default=None, help="Last day the token works, YYYY-MM-DD (default: never).")
        parser.add_argument("--event", default=None, help="Edition slug (default: the current edition).")

    def handle(self, *args, exhibitor, scopes, name, expires, event, **options):
        events = Event.objects.filter(slug=event) if event else Event.objects.published().order_by("-end_date")
        exhibitors = Exhibitor.objects.select_related("organization", "event").filter(event__in=events[:1])
        found = exhibitors.filter(pk=int(exhibitor)).first() if exhibitor.isdigit() else None
        found = found or exhibitors.filter(slug=exhibitor).first()
        if found is None:
            raise CommandError(
                f"No exhibitor {exhibitor!r} in {'edition ' + event if event else 'the current edition'}."
            )
        expires_at = None
        if expires:
            try:
                day = datetime.strptime(expires, "%Y-%m-%d").date()
            except ValueError:
                raise CommandError("--expires must be a date like 2026-12-31") from None
            expires_at = timezone.make_aware(datetime.combine(day, time.max))
        try:
            token, secret = api_token_create(
                exhibitor=found, name=name or "command line", expires_at=expires_at,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
            )  # fmt: skip
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
        self.stderr.write(
            f"Token {token.prefix} for {found.organization.name} ({found.event.slug}), scopes {', '.join(token.scopes)}"
            + (f", expires {expires}" if expires else "")
            + ". It is shown only now:"
        )
        self.stdout.write(secret)
