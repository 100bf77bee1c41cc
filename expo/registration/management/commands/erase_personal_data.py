"""`manage.py erase_personal_data <id> --yes`: erase what is held about one registration (ARCO).

The same service as the admin action (expo/registration/personal_data.py): one transaction, counts
kept, the other side of a cancelled meeting told; a second run does nothing."""

from django.core.management.base import BaseCommand, CommandError

from expo.lib.parsing import id_parse
from expo.registration.models import Attendee
from expo.registration.personal_data import personal_data_erase


class Command(BaseCommand):
    help = "Erase the personal data of one registration (by id). Cannot be undone: needs --yes."

    def add_arguments(self, parser):
        parser.add_argument("attendee_id")
        parser.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args, attendee_id, yes=False, **options):
        pk = id_parse(attendee_id)
        attendee = Attendee.objects.filter(pk=pk).first() if pk is not None else None
        if attendee is None:
            raise CommandError("No registration has that id.")
        if not yes:
            raise CommandError(f"Erasing registration {pk} cannot be undone: run again with --yes.")
        done = personal_data_erase(attendee=attendee)
        if done is None:
            self.stdout.write(f"Registration {pk} was already erased: nothing to do.")
            return
        summary = ", ".join(f"{app}: {counts}" for app, counts in done.items())
        self.stdout.write(f"Registration {pk} erased. {summary}")
