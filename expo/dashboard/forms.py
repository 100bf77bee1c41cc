"""Forms of the control room's own pages: the second step of signing in and setting up an app."""

from django import forms
from django.utils.translation import gettext_lazy as _


def code_normalized(raw: str) -> str:
    """A code as typed ("123 456", "ab12-cd34", "AB12CD34") in the form it is stored in."""
    return "".join(raw.split()).replace("-", "").lower()


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}),
    )

    def clean_code(self) -> str:
        return code_normalized(self.cleaned_data["code"])


class TwoFactorEnrollForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The 6-digit code the app shows after you add the account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
    name = forms.CharField(
        label=_("Name of this device"),
        max_length=64,
        required=False,
        help_text=_("Optional, to tell your devices apart (for example “work phone”)."),
    )

    def clean_code(self) -> str:
        return code_normalized(self.cleaned_data["code"])
