"""Forms of the exhibitor portal: they parse and validate input; the services write."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import Term

from .models import ApiToken, Lead, WebhookEvent


def _terms(vocabulary: str):
    return Term.objects.filter(vocabulary=vocabulary, is_active=True).order_by("position", "name_es")


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PortalSigninForm(forms.Form):
    login = forms.CharField(label=_("Email or user name"), max_length=254,
                            widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))  # fmt: skip
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        login, password = self.cleaned_data.get("login", "").strip(), self.cleaned_data.get("password", "")
        if login and password:
            username = login
            if "@" in login:
                match = get_user_model().objects.filter(email__iexact=login).values_list("username", flat=True)[:2]
                username = match[0] if len(match) == 1 else login
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None or not self.user.is_active:
                raise forms.ValidationError(_("The email or user name and the password do not match."))
        return self.cleaned_data


class ProfileForm(forms.Form):
    description = forms.CharField(label=_("About the company"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    categories = TermChoiceField(label=_("Device categories"), required=False, widget=forms.CheckboxSelectMultiple,
                                 queryset=_terms(Term.Vocabulary.DEVICE_CATEGORY))  # fmt: skip
    capabilities = TermChoiceField(label=_("Capabilities"), required=False, widget=forms.CheckboxSelectMultiple,
                                   queryset=_terms(Term.Vocabulary.CAPABILITY))  # fmt: skip
    certifications = TermChoiceField(label=_("Certifications"), required=False, widget=forms.CheckboxSelectMultiple,
                                     queryset=_terms(Term.Vocabulary.CERTIFICATION))  # fmt: skip


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200)
    category = CategoryChoiceField(label=_("Category"), required=False, empty_label=_("No category"),
                                   queryset=_terms(Term.Vocabulary.DEVICE_CATEGORY))  # fmt: skip
    url = forms.URLField(label=_("Product page"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class StaffForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))  # fmt: skip
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))  # fmt: skip
    email = forms.EmailField(label=_("Email"), help_text=_("The badge and a sign-in link are sent here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))  # fmt: skip
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)


class LeadForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), required=False, widget=forms.RadioSelect,
                               choices=[("", _("Not rated")), *Lead.Rating.choices])  # fmt: skip
    status = forms.ChoiceField(label=_("Follow-up"), choices=Lead.Status.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class LeadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    rating = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", _("Any rating")), *Lead.Rating.choices, ("none", _("Not rated"))],
    )
    status = forms.ChoiceField(
        label=_("Follow-up"), required=False, choices=[("", _("Any status")), *Lead.Status.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        rating = data.get("rating") or None
        return {"query": data.get("q") or None, "status": data.get("status") or None,
                "rating": "" if rating == "none" else rating}  # fmt: skip


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “Salesforce sync”."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=ApiToken.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple, initial=["read", "leads"])  # fmt: skip
    expires = forms.DateField(label=_("Last day it works"), required=False, help_text=_("Empty: until revoked."),
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def expires_at(self):
        day = self.cleaned_data.get("expires")
        if day is None:
            return None
        return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.max.time()))


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver URL"), max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.com/hooks/expo"}),
    )  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
    events = forms.MultipleChoiceField(
        label=_("Events"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[c for c in WebhookEvent.choices if c[0] != WebhookEvent.PING], help_text=_("None ticked: all events."),
    )  # fmt: skip
