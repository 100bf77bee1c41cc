"""Text in PDFs (reportlab) for any name: Polish, Czech, Turkish, Vietnamese, Cyrillic, Greek, CJK.

reportlab's built-in Helvetica knows Latin-1 only and prints ■ for the rest (`Łukasz` → `■ukasz`).
This module registers DejaVu Sans (regular and bold, vendored in expo/lib/fonts/ from Debian's
fonts-dejavu-core, embedded as a subset in each PDF) and, for Chinese, Japanese and Korean, falls
back to reportlab's built-in CID fonts (STSong-Light, HeiseiKakuGo-W5, HYGothic-Medium), which PDF
viewers render with their Asian font packs.

The API is three functions, used by the badges and by the program's certificates:

- `pdf_font(text, bold=False)`: the registered font name that can draw `text`;
- `text_fit(text, size=, width=, bold=False, minimum=8)`: (font, size) so `text` fits `width` points;
- `text_draw(canvas, text, x=, y=, size=, width=None, bold=False, align="center")`: draw `text` fitted
  to `width` (when given) and aligned on `x` ("left", "center" or "right"); returns the size used.
"""

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
SANS = "ExpoSans"
SANS_BOLD = "ExpoSans-Bold"
# One CID font per script; each also covers ASCII, so a mixed name ("李 Wei") draws in one font.
CJK_FONTS = {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium", "zh": "STSong-Light"}


@cache
def fonts_register() -> None:
    """Register the fonts with reportlab once per process (safe to call any number of times)."""
    pdfmetrics.registerFont(TTFont(SANS, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(SANS_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    for name in CJK_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(name))


@cache
def _sans_covers() -> frozenset[int]:
    fonts_register()
    return frozenset(pdfmetrics.getFont(SANS).face.charToGlyph)


def _cjk_script(text: str) -> str | None:
    """ja, ko or zh when the text has characters of that script (kana and hangul decide over Han)."""
    scripts = set()
    for char in text:
        name = unicodedata.name(char, "")
        if name.startswith(("HIRAGANA", "KATAKANA")):
            scripts.add("ja")
        elif name.startswith("HANGUL"):
            scripts.add("ko")
        elif name.startswith("CJK") or "IDEOGRAPH" in name:
            scripts.add("zh")
    for script in ("ja", "ko", "zh"):
        if script in scripts:
            return script
    return None


def pdf_font(text: str, *, bold: bool = False) -> str:
    """The font to draw `text` with: DejaVu Sans when it has every character, else a CJK font."""
    fonts_register()
    covered = _sans_covers()
    if all(ord(char) in covered or char.isspace() for char in text):
        return SANS_BOLD if bold else SANS
    script = _cjk_script(text)
    return CJK_FONTS[script] if script else (SANS_BOLD if bold else SANS)


def text_fit(text: str, *, size: float, width: float, bold: bool = False, minimum: float = 8) -> tuple[str, float]:
    """The font and the largest size, from `size` down to `minimum`, at which `text` fits `width`."""
    font = pdf_font(text, bold=bold)
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return font, size


def text_draw(canvas, text: str, *, x: float, y: float, size: float, width: float | None = None,
              bold: bool = False, align: str = "center", minimum: float = 8) -> float:  # fmt: skip
    """Draw `text` at baseline `y`, aligned on `x`, shrunk to fit `width`; returns the size used."""
    if width is None:
        font = pdf_font(text, bold=bold)
    else:
        font, size = text_fit(text, size=size, width=width, bold=bold, minimum=minimum)
    canvas.setFont(font, size)
    draw = {"left": canvas.drawString, "center": canvas.drawCentredString, "right": canvas.drawRightString}[align]
    draw(x, y, text)
    return size
