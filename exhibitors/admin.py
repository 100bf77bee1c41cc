"""Admin of organizations, halls, exhibitors (booths, portal users, staff quota), products, booth
staff, leads, API tokens, webhooks and their delivery log.

Saves that change what the directory search reads (company name, products, booth, hall) refresh
the exhibitors' search text through the service, as the portal and the API do. Exhibitors and
products import and export in bulk (CSV, XLSX).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from expo.lib.exports import BULK_FORMATS

from . import services
from .models import (
    ApiToken,
    BoothStaff,
    Exhibitor,
    ExhibitorSettings,
    Hall,
    IdempotentRequest,
    Lead,
    Organization,
    Product,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from .resources import ExhibitorResource, ProductResource


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "size", "state", "country", "rfc"]
    list_filter = ["kind", "size", "state", "country", "certifications"]
    search_fields = ["name", "rfc"]
    list_select_related = ["state"]
    filter_horizontal = ["certifications", "capabilities"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.exhibitor_search_text_refresh(exhibitor_ids=obj.exhibitions.values_list("pk", flat=True))


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "code", "event", "position", "width", "depth", "x", "y"]
    list_editable = ["position", "width", "depth", "x", "y"]
    list_filter = ["event"]
    search_fields = ["name_es", "name_en", "code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.exhibitor_search_text_refresh(exhibitor_ids=obj.exhibitors.values_list("pk", flat=True))


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    fields = ["name", "category", "url", "description"]


@admin.register(Exhibitor)
class ExhibitorAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ExhibitorResource]
    formats = BULK_FORMATS
    list_display = ["organization", "event", "booth", "hall", "package", "is_listed"]
    list_filter = ["event", "package", "hall", "is_listed", "organization__kind", "organization__size",
                   "organization__state", "categories"]  # fmt: skip
    search_fields = ["organization__name", "booth", "slug"]
    list_select_related = ["organization", "event", "hall"]
    autocomplete_fields = ["organization", "staff"]
    filter_horizontal = ["categories"]
    fieldsets = [
        (None, {"fields": ["event", "organization", "slug", "package", "categories", "is_listed"]}),
        (_("Booth"), {"fields": ["hall", "booth", "booth_x", "booth_y", "booth_width", "booth_depth"],
                      "description": _("Place on the hall's plan in metres from its top-left corner; "
                                       "empty x and y: drawn in a row at the bottom of the hall.")}),
        (_("Portal"), {"fields": ["staff", "staff_badges"]}),
    ]  # fmt: skip
    inlines = [ProductInline]

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = services.exhibitor_slug_make(
                event_id=obj.event_id, name=obj.organization.name, exclude_pk=obj.pk
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.exhibitor_search_text_refresh(exhibitor_ids=[form.instance.pk])


@admin.register(ExhibitorSettings)
class ExhibitorSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "staff_pass_type", "badges_booth", "badges_premium", "badges_pavilion", "badges_sponsor"]
    list_select_related = ["event", "staff_pass_type"]


@admin.register(BoothStaff)
class BoothStaffAdmin(admin.ModelAdmin):
    list_display = ["attendee", "exhibitor", "created_at"]
    list_filter = ["exhibitor__event"]
    search_fields = ["attendee__email", "attendee__last_name", "exhibitor__organization__name"]
    list_select_related = ["attendee", "exhibitor__organization"]
    raw_id_fields = ["attendee", "exhibitor", "added_by"]


@admin.register(Product)
class ProductAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ProductResource]
    formats = BULK_FORMATS
    list_display = ["name", "exhibitor", "category"]
    list_filter = ["category", "exhibitor__event"]
    search_fields = ["name", "exhibitor__organization__name"]
    list_select_related = ["exhibitor__organization", "category"]
    raw_id_fields = ["exhibitor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.exhibitor_search_text_refresh(exhibitor_ids=[obj.exhibitor_id])


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["attendee", "exhibitor", "rating", "status", "created_at"]
    list_filter = ["exhibitor__event", "rating", "status", "source", "created_at"]
    search_fields = ["attendee__email", "attendee__last_name", "exhibitor__organization__name"]
    list_select_related = ["attendee", "exhibitor__organization"]
    raw_id_fields = ["attendee", "exhibitor", "scanned_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "exhibitor", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["exhibitor__event"]
    search_fields = ["name", "prefix", "exhibitor__organization__name"]
    readonly_fields = ["prefix", "key_hash", "created_at", "created_by", "last_used_at"]
    raw_id_fields = ["exhibitor"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # made in the portal or with create_exhibitor_token, which show the secret once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)
        self.message_user(request, ngettext("%d token revoked.", "%d tokens revoked.", queryset.count())
                          % queryset.count(), messages.SUCCESS)  # fmt: skip


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "exhibitor", "is_active", "disabled_reason", "created_at"]
    list_filter = ["is_active", "exhibitor__event"]
    search_fields = ["url", "exhibitor__organization__name"]
    raw_id_fields = ["exhibitor"]
    readonly_fields = ["secret", "sending_until"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ["started_at", "status_code", "duration_ms", "error", "response_body"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "endpoint", "status", "attempts", "last_status_code", "created_at", "delivered_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["endpoint__url", "event_id"]
    list_select_related = ["endpoint"]
    raw_id_fields = ["endpoint"]
    readonly_fields = ["event_id"]
    inlines = [WebhookAttemptInline]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ["delivery", "started_at", "status_code", "duration_ms", "error"]
    list_select_related = ["delivery__endpoint"]
    raw_id_fields = ["delivery"]


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(admin.ModelAdmin):
    list_display = ["key", "token", "status_code", "created_at"]
    search_fields = ["key"]
    raw_id_fields = ["token"]
