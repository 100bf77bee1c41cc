"""Forms of visitor registration, sign-in, profile editing and the registration desk."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from expo.events.models import OrganizationKind, Term

from .models import PassType

COUNTRIES = [
    ("MX", _("Mexico")), ("US", _("United States")), ("CA", _("Canada")), ("GT", _("Guatemala")),
    ("CO", _("Colombia")), ("PE", _("Peru")), ("CL", _("Chile")), ("AR", _("Argentina")), ("BR", _("Brazil")),
    ("ES", _("Spain")), ("DE", _("Germany")), ("CN", _("China")), ("JP", _("Japan")), ("KR", _("South Korea")),
    ("XX", _("Other country")),
]  # fmt: skip


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class PassTypeChoiceField(forms.ModelChoiceField):
    # The pass types the form lists, once read (RegistrationForm): the choice sent is looked up among
    # them instead of with a second query for the same row.
    listed: list[PassType] | None = None

    def to_python(self, value):
        if self.listed is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            pk = PassType._meta.pk.to_python(value.pk if isinstance(value, PassType) else value)
        except ValidationError:
            pk = None
        for pass_type in self.listed:
            if pass_type.pk == pk:
                return pass_type
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})

    def label_from_instance(self, pass_type: PassType) -> str:
        label = pass_type.name
        if pass_type.seats_left == 0:
            label += " — " + str(_("full: join the waitlist"))
        return label


class AttendeeDetailsForm(forms.Form):
    """The fields a visitor fills in and can edit later."""

    # autocomplete hints: phones fill the form from the person's card (HTML autofill tokens).
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organization_name = forms.CharField(
        label=_("Organization"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organization_kind = forms.ChoiceField(label=_("Kind of organization"), choices=OrganizationKind.choices)
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=COUNTRIES, initial="MX", widget=forms.Select(attrs={"autocomplete": "country"})
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        required=False,
        empty_label=_("— choose your state —"),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        queryset=Term.objects.filter(vocabulary=Term.Vocabulary.STATE, is_active=True),
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("What are you interested in?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.filter(vocabulary=Term.Vocabulary.DEVICE_CATEGORY, is_active=True),
    )
    share_with_exhibitors = forms.BooleanField(
        label=_("I agree that exhibitors who scan my badge receive my name, organization, job title and email."),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("country") == "MX" and not data.get("state"):
            self.add_error("state", _("Choose your state, or another country."))
        if data.get("country") and data.get("country") != "MX":
            data["state"] = None
        return data


class RegistrationForm(AttendeeDetailsForm):
    field_order = [
        "pass_type",
        "first_name",
        "last_name",
        "email",
        "organization_name",
        "organization_kind",
        "job_title",
        "country",
        "state",
        "interests",
    ]

    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    pass_type = PassTypeChoiceField(
        label=_("Pass"), queryset=PassType.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    privacy_accepted = forms.BooleanField(
        label=_("I have read and accept the privacy notice."),
        error_messages={"required": _("You must accept the privacy notice to register.")},
    )

    def __init__(self, *args, pass_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_type"].queryset = pass_types
        # One query for the list: the page shows it, and the pass chosen is taken from it.
        self.fields["pass_type"].listed = list(pass_types)
        if len(pass_types) == 1:
            self.fields["pass_type"].initial = pass_types[0].pk

    def registration_kwargs(self) -> dict:
        """The cleaned data as keyword arguments of services.registration_create."""
        return dict(self.cleaned_data)


class DeskRegistrationForm(RegistrationForm):
    privacy_accepted = forms.BooleanField(
        label=_("The visitor read and accepted the privacy notice."),
        error_messages={"required": _("The visitor must accept the privacy notice to register.")},
    )


class SigninForm(forms.Form):
    email = forms.EmailField(
        label=_("Email you registered with"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ScanForm(forms.Form):
    code = forms.CharField(max_length=200, strip=True)
    gate = forms.CharField(max_length=60, required=False)
    # Set by a scanner syncing the scans it made while offline.
    scanned_at = forms.DateTimeField(required=False)

    def clean_scanned_at(self):
        from datetime import timedelta

        from django.utils import timezone

        value = self.cleaned_data["scanned_at"]
        if value and not timezone.now() - timedelta(days=7) <= value <= timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The scan time must be within the last seven days."))
        return value
