"""`manage.py export_personal_data <email|id> [--zip PATH]`: everything held about a person (ARCO).

With an email, every registration of that address (one per edition) is exported; the JSON goes to
standard output, or with --zip a ZIP per registration (JSON, badge, certificates) is written."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from expo.lib.parsing import id_parse
from expo.registration.models import Attendee
from expo.registration.personal_data import personal_data_access_log, personal_data_archive, personal_data_export


class Command(BaseCommand):
    help = "Export the personal data held about a person (registration id or email), as JSON or a ZIP."

    def add_arguments(self, parser):
        parser.add_argument("who", help="registration id, or email (every edition)")
        parser.add_argument("--zip", dest="zip_dir", help="folder where one ZIP per registration is written")

    def handle(self, *args, who, zip_dir=None, **options):
        attendee_id = id_parse(who)
        attendees = (
            Attendee.objects.filter(pk=attendee_id) if attendee_id is not None
            else Attendee.objects.filter(email__iexact=who.strip())
        )  # fmt: skip
        attendees = list(attendees.order_by("pk"))
        if not attendees:
            raise CommandError("No registration has that id or email.")
        if zip_dir:
            folder = Path(zip_dir)
            folder.mkdir(parents=True, exist_ok=True)
            for attendee in attendees:
                path = folder / f"datos-personales-{attendee.pk}.zip"
                path.write_bytes(personal_data_archive(attendee=attendee))
                self.stderr.write(f"{path}")
            return
        exports = []
        for attendee in attendees:
            exports.append(personal_data_export(attendee=attendee))
            personal_data_access_log(attendee=attendee)
        self.stdout.write(json.dumps(exports, ensure_ascii=False, indent=2))
