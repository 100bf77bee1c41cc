"""`manage.py demo_organizer`: make sure the demo organizer account exists and print its login.

The password is random, made on first run and kept in var/demo-login (ignored by git), so no
password is ever committed and `make run` can print the same login every time.

Organizers sign in in two steps (expo/dashboard/two_factor.py). So that anyone can try the demo
without setting up a phone first, the demo organizer gets an authenticator app ("demo") already set
up: the command prints its key (to add to a real app if you like) and `demo_organizer --code`
prints the code it shows right now.
"""

import secrets
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

USERNAME = "organizador"
DEVICE = "demo"


class Command(BaseCommand):
    help = "Create the demo organizer (superuser) if missing and print how to sign in (--code: the current code)."

    def add_arguments(self, parser):
        parser.add_argument("--code", action="store_true", help="Print only the current 6-digit sign-in code.")

    def handle(self, *args, code=False, **options):
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
        device = TOTPDevice.objects.filter(user=user, name=DEVICE, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE, confirmed=True)
        if code:
            self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
            return
        key = b32encode(device.bin_key).decode()
        self.stdout.write(
            self.style.SUCCESS(f"Organizer sign-in: {settings.SITE_URL}/admin/  user: {USERNAME}  password: {password}")
        )
        self.stdout.write(
            "  then the code: `.venv/bin/python manage.py demo_organizer --code` prints it "
            f"(or add the key {' '.join(key[i : i + 4] for i in range(0, len(key), 4))} to an authenticator app)"
        )
