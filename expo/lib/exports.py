"""Spreadsheet exports (CSV) that are safe to open in Excel.

A cell that starts with =, +, -, @, a tab or a carriage return is read by spreadsheet programs as a
formula (`=HYPERLINK(...)`, `+cmd|...`); every exported cell goes through `cell_safe`, which puts an
apostrophe in front of such a value so it is shown as text.
"""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value) -> object:
    """The value as a spreadsheet shows it: text that could run as a formula is neutralized."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads the accents right
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([cell_safe(value) for value in row] for row in rows)
    return response
