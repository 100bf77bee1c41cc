"""The base of every bulk import in the admin (django-import-export): all rows or none.

The admin previews an import (a dry run in a transaction that is rolled back) and lists each bad
row with its line and reason; confirming runs it again in one transaction, rolled back if any row
is invalid, so nothing is ever half-imported. The preview numbers rows from the first data row
(the header is not counted: row 2 is the file's third line).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import resources, widgets


class AllOrNothingResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        return super().import_data(dataset, **kwargs)


def yes(value) -> bool:
    """Spreadsheet booleans in both languages: sí/si/yes/true/1/x."""
    return str(value or "").strip().lower() in ("1", "sí", "si", "yes", "y", "true", "verdadero", "x")


class BooleanWidget(widgets.BooleanWidget):
    """Reads sí/no as well as yes/no and 1/0; writes 1/0."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        return yes(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label in either language; a clear error otherwise."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        from django.utils import translation

        text = str(value or "").strip()
        if not text:
            return ""
        for stored, label in self.choices.choices:
            names = {stored.lower(), str(label).lower()}
            for language in ("es-mx", "en"):
                with translation.override(language):
                    names.add(str(label).lower())
            if text.lower() in names:
                return stored
        allowed = ", ".join(stored for stored, _label in self.choices.choices)
        raise ValueError(gettext("“%(value)s” is not one of: %(allowed)s") % {"value": text, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return value or ""


def row_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})
