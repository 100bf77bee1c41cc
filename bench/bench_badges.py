"""Badge PDF figures: how long a batch takes to draw, its size, and the QR on the badge.

    python bench/bench_badges.py [--badges 2000]

Runs on a throwaway SQLite database (no server needed); prints the code length, the QR version and
module size on the printed badge, and the time and size of the batch PDF.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=2000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.update(DEBUG="1", DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", EMAIL_URL="locmem:")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from expo.events.models import Event, Venue
    from expo.registration.badge_pdf import QR_SIZE, QUIET_ZONE, badge_qr, badges_pdf
    from expo.registration.badges import attendee_badge_code
    from expo.registration.models import Attendee, PassType

    venue = Venue.objects.create(name="World Trade Center Ciudad de México", city="Ciudad de México")
    today = timezone.localdate()
    event = Event.objects.create(name="Medical Expo", slug="bench", venue=venue, start_date=today, end_date=today)
    pass_type = PassType.objects.create(event=event, slug="visitante", name_es="Visitante")
    names = ["Łukasz Dvořák", "Şahin Öztürk", "Nguyễn Thị Hương", "María Guadalupe Hernández", "王小明"]
    Attendee.objects.bulk_create(
        Attendee(event=event, pass_type=pass_type, email=f"p{i}@x.mx", first_name=names[i % 5].split()[0],
                 last_name=names[i % 5].split()[-1], organization_name="Hospital Civil de Guadalajara",
                 privacy_accepted_at=timezone.now(), badge_code=f"B{i:011d}")
        for i in range(args.badges)
    )  # fmt: skip
    attendee = Attendee.objects.order_by("-pk").first()
    code = attendee_badge_code(attendee)
    qr = badge_qr(code)
    modules = qr.symbol_size(border=0)[0]
    print(f"badge code: {len(code)} characters (registration id {attendee.pk}), QR {qr.mode} mode")
    print(f"QR on the badge: version {qr.designator}, {modules}x{modules} modules, "
          f"{QR_SIZE / 72 * 25.4:.0f} mm wide with the quiet zone, "
          f"{QR_SIZE / 72 * 25.4 / (modules + 2 * QUIET_ZONE):.2f} mm per module")  # fmt: skip
    attendees = Attendee.objects.select_related("pass_type", "event").order_by("last_name", "pk")
    started = time.monotonic()
    pdf = badges_pdf(attendees.iterator(chunk_size=500))
    elapsed = time.monotonic() - started
    print(
        f"{args.badges} badges: {elapsed:.1f} s, {len(pdf) / 1e6:.1f} MB "
        f"({len(pdf) / args.badges / 1e3:.1f} KB a badge)"
    )


if __name__ == "__main__":
    main()
