"""Printable badges as PDF (reportlab): one badge, or a batch of four per A6 quarter of an A4 page.

Each badge shows the edition, the name in large type, organization, the signed QR with the short
code under it (for door staff to type when the QR cannot be read), and the pass type. Text goes
through expo.lib.pdf_text, so any name prints (Łukasz, Dvořák, Şahin, Nguyễn, 王小明). Layout sizes
are in points (1/72 inch).
"""

from collections.abc import Iterable
from io import BytesIO

import segno
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from expo.lib.pdf_text import text_draw

from .badges import attendee_badge_code, short_code_display
from .models import Attendee, BadgeKey

BADGE_W, BADGE_H = A6  # 105 x 148 mm
QR_SIZE = 50 * mm


QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def badge_qr(code: str) -> segno.QRCode:
    """The QR of a badge: error correction M, the smallest version that holds the code (5-M for
    EXPO2 codes, alphanumeric mode), never a Micro QR (phones do not read those)."""
    return segno.make(code, error="m", micro=False, boost_error=False)


def _qr_draw(canvas: Canvas, qr: segno.QRCode, x: float, y: float, size: float) -> None:
    """Draw the QR as one filled path of its dark runs, quiet zone included in `size` (fast: one
    path per badge instead of a shape per module)."""
    modules = qr.symbol_size(border=QUIET_ZONE)[0]
    unit = size / modules
    path = canvas.beginPath()
    for row_index, row in enumerate(qr.matrix):
        top = y + size - (row_index + QUIET_ZONE + 1) * unit
        column, width = 0, len(row)
        while column < width:
            if row[column]:
                start = column
                while column < width and row[column]:
                    column += 1
                path.rect(x + (start + QUIET_ZONE) * unit, top, (column - start) * unit, unit)
            else:
                column += 1
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


def _badge_draw(canvas: Canvas, attendee: Attendee, x: float, y: float, signing_key: BadgeKey | None = None) -> None:
    """Draw one badge with its bottom-left corner at (x, y)."""
    margin = 8 * mm
    inner = BADGE_W - 2 * margin
    centre = x + BADGE_W / 2
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.75)
    canvas.rect(x, y, BADGE_W, BADGE_H)
    canvas.setFillColorRGB(0.043, 0.431, 0.6)
    canvas.rect(x, y + BADGE_H - 20 * mm, BADGE_W, 20 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    text_draw(canvas, attendee.event.name, x=centre, y=y + BADGE_H - 12 * mm, size=14, width=inner, bold=True)
    canvas.setFillColorRGB(0.1, 0.15, 0.2)
    text_draw(canvas, attendee.first_name, x=centre, y=y + BADGE_H - 33 * mm, size=24, width=inner, bold=True)
    text_draw(canvas, attendee.last_name, x=centre, y=y + BADGE_H - 41 * mm, size=16, width=inner)
    if attendee.organization_name:
        text_draw(canvas, attendee.organization_name, x=centre, y=y + BADGE_H - 48 * mm, size=11, width=inner)
    qr = badge_qr(attendee_badge_code(attendee, signing_key=signing_key))
    _qr_draw(canvas, qr, x + (BADGE_W - QR_SIZE) / 2, y + 23 * mm, QR_SIZE)
    canvas.setFillColorRGB(0.1, 0.15, 0.2)
    canvas.setFont("Courier-Bold", 11)  # a monospaced short code reads well and is easy to type back
    canvas.drawCentredString(centre, y + 18 * mm, short_code_display(attendee.badge_code))
    canvas.setFillColorRGB(0.043, 0.431, 0.6)
    canvas.rect(x, y, BADGE_W, 14 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    text_draw(canvas, attendee.pass_type.name.upper(), x=centre, y=y + 5 * mm, size=12, width=inner, bold=True)
    canvas.setFillColorRGB(0, 0, 0)


def badge_pdf(attendee: Attendee) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A6)
    canvas.setTitle(f"{attendee.event.name} · {attendee.full_name}")
    _badge_draw(canvas, attendee, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def badges_pdf(attendees: Iterable[Attendee], *, title: str = "Badges", progress=None) -> bytes:
    """Four A6 badges per A4 page, in the order given. `progress(done)` is called every 100 badges."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    positions = [(0, BADGE_H), (BADGE_W, BADGE_H), (0, 0), (BADGE_W, 0)]
    signing_keys: dict[int, BadgeKey] = {}  # one key lookup per edition, not per badge
    count = 0
    for count, attendee in enumerate(attendees, start=1):
        if attendee.event_id not in signing_keys:
            signing_keys[attendee.event_id] = BadgeKey.objects.signing_key(event_id=attendee.event_id)
        x, y = positions[(count - 1) % 4]
        _badge_draw(canvas, attendee, x, y, signing_keys[attendee.event_id])
        if count % 4 == 0:
            canvas.showPage()
        if progress is not None and count % 100 == 0:
            progress(count)
    if count == 0 or count % 4:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
