"""Template tags of the control room: the link to an object's audit trail in the admin."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ..audit import audited

register = template.Library()


@register.simple_tag
def audit_url(obj) -> str:
    """The admin page of who changed `obj` and when, for audited models; empty otherwise."""
    if obj is None or not audited(type(obj)):
        return ""
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:audit", args=[content_type.pk, obj.pk])
