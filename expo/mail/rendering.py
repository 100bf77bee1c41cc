"""Turn an outbox row into an email message, in the recipient's language.

`<template>.txt` and `<template>.html` are rendered with the stored context, unless organizers
wrote their own text of that email in that language (`EmailTemplate`, edited in the admin), which
then replaces the files. A non-essential email gets an unsubscribe link and List-Unsubscribe headers. An app that needs
more at send time (objects loaded by id, a fresh link, an inline image or a calendar file)
registers a context builder for its template prefix in its AppConfig.ready(); the outbox calls it
without knowing the app (the higher floor registers with the lower, never an import upward).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .models import EmailTemplate, OutboxEmail
from .unsubscribe import unsubscribe_url


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str
    inline_id: str = ""  # set: shown inside the HTML as <img src="cid:...">


@dataclass
class Extras:
    """What a context builder adds to a message."""

    context: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


ContextBuilder = Callable[[OutboxEmail, dict], Extras]
_builders: dict[str, ContextBuilder] = {}


def context_builder_register(prefix: str, builder: ContextBuilder) -> None:
    """Call `builder(email, context)` for every template that starts with `prefix`."""
    _builders[prefix] = builder


def _builder_for(template: str) -> ContextBuilder | None:
    matches = [prefix for prefix in _builders if template.startswith(prefix)]
    return _builders[max(matches, key=len)] if matches else None


def _context_values(context: dict) -> dict:
    """Stored context as template values: ISO times under keys ending in `_at` become datetimes."""
    values = dict(context)
    for key, value in context.items():
        if key.endswith("_at") and isinstance(value, str):
            try:
                values[key] = datetime.fromisoformat(value)
            except ValueError:
                pass
    return values


def template_override(name: str, language: str) -> EmailTemplate | None:
    """The organizers' text of an email in a language, if they wrote one (admin: Email texts)."""
    return EmailTemplate.objects.filter(name=name, language=language, is_active=True).first()


def _render_override(override: EmailTemplate, context: dict) -> tuple[str, str, str]:
    engine = engines["django"]
    plain = "{% load i18n %}{% autoescape off %}"
    subject = engine.from_string(plain + override.subject + "{% endautoescape %}").render(context)
    text = engine.from_string(plain + override.body_text + "{% endautoescape %}").render(context)
    if override.body_html.strip():
        html = engine.from_string("{% load i18n %}" + override.body_html).render(context)
    else:
        html = render_to_string("mail/override.html", {**context, "override_text": text})
    if context.get("unsubscribe_url"):
        text += "\n\n" + render_to_string("mail/_unsubscribe.txt", context)
    return subject, text, html


def email_message(email: OutboxEmail) -> EmailMultiAlternatives:
    with translation.override(email.language):
        context = {"site_url": settings.SITE_URL, **_context_values(email.context)}
        builder = _builder_for(email.template)
        extras = builder(email, context) if builder else Extras()
        context.update(extras.context)
        if not email.essential:
            context["unsubscribe_url"] = unsubscribe_url(email.to)
        override = template_override(email.template, email.language)
        if override is not None:
            subject, text, html = _render_override(override, context)
        else:
            subject = gettext(email.subject) % context
            text = render_to_string(f"{email.template}.txt", context)
            html = render_to_string(f"{email.template}.html", context)
    headers = {}
    if not email.essential:
        # RFC 8058: mail programs show an "unsubscribe" button that POSTs to the link.
        headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[email.to], headers=headers)
    message.attach_alternative(html, "text/html")
    for attachment in extras.attachments:
        if attachment.inline_id:
            from email.mime.image import MIMEImage

            image = MIMEImage(attachment.content, attachment.mimetype.split("/", 1)[1])
            image.add_header("Content-ID", f"<{attachment.inline_id}>")
            image.add_header("Content-Disposition", "inline", filename=attachment.filename)
            message.attach(image)
            message.mixed_subtype = "related"
        else:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message
