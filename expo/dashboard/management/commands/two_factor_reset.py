"""`manage.py two_factor_reset <username>`: remove a person's two-step sign-in devices (a lost phone)
when no organizer can do it from the admin (the action on *Usuarios*). Logged in their audit trail."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from expo.dashboard.services import two_factor_reset


class Command(BaseCommand):
    help = "Reset a user's two-step sign-in: they set up an authenticator app again at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = two_factor_reset(user=user, actor=None)
        self.stdout.write(self.style.SUCCESS(f"Two-step sign-in reset for {username} ({removed} devices removed)."))
