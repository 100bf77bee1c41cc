"""PDF text for any name: the glyphs are really there (extracted back from the PDF), not ■."""

from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from expo.lib.pdf_text import SANS, SANS_BOLD, pdf_font, text_draw, text_fit

NAMES = {
    "Polish": "Łukasz Żółć-Wiśniewski",
    "Czech": "Jiří Dvořák Řeháková",
    "Turkish": "Şahin İğdır Çağlar Öztürk",
    "Vietnamese": "Nguyễn Thị Hương Trần",
    "Chinese": "王小明",
    "Japanese": "やまだ たろう",
    "Korean": "김민준",
}


def pdf_text(*names: str) -> str:
    buffer = BytesIO()
    canvas = Canvas(buffer)
    for index, name in enumerate(names):
        text_draw(canvas, name, x=300, y=780 - 40 * index, size=20, width=250, bold=index % 2 == 1)
    canvas.showPage()
    canvas.save()
    return PdfReader(BytesIO(buffer.getvalue())).pages[0].extract_text()


def test_every_name_comes_back_out_of_the_pdf():
    text = pdf_text(*NAMES.values())
    for language, name in NAMES.items():
        assert name in text, f"{language}: {name!r} not in {text!r}"
    assert "■" not in text


@pytest.mark.parametrize(("name", "font"), [
    (NAMES["Polish"], SANS), (NAMES["Vietnamese"], SANS), ("Ελένη Παπαδοπούλου", SANS), ("Дмитрий", SANS),
    (NAMES["Chinese"], "STSong-Light"), (NAMES["Japanese"], "HeiseiKakuGo-W5"), (NAMES["Korean"], "HYGothic-Medium"),
    ("李 Wei", "STSong-Light"),
])  # fmt: skip
def test_the_font_is_chosen_by_what_the_text_needs(name, font):
    assert pdf_font(name) == font
    assert pdf_font("Ana", bold=True) == SANS_BOLD


def test_long_names_shrink_to_fit_down_to_a_minimum():
    font, size = text_fit("María Guadalupe Hernández de la Garza", size=24, width=150)
    assert font == SANS and 8 <= size < 24
    assert text_fit("Ana", size=24, width=150) == (SANS, 24)
    assert text_fit("W" * 200, size=24, width=150, minimum=9)[1] == 9
