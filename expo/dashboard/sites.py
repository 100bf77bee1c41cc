"""The admin site of the organizers: the dashboard as its home page, the audit trail of an object,
a door that stays shut to exhibitor staff (their portal is theirs; the admin is not) and to staff
who still owe the second step of signing in, and the pages of that step (views.py).

It replaces Django's default site (`ExpoAdminConfig.default_site`), so every app's
`@admin.register` lands here without knowing it.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import roles, selectors, views
from .two_factor import two_factor_step


class ExpoAdminSite(admin.AdminSite):
    index_template = "dashboard/index.html"

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        # Organizers without their second factor do not either (TwoFactorMiddleware sends them to it first).
        if two_factor_step(request) is not None:
            return False
        # Exhibitor staff never enter the admin, even if someone ticks "staff status" for them.
        return user.is_superuser or not roles.is_exhibitor_staff(user)

    def index(self, request, extra_context=None):
        event = selectors.dashboard_event(request.GET.get("event"))
        panels = selectors.dashboard_panels(user=request.user, event=event) if event else []
        context = {
            "dashboard_event": event,
            "dashboard_events": selectors.dashboard_events(),
            "dashboard_panels": panels,
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_urls(self):
        site = {"site": self}
        return [
            path("audit/<int:content_type_id>/<str:object_id>/", self.admin_view(self.audit_view), name="audit"),
            # Signing out works for someone who has not passed the second step (admin_view would send
            # them to the index, which has_permission refuses them).
            path("logout/", never_cache(self.logout), name="logout"),
            # The second step of signing in, open to a signed-in person who has not passed it yet.
            path("two-factor/", never_cache(views.two_factor_verify), site, name="two-factor-verify"),
            path("two-factor/enroll/", never_cache(views.two_factor_enroll), site, name="two-factor-enroll"),
            path("two-factor/backup-codes/", never_cache(views.two_factor_backup_codes), site,
                 name="two-factor-backup-codes"),
            path("two-factor/account/", self.admin_view(views.two_factor_manage), site, name="two-factor-manage"),
            path("two-factor/account/confirm/", self.admin_view(views.two_factor_confirm), site,
                 name="two-factor-confirm"),
            path("two-factor/account/backup-codes/", self.admin_view(views.two_factor_backup_codes_regenerate), site,
                 name="two-factor-backup-codes-regenerate"),
            path("two-factor/account/remove/", self.admin_view(views.two_factor_device_remove), site,
                 name="two-factor-device-remove"),
        ] + super().get_urls()  # fmt: skip

    def audit_view(self, request, content_type_id: int, object_id: str):
        """Who changed this object, what and when: from the admin, a portal or the API."""
        from auditlog.models import LogEntry  # noqa: PLC0415 -- auditlog's models load after the site

        try:
            content_type = ContentType.objects.get_for_id(content_type_id)
        except ContentType.DoesNotExist:
            raise Http404 from None
        model = content_type.model_class()
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        obj = model_admin.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not model_admin.has_view_permission(request, obj):
            raise PermissionDenied
        entries = (
            LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk))
            .select_related("actor")
            .order_by("-timestamp")
        )
        page = Paginator(entries, 50).get_page(request.GET.get("p"))
        context = {
            **self.each_context(request),
            "title": _("Changes to %(object)s") % {"object": obj},
            "object": obj,
            "opts": model._meta,
            "entries": page,
        }
        return TemplateResponse(request, "admin/audit_log.html", context)
