"""Forms of the program pages: the room scanner, the DC-3 details, revoking a certificate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dc3 import curp_clean, occupation_clean, rfc_clean
from .models import RoomScan


class RoomScanForm(forms.Form):
    """What the room scanner posts (expo/static/expo/checkin.js sends every field of the form)."""

    code = forms.CharField(max_length=200)
    direction = forms.ChoiceField(choices=RoomScan.Direction.choices)
    session = forms.IntegerField(required=False, min_value=1)
    room = forms.IntegerField(required=False, min_value=1)
    device = forms.CharField(max_length=60, required=False)
    # Set by the page when it syncs a scan it read offline: when the badge was read.
    scanned_at = forms.DateTimeField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("session") and not data.get("room"):
            raise forms.ValidationError(_("Choose the session or the room."))
        return data


class Dc3Form(forms.Form):
    curp = forms.CharField(
        label="CURP",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    occupation = forms.CharField(
        label=_("Occupation (key of the national catalogue of occupations)"),
        max_length=10,
        required=False,
        help_text=_("Area and subarea, e.g. 09.1 for health; your human resources area knows yours."),
    )
    employer_name = forms.CharField(
        label=_("Employer (legal name)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    employer_rfc = forms.CharField(
        label=_("Employer's RFC"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip

    def clean_curp(self):
        return curp_clean(self.cleaned_data["curp"])

    def clean_occupation(self):
        return occupation_clean(self.cleaned_data["occupation"])

    def clean_employer_rfc(self):
        return rfc_clean(self.cleaned_data["employer_rfc"])


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
