"""Admin of organizations, exhibitors, products, leads, API tokens and webhooks."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from expo.lib.exports import BULK_FORMATS

from .models import ApiToken, Exhibitor, Lead, Organization, Product, WebhookEndpoint
from .resources import ExhibitorResource, ProductResource


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "size", "state", "country", "rfc"]
    list_filter = ["kind", "size", "state", "country", "certifications"]
    search_fields = ["name", "rfc"]
    list_select_related = ["state"]
    filter_horizontal = ["certifications", "capabilities"]


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0


@admin.register(Exhibitor)
class ExhibitorAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ExhibitorResource]
    formats = BULK_FORMATS
    list_display = ["organization", "event", "booth", "hall", "package", "is_listed"]
    list_filter = ["event", "package", "hall", "is_listed", "organization__kind", "organization__size",
                   "organization__state", "categories"]  # fmt: skip
    search_fields = ["organization__name", "booth"]
    list_select_related = ["organization", "event"]
    autocomplete_fields = ["organization", "staff"]
    filter_horizontal = ["categories"]
    inlines = [ProductInline]


@admin.register(Product)
class ProductAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ProductResource]
    formats = BULK_FORMATS
    list_display = ["name", "exhibitor", "category"]
    list_filter = ["category", "exhibitor__event"]
    search_fields = ["name", "exhibitor__organization__name"]
    list_select_related = ["exhibitor__organization", "category"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["attendee", "exhibitor", "rating", "created_at"]
    list_filter = ["exhibitor__event", "rating", "created_at"]
    search_fields = ["attendee__email", "attendee__last_name", "exhibitor__organization__name"]
    list_select_related = ["attendee", "exhibitor__organization"]
    raw_id_fields = ["attendee", "exhibitor"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "exhibitor", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["exhibitor__event"]
    search_fields = ["name", "prefix", "exhibitor__organization__name"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["exhibitor"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "exhibitor", "is_active", "created_at"]
    list_filter = ["is_active", "exhibitor__event"]
    search_fields = ["url", "exhibitor__organization__name"]
    raw_id_fields = ["exhibitor"]
