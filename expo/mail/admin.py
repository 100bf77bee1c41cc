"""Admin of the email outbox: what was sent, what failed and why; the organizers' texts of each
email in both languages (they replace the file templates); the addresses that unsubscribed."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.template import TemplateSyntaxError, engines
from django.utils.translation import gettext_lazy as _

from .models import EmailTemplate, OptOut, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["template", "to", "language", "essential", "created_at", "sent_at", "attempts"]
    list_filter = ["template", "essential", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["=to", "=key"]  # exact: the outbox grows large; a campaign's log is linked by key prefix
    show_full_result_count = False
    readonly_fields = ["to", "language", "template", "subject", "context", "essential", "key", "created_at",
                       "claimed_until", "sent_at", "attempts", "last_error"]  # fmt: skip

    def has_add_permission(self, request):
        return False  # emails are written by the services that cause them


def email_template_names() -> list[str]:
    """Every email the platform sends: templates/<app>/email/<name>.txt, partials (_x) left out."""
    names = set()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).glob("*/email/*.txt"):
            if not path.name.startswith("_"):
                names.add(str(path.relative_to(folder).with_suffix("")))
    return sorted(names)


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "language", "subject", "body_text", "body_html", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = email_template_names()
        if self.instance.name and self.instance.name not in names:
            names.append(self.instance.name)
        self.fields["name"].widget = forms.Select(choices=[(n, n) for n in names])

    def _template(self, field: str) -> str:
        source = self.cleaned_data.get(field, "")
        try:
            engines["django"].from_string("{% load i18n %}" + source)
        except TemplateSyntaxError as error:
            raise forms.ValidationError(_("This text has a template error: %(error)s"), params={"error": error})
        return source

    def clean_subject(self):
        return self._template("subject")

    def clean_body_text(self):
        return self._template("body_text")

    def clean_body_html(self):
        return self._template("body_html")


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ["name", "language", "subject", "is_active", "updated_at"]
    list_filter = ["language", "is_active", "name"]
    search_fields = ["name", "subject"]
    fieldsets = [
        (None, {"fields": ["name", "language", "is_active"]}),
        (_("Text"), {
            "fields": ["subject", "body_text", "body_html"],
            "description": _(
                "Write it as the person will read it. You can use {{ first_name }}, {{ event_name }}, "
                "{{ signin_url }} (a fresh sign-in link), {{ registration_url }} and, for B2B emails, "
                "{{ agenda_url }}. While this text is in use it replaces the platform's own in this language."
            ),
        }),
    ]  # fmt: skip


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at"]
    search_fields = ["=email"]
