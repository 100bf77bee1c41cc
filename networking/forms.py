"""Forms of the B2B pages: the profile, the participant search, a meeting request, a meeting's
outcome, and the organizers' slot grid and scheduler run."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from expo.events.models import Event, Term

from .models import Profile
from .selectors import TRADE_VOCABULARIES, trade_terms

LANGUAGES = [
    ("es", _("Spanish")), ("en", _("English")), ("pt", _("Portuguese")), ("fr", _("French")),
    ("de", _("German")), ("zh", _("Chinese")), ("ja", _("Japanese")), ("ko", _("Korean")),
]  # fmt: skip


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, term: Term) -> str:
        return term.name


class ProfileForm(forms.Form):
    role = forms.ChoiceField(label=_("Your role"), choices=Profile.Role.choices)
    offers = TermChoiceField(
        label=_("What you offer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.none(),
        help_text=_("Device categories you make or sell, and capabilities you supply."),
    )
    needs = TermChoiceField(
        label=_("What you are looking for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.none(),
    )
    certifications = TermChoiceField(
        label=_("Certifications"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Term.objects.none(),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can meet in"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.ModelMultipleChoiceField(
        label=_("When you can meet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=None,
        help_text=_("Leave all unticked if you can meet whenever the networking spaces are open."),
    )
    max_meetings = forms.IntegerField(
        label=_("Maximum number of meetings"),
        min_value=1,
        max_value=30,
        error_messages={
            "min_value": _("Choose at least one meeting."),
            "max_value": _("Choose at most 30 meetings."),
        },
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        trade = trade_terms()
        self.fields["offers"].queryset = trade
        self.fields["needs"].queryset = trade
        self.fields["certifications"].queryset = Term.objects.filter(
            vocabulary=Term.Vocabulary.CERTIFICATION, is_active=True
        )
        self.fields["availability"].queryset = slots


# What participants offer and need, in two groups.
TRADE_GROUP_LABELS = {
    Term.Vocabulary.DEVICE_CATEGORY: _("Device categories"),
    Term.Vocabulary.CAPABILITY: _("Supplier capabilities"),
}


def _grouped_terms(terms) -> list:
    """Term choices grouped by vocabulary (an optgroup each), by slug."""
    groups: dict = {}
    for term in terms:
        groups.setdefault(TRADE_GROUP_LABELS[term.vocabulary], []).append((term.slug, term.name))
    return list(groups.items())


class ParticipantSearchForm(forms.Form):
    """Search and filters of the participants page (GET). A bad value is reported and ignored."""

    SIDES = [("", _("Either")), ("offers", _("They offer it")), ("needs", _("They look for it"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, company or job title")}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    side = forms.ChoiceField(label=_("Offered or sought"), required=False, choices=SIDES)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = Term.objects.filter(vocabulary=Term.Vocabulary.STATE, is_active=True)
        self.terms = {(term.vocabulary, term.slug): term for term in [*trade_terms(), *states]}
        trade = [t for t in self.terms.values() if t.vocabulary in (Term.Vocabulary.DEVICE_CATEGORY,
                                                                      Term.Vocabulary.CAPABILITY)]  # fmt: skip
        states = sorted((t for t in self.terms.values() if t.vocabulary == Term.Vocabulary.STATE), key=lambda t: t.name)
        self.fields["role"].choices = [("", pgettext_lazy("role", "All"))] + Profile.Role.choices
        self.fields["category"].choices = [("", pgettext_lazy("category", "All"))] + _grouped_terms(trade)
        self.fields["state"].choices = [("", pgettext_lazy("state", "All"))] + [(t.slug, t.name) for t in states]

    def _term(self, vocabularies, slug: str) -> Term | None:
        return next((self.terms[(v, slug)] for v in vocabularies if (v, slug) in self.terms), None)

    def filters(self) -> dict:
        """The valid filters, as `selectors.participant_search` takes them."""
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the valid fields; the errors are shown by the form
            data = self.cleaned_data
        return {
            "query": data.get("q", ""),
            "role": data.get("role", ""),
            "category": self._term(TRADE_VOCABULARIES, data.get("category", "")),
            "side": data.get("side", ""),
            "state": self._term([Term.Vocabulary.STATE], data.get("state", "")),
        }

    @property
    def has_filters(self) -> bool:
        return any(self.filters()[key] for key in ("role", "category", "state"))


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you would like to talk about."),
    )


class OutcomeForm(forms.Form):
    took_place = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("How did it go?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deal_value = forms.DecimalField(
        label=_("Estimated deal value (MXN)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": _("The deal value cannot be negative.")},
        help_text=_("What business this meeting may bring in the next 12 months, roughly. Confidential."),
    )


class SlotGridForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Length of a round (minutes)"), initial=20, min_value=5, max_value=240)
    tables = forms.IntegerField(
        label=_("Tables"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Empty: keep the tables as they are."),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data


class ScheduleRunForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Edition"), queryset=Event.objects.all())
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), initial=60, min_value=5, max_value=900,
        help_text=_("How long the solver may search; the result is valid whenever it stops."),
    )  # fmt: skip
