"""Spreadsheet exports (CSV and XLSX) that are safe to open in Excel.

A cell that starts with =, +, -, @, a tab or a carriage return is read by spreadsheet programs as a
formula (`=HYPERLINK(...)`, `+cmd|...`); every exported cell goes through `cell_safe`, which puts an
apostrophe in front of such a value so it is shown as text.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from import_export.formats import base_formats

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


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, header: list[str], rows: Iterable[Iterable], *, title: str = "") -> HttpResponse:
    """The same rows as an Excel workbook (one sheet), each cell through `cell_safe`."""
    from openpyxl import Workbook  # noqa: PLC0415 -- only exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Hoja 1")[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([cell_safe(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _dataset_safe(dataset) -> None:
    for _index in range(len(dataset)):
        row = dataset.lpop()
        dataset.append([cell_safe(value) for value in row])


class SafeCSV(base_formats.CSV):
    """django-import-export's CSV, every exported cell through `cell_safe` (theirs only strips "=")."""

    def export_data(self, dataset, **kwargs):
        _dataset_safe(dataset)
        return "\ufeff" + dataset.export("csv", **kwargs)


class SafeXLSX(base_formats.XLSX):
    """django-import-export's XLSX, every exported cell through `cell_safe`."""

    def export_data(self, dataset, **kwargs):
        _dataset_safe(dataset)
        return super().export_data(dataset, **kwargs)


# What the admins' import and export offer (their `formats`).
BULK_FORMATS = [SafeCSV, SafeXLSX]
