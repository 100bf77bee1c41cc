"""Turn an outbox row into an email message, in the recipient's language.

`<template>.txt` and `<template>.html` are rendered with the stored context. An app that needs
more at send time (objects loaded by id, a fresh link, an inline image or a calendar file)
registers a context builder for its template prefix in its AppConfig.ready(); the outbox calls it
without knowing the app (the higher floor registers with the lower, never an import upward).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .models import OutboxEmail


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


def email_message(email: OutboxEmail) -> EmailMultiAlternatives:
    with translation.override(email.language):
        context = {"site_url": settings.SITE_URL, **_context_values(email.context)}
        builder = _builder_for(email.template)
        extras = builder(email, context) if builder else Extras()
        context.update(extras.context)
        subject = gettext(email.subject) % context
        text = render_to_string(f"{email.template}.txt", context)
        html = render_to_string(f"{email.template}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[email.to])
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
