"""Output shapes of an exhibitor's objects, shared by the exhibitor API and the webhook bodies, so a
lead reads the same (with the visitor's consent applied the same way) wherever it goes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from expo.events.models import Term

from . import selectors
from .models import Lead, Product, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["slug", "name"]


class LeadContactSerializer(serializers.Serializer):
    """The visitor as the exhibitor may see them: contact details only with the visitor's consent."""

    shared = serializers.BooleanField(help_text="True when the visitor agreed to share contact details.")
    name = serializers.CharField()
    organization = serializers.CharField(allow_blank=True)
    organization_kind = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    job_title = serializers.CharField(allow_null=True, allow_blank=True)
    state = serializers.CharField(allow_null=True, allow_blank=True)
    country = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)
    interests = serializers.ListField(child=serializers.CharField(), allow_null=True)
    hidden_reason = serializers.CharField(allow_null=True, help_text="Why contact details are hidden, if they are.")


class LeadSerializer(serializers.ModelSerializer):
    visitor = serializers.SerializerMethodField()
    captured_at = serializers.DateTimeField(source="created_at")
    scanned_by = serializers.SerializerMethodField()
    rating = serializers.ChoiceField(choices=Lead.Rating.choices, allow_blank=True, help_text="Empty: not rated.")

    class Meta:
        model = Lead
        fields = ["id", "visitor", "rating", "status", "notes", "source", "scanned_by", "captured_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(LeadContactSerializer)
    def get_visitor(self, lead: Lead) -> dict:
        # The dict LeadContactSerializer documents, built directly: a nested serializer per lead took
        # two thirds of a 50-lead page's time (bench/web/prepare.py profile api_lead_list).
        return selectors.lead_contact(lead).as_dict()

    def get_scanned_by(self, lead: Lead) -> str | None:
        user = lead.scanned_by
        if user is None:
            return None
        return user.get_full_name() or user.get_username()


class ProductSerializer(serializers.ModelSerializer):
    category = TermSerializer(allow_null=True)
    url = serializers.CharField(help_text="The product's page, or empty.")

    class Meta:
        model = Product
        fields = ["id", "name", "description", "category", "url", "updated_at"]
        read_only_fields = fields


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "is_active", "disabled_reason", "created_at"]
        read_only_fields = fields


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["started_at", "status_code", "duration_ms", "error"]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempt_log = WebhookAttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event_type", "status", "created_at", "attempts", "next_attempt_at",
                  "last_status_code", "last_error", "delivered_at", "attempt_log"]  # fmt: skip
        read_only_fields = fields
