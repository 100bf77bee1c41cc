"""Printable B2B agendas (reportlab): one page per participant, or one page per table.

For the meetings desk: a participant's agenda (time, space, table, with whom and their
organization) to hand over at the desk, and a table's sheet for its host (time and both people).
Published meetings only; the built-in Helvetica covers Spanish. Sizes are in points.
"""

from collections import defaultdict
from io import BytesIO

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from expo.lib.formatting import day_label, time_short

from .models import Meeting, MeetingSeat, Profile, Table

LEFT, TOP, LINE = 18 * mm, A4[1] - 20 * mm, 6.2 * mm


def _person(profile: Profile) -> tuple[str, str]:
    attendee = profile.attendee
    organization = profile.organization.name if profile.organization_id else attendee.organization_name
    return attendee.full_name, organization


def _meetings(**filters):
    """Published meetings with their slot, space, table and both people (three queries)."""
    seats = MeetingSeat.objects.filter(is_active=True).select_related("profile__attendee", "profile__organization")
    return (
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED, **filters)
        .select_related("slot", "table__space", "event")
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("slot__start", "table__space__code", "table__number")
    )


def _header(canvas: Canvas, title: str, subtitle: str) -> float:
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(LEFT, TOP, title[:70])
    canvas.setFont("Helvetica", 10)
    canvas.drawString(LEFT, TOP - 7 * mm, subtitle[:110])
    return TOP - 16 * mm


def _line(canvas: Canvas, y: float, cells: list[tuple[float, str]], bold: bool = False) -> float:
    if y < 20 * mm:
        canvas.showPage()
        y = TOP
    canvas.setFont("Helvetica-Bold" if bold else "Helvetica", 9.5)
    for x, text in cells:
        canvas.drawString(LEFT + x, y, text)
    return y - LINE


def participants_agenda_pdf(profiles: list[Profile]) -> bytes:
    """One agenda per participant (a page each, more when long)."""
    ids = [p.pk for p in profiles]
    by_profile = defaultdict(list)
    for meeting in _meetings(seats__profile_id__in=ids).distinct():
        for seat in meeting.seats.all():
            by_profile[seat.profile_id].append(meeting)
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for profile in profiles:
        name, organization = _person(profile)
        y = _header(canvas, name, f"{organization} · {profile.event.name} · {_('B2B agenda')}")
        day = None
        for meeting in by_profile[profile.pk]:
            local = timezone.localtime(meeting.slot.start)
            if local.date() != day:
                day = local.date()
                y = _line(canvas, y - 2 * mm, [(0, day_label(day))], bold=True)
            other = next((s.profile for s in meeting.seats.all() if s.profile_id != profile.pk), None)
            other_name, other_org = _person(other) if other else ("—", "")
            y = _line(canvas, y, [
                (0, f"{time_short(meeting.slot.start)}–{time_short(meeting.slot.end)}"),
                (28 * mm, f"{meeting.table.space.code}{meeting.table.number}"),
                (42 * mm, other_name[:40]), (110 * mm, other_org[:40]),
            ])  # fmt: skip
        if not by_profile[profile.pk]:
            _line(canvas, y, [(0, _("No published meetings."))])
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def tables_agenda_pdf(tables: list[Table]) -> bytes:
    """One sheet per table: every published meeting at it, with both people."""
    by_table = defaultdict(list)
    for meeting in _meetings(table__in=[t.pk for t in tables]):
        by_table[meeting.table_id].append(meeting)
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for table in tables:
        y = _header(canvas, _("Table %(table)s") % {"table": f"{table.space.code}{table.number}"},
                    f"{table.space.name} · {table.space.event.name}")  # fmt: skip
        day = None
        for meeting in by_table[table.pk]:
            local = timezone.localtime(meeting.slot.start)
            if local.date() != day:
                day = local.date()
                y = _line(canvas, y - 2 * mm, [(0, day_label(day))], bold=True)
            people = [_person(s.profile) for s in meeting.seats.all()]
            cells = [(0, f"{time_short(meeting.slot.start)}–{time_short(meeting.slot.end)}")]
            for i, (name, organization) in enumerate(people[:2]):
                cells.append((28 * mm + i * 78 * mm, f"{name[:28]} · {organization[:18]}"))
            y = _line(canvas, y, cells)
        if not by_table[table.pk]:
            _line(canvas, y, [(0, _("No published meetings."))])
        canvas.showPage()
    canvas.save()
    return out.getvalue()
