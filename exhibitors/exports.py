"""Lead exports, CSV and XLSX, with the visitor's consent applied and every cell formula-safe.

Both go through `lead_rows`, which reads the visitor's details through `selectors.lead_contact`
(contact details only with consent). CSV cells pass `expo.lib.exports.cell_safe`; XLSX cells are
written as text, never as formulas, and text that starts with =, +, - or @ also gets Excel's
quote prefix (shown as typed, not run, even after someone edits the cell).
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from expo.lib.exports import FORMULA_STARTS, csv_response

from . import selectors


def lead_header() -> list[str]:
    return [_("Captured at"), _("Name"), _("Organization"), _("Organization kind"), _("Email"), _("Job title"),
            _("State"), _("Country"), _("Interests"), _("Rating"), _("Follow-up"), _("Notes"), _("Scanned by"),
            _("Contact details")]  # fmt: skip


def lead_rows(leads):
    for lead in leads:
        contact = selectors.lead_contact(lead)
        scanner = lead.scanned_by.get_full_name() or lead.scanned_by.get_username() if lead.scanned_by else ""
        yield [
            timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M"),
            contact.name, contact.organization, contact.organization_kind,
            contact.email or "", contact.job_title or "", contact.state or "", contact.country or "",
            ", ".join(contact.interests or []), lead.get_rating_display(), lead.get_status_display(), lead.notes,
            scanner, _("shared") if contact.shared else contact.hidden_reason,
        ]  # fmt: skip


def leads_csv(filename: str, leads) -> HttpResponse:
    return csv_response(filename, lead_header(), lead_rows(leads))


def leads_xlsx(filename: str, leads) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Leads")[:31]
    sheet.append(lead_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in lead_rows(leads):
        sheet.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.value = "" if value is None else str(value)
            cell.data_type = TYPE_STRING  # text, never a formula
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
