"""Template tags of the control room: the link to an object's audit trail in the admin, and the words
of two-step sign-in entries in it (stored untranslated, shown in the reader's language)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext

from ..audit import audited

register = template.Library()


@register.simple_tag
def audit_url(obj) -> str:
    """The admin page of who changed `obj` and when, for audited models; empty otherwise."""
    if obj is None or not audited(type(obj)):
        return ""
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:audit", args=[content_type.pk, obj.pk])


@register.filter
def audit_value(value, field: str) -> str:
    """A value of an audit entry; the two-step sign-in entries' words in the reader's language."""
    from ..services import TWO_FACTOR_LOG_FIELD  # noqa: PLC0415 -- services load the apps' models

    if field == TWO_FACTOR_LOG_FIELD and value:
        return gettext(value)
    return value


@register.filter
def audit_field(field: str) -> str:
    """An audit entry's field name; two-step sign-in's in the reader's language."""
    from ..services import TWO_FACTOR_LOG_FIELD  # noqa: PLC0415

    return gettext(field) if field in (TWO_FACTOR_LOG_FIELD, "device") else field
