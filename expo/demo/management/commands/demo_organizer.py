"""`manage.py demo_organizer`: make sure the demo organizer account exists and print its login.

The password is random, made on first run and kept in var/demo-login (ignored by git), so no
password is ever committed and `make run` can print the same login every time.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "organizador"


class Command(BaseCommand):
    help = "Create the demo organizer (superuser) if missing and print how to sign in."

    def handle(self, *args, **options):
        path = settings.BASE_DIR / "var" / "demo-login"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        password = path.read_text().strip() if path.exists() else None
        if user is None or password is None or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email="organizador@medicalexpo.mx")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Organizer sign-in: {settings.SITE_URL}/admin/  user: {USERNAME}  password: {password}")
        )
