"""`manage.py demo_exhibitor`: give the demo exhibitors' portal accounts a password and print a login.

The password is random, made on first run and kept in var/demo-exhibitor-login (ignored by git),
like the organizer's: no password is committed. Every demo portal account (the staff of the first
exhibitors of the demo edition) gets it; the first account is printed.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand

from expo.demo.common import DEMO_EMAIL_DOMAIN


class Command(BaseCommand):
    help = "Set the demo exhibitor portal accounts' password (kept in var/) and print how to sign in."

    def handle(self, *args, **options):
        path = settings.BASE_DIR / "var" / "demo-exhibitor-login"
        users = (
            get_user_model()
            .objects.filter(
                exhibitor_memberships__isnull=False, email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False
            )
            .distinct()
            .order_by("username")
        )
        first = users.first()
        if first is None:
            self.stdout.write("No demo exhibitor accounts yet: run `manage.py seed_demo` first.")
            return
        password = path.read_text().strip() if path.exists() else None
        if password is None or not first.check_password(password):
            password = password or secrets.token_urlsafe(12)
            get_user_model().objects.filter(pk__in=list(users.values_list("pk", flat=True))).update(
                password=make_password(password)
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
        exhibitor = first.exhibitor_memberships.select_related("organization").first()
        self.stdout.write(self.style.SUCCESS(
            f"Exhibitor portal sign-in ({exhibitor.organization.name}): {settings.SITE_URL}/expositor/  "
            f"user: {first.username}  password: {password}  (same password for every demo exhibitor account)"
        ))  # fmt: skip
