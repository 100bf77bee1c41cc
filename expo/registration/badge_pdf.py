"""Printable badges as PDF (reportlab): one badge, or a batch of four per A4 page.

Each badge shows the edition, the name in large type, organization, pass type and the signed QR.
The built-in Helvetica covers Spanish (á, é, ñ...). Layout sizes are in points (1/72 inch).
"""

from collections.abc import Iterable
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .badges import attendee_badge_code
from .models import Attendee

BADGE_W, BADGE_H = A6  # 105 x 148 mm


def _fit(text: str, font: str, size: float, width: float) -> float:
    while size > 8 and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _badge_draw(canvas: Canvas, attendee: Attendee, x: float, y: float) -> None:
    """Draw one badge with its bottom-left corner at (x, y)."""
    margin = 8 * mm
    inner = BADGE_W - 2 * margin
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.75)
    canvas.rect(x, y, BADGE_W, BADGE_H)
    canvas.setFillColorRGB(0.043, 0.431, 0.6)
    canvas.rect(x, y + BADGE_H - 20 * mm, BADGE_W, 20 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 12 * mm, attendee.event.name)
    canvas.setFillColorRGB(0.1, 0.15, 0.2)
    name_size = _fit(attendee.first_name, "Helvetica-Bold", 24, inner)
    canvas.setFont("Helvetica-Bold", name_size)
    canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 34 * mm, attendee.first_name)
    last_size = _fit(attendee.last_name, "Helvetica", 16, inner)
    canvas.setFont("Helvetica", last_size)
    canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 42 * mm, attendee.last_name)
    if attendee.organization_name:
        canvas.setFont("Helvetica", _fit(attendee.organization_name, "Helvetica", 11, inner))
        canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 50 * mm, attendee.organization_name)
    qr_size = 52 * mm
    widget = QrCodeWidget(attendee_badge_code(attendee), barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x + (BADGE_W - qr_size) / 2, y + 20 * mm)
    canvas.setFillColorRGB(0.043, 0.431, 0.6)
    canvas.rect(x, y, BADGE_W, 14 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawCentredString(x + BADGE_W / 2, y + 5 * mm, attendee.pass_type.name.upper())
    canvas.setFillColorRGB(0, 0, 0)


def badge_pdf(attendee: Attendee) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A6)
    canvas.setTitle(f"{attendee.event.name} · {attendee.full_name}")
    _badge_draw(canvas, attendee, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def badges_pdf(attendees: Iterable[Attendee], *, title: str = "Badges") -> bytes:
    """Four A6 badges per A4 page, in the order given."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    positions = [(0, BADGE_H), (BADGE_W, BADGE_H), (0, 0), (BADGE_W, 0)]
    count = 0
    for count, attendee in enumerate(attendees, start=1):
        x, y = positions[(count - 1) % 4]
        _badge_draw(canvas, attendee, x, y)
        if count % 4 == 0:
            canvas.showPage()
    if count == 0 or count % 4:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
