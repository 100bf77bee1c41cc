"""The exhibitor directory's public API, and the exhibitor API (a token of one exhibitor): its
profile and products, leads, and webhook endpoints with their delivery log.

Views are thin: input serializers validate, services write, selectors read, output serializers
(exhibitors.serializers, shared with the webhook bodies) shape. Every object is fetched through
`ExhibitorApiView.owned`, scoped to the token's exhibitor: another exhibitor's object answers 404.
"""

import contextlib
from datetime import UTC

import django_filters
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from expo.events.models import Term
from expo.lib.pagecache import content_key, version_stamp

from . import selectors, services
from .api_auth import ExhibitorApiView, IdempotentCreateMixin
from .models import Exhibitor, Lead, Product, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .serializers import (
    LeadSerializer,
    ProductSerializer,
    TermSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
)

# The public directory ---------------------------------------------------------------------------


class DirectoryProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description"]


class ExhibitorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name")
    kind = serializers.CharField(source="organization.kind")
    size = serializers.CharField(source="organization.size")
    state = serializers.CharField(source="organization.state.name", default=None, allow_null=True)
    website = serializers.CharField(source="organization.website")
    hall = serializers.CharField(source="hall.name", default=None, allow_null=True)
    categories = TermSerializer(many=True)
    certifications = TermSerializer(many=True, source="organization.certifications")
    products = DirectoryProductSerializer(many=True)

    class Meta:
        model = Exhibitor
        fields = ["id", "event", "slug", "name", "kind", "size", "state", "website", "booth", "hall", "package",
                  "categories", "certifications", "products"]  # fmt: skip


class ExhibitorFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    category = django_filters.CharFilter(method="filter_directory")
    capability = django_filters.CharFilter(method="filter_directory")
    certification = django_filters.CharFilter(method="filter_directory")
    state = django_filters.CharFilter(method="filter_directory")
    hall = django_filters.CharFilter(method="filter_directory", label="Hall code")
    kind = django_filters.CharFilter(field_name="organization__kind")
    size = django_filters.CharFilter(field_name="organization__size")
    search = django_filters.CharFilter(
        method="search_filter", max_length=100,
        label="Search company, product, category, capability, certification, state or booth (accents and case ignored)",
    )  # fmt: skip

    class Meta:
        model = Exhibitor
        fields = ["event", "category", "capability", "certification", "state", "hall", "kind", "size"]

    def filter_directory(self, queryset, name, value):
        filters = {
            "category": {"categories__slug": value},
            "capability": {"organization__capabilities__slug": value},
            "certification": {"organization__certifications__slug": value},
            "state": {"organization__state__slug": value},
            "hall": {"hall__code": value},
        }
        return queryset.filter(pk__in=Exhibitor.objects.filter(**filters[name]).values("pk"))

    def search_filter(self, queryset, name, value):
        return selectors.exhibitor_search(queryset, value)


class ExhibitorViewSet(viewsets.ReadOnlyModelViewSet):
    """Exhibitors listed in the public directory, with categories, certifications and products."""

    serializer_class = ExhibitorSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ExhibitorFilter

    def get_queryset(self):
        return selectors.exhibitors_loaded().filter(event__is_published=True)

    def list(self, request, *args, **kwargs):
        """The same for everyone, like the directory page: a page of it is kept in the cache, keyed by
        the exhibitors' version (bumped by every change through the services), the query and the
        language (a taxonomy rename shows within two minutes). Errors are not kept."""
        key = content_key("api-exhibitors", version_stamp("exhibitors"), request.GET.urlencode(), get_language())
        try:
            data = cache.get(key)
        except Exception:  # the cache is down: answer from the database
            data = None
        if data is not None:
            return Response(data)
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            with contextlib.suppress(Exception):
                cache.set(key, dict(response.data), selectors.EXHIBITORS_CACHE_SECONDS)
        return response


# The exhibitor's profile ------------------------------------------------------------------------


def _terms(vocabulary: str):
    return serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary=vocabulary, is_active=True),
    )


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name")
    kind = serializers.CharField(source="organization.kind")
    size = serializers.CharField(source="organization.size")
    state = serializers.CharField(source="organization.state.name", default=None, allow_null=True)
    description = serializers.CharField(source="organization.description")
    website = serializers.CharField(source="organization.website")
    hall = serializers.CharField(source="hall.name", default=None, allow_null=True)
    categories = TermSerializer(many=True)
    capabilities = TermSerializer(many=True, source="organization.capabilities")
    certifications = TermSerializer(many=True, source="organization.certifications")

    class Meta:
        model = Exhibitor
        fields = ["id", "slug", "name", "kind", "size", "state", "description", "website", "booth", "hall", "package",
                  "categories", "capabilities", "certifications"]  # fmt: skip
        read_only_fields = fields


class ProfileInputSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    categories = _terms(Term.Vocabulary.DEVICE_CATEGORY)
    capabilities = _terms(Term.Vocabulary.CAPABILITY)
    certifications = _terms(Term.Vocabulary.CERTIFICATION)


def _profile(exhibitor_pk: int) -> Exhibitor:
    return (
        Exhibitor.objects.select_related("organization", "organization__state", "hall")
        .prefetch_related("categories", "organization__capabilities", "organization__certifications")
        .get(pk=exhibitor_pk)
    )


class ProfileView(ExhibitorApiView):
    """The company profile of the token's exhibitor, as the directory shows it."""

    required_scopes = {"GET": ["read"], "PATCH": ["profile"]}

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(_profile(self.exhibitor.pk)).data)

    @extend_schema(request=ProfileInputSerializer, responses=ProfileSerializer)
    def patch(self, request):
        data = ProfileInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.exhibitor_profile_update(exhibitor=self.exhibitor, **data.validated_data)
        return Response(ProfileSerializer(_profile(self.exhibitor.pk)).data)


# Products ---------------------------------------------------------------------------------------


class ProductInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    category = serializers.SlugRelatedField(
        slug_field="slug", required=False, allow_null=True,
        queryset=Term.objects.filter(vocabulary=Term.Vocabulary.DEVICE_CATEGORY, is_active=True),
    )  # fmt: skip
    url = serializers.URLField(required=False, allow_blank=True, max_length=200)


class ProductListView(IdempotentCreateMixin, ExhibitorApiView, generics.ListAPIView):
    """The exhibitor's products (its catalogue in the directory)."""

    required_scopes = {"GET": ["read"], "POST": ["profile"]}
    serializer_class = ProductSerializer

    def get_queryset(self):
        return selectors.products_of(exhibitor=self.exhibitor)

    @extend_schema(request=ProductInputSerializer, responses={201: ProductSerializer})
    def post(self, request):
        return super().post(request)

    def create(self, request):
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(exhibitor=self.exhibitor, **data.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(ExhibitorApiView):
    required_scopes = {"GET": ["read"], "PATCH": ["profile"], "DELETE": ["profile"]}

    def _product(self, pk):
        return self.owned(Product.objects.select_related("category"), pk)

    @extend_schema(responses=ProductSerializer)
    def get(self, request, pk: int):
        return Response(ProductSerializer(self._product(pk)).data)

    @extend_schema(request=ProductInputSerializer(partial=True), responses=ProductSerializer)
    def patch(self, request, pk: int):
        product = self._product(pk)
        data = ProductInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(product=product, **data.validated_data)
        return Response(ProductSerializer(product).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.product_delete(product=self._product(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Leads ------------------------------------------------------------------------------------------


def utc(value):
    """An aware datetime in UTC (PostgreSQL refuses offsets past 15:59 that ISO 8601 allows), or a 400."""
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise DjangoValidationError(_("Enter a date and time between the years 1 and 9999."), code="invalid") from None


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else utc(value)


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class LeadFilter(django_filters.FilterSet):
    captured_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte",
                                                      label="Captured at or after (ISO 8601)")  # fmt: skip
    captured_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt",
                                                       label="Captured before (ISO 8601)")  # fmt: skip
    updated_after = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Updated at or after: to sync changes since the last run"
    )
    rating = django_filters.ChoiceFilter(choices=[*Lead.Rating.choices, ("none", "Not rated")], method="filter_rating")
    status = django_filters.ChoiceFilter(choices=Lead.Status.choices)

    class Meta:
        model = Lead
        fields = ["captured_after", "captured_before", "updated_after", "rating", "status"]

    def filter_rating(self, queryset, name, value):
        return queryset.filter(rating="" if value == "none" else value)


class LeadCaptureSerializer(serializers.Serializer):
    badge_code = serializers.CharField(max_length=200, help_text="What the badge's QR code holds.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    rating = serializers.ChoiceField(choices=Lead.Rating.choices, required=False, allow_blank=True)
    captured_at = serializers.DateTimeField(required=False, help_text="When the badge was read (offline scanners).")

    def validate_captured_at(self, value):
        try:
            return utc(value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from None


class LeadUpdateSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    rating = serializers.ChoiceField(choices=Lead.Rating.choices, required=False, allow_blank=True,
                                     help_text="hot, warm, cold, or empty for none.")  # fmt: skip
    status = serializers.ChoiceField(choices=Lead.Status.choices, required=False)


BADGE_ERRORS = {
    "invalid": gettext_lazy("This code is not a Medical Expo badge."),
    "other_event": gettext_lazy("This badge is for another edition."),
    "cancelled": gettext_lazy("This visitor's registration was cancelled."),
    "waitlisted": gettext_lazy("This visitor is on the waitlist, without a confirmed registration."),
    "own_staff": gettext_lazy("This badge belongs to your own booth staff."),
}


@extend_schema_view(get=extend_schema(description="The exhibitor's leads, newest first."))
class LeadListView(IdempotentCreateMixin, ExhibitorApiView, generics.ListAPIView):
    """Leads: visitors whose badges the booth scanned. Contact details only with the visitor's consent."""

    required_scopes = {"*": ["leads"]}
    serializer_class = LeadSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = LeadFilter

    def get_queryset(self):
        return selectors.leads_of(exhibitor=self.exhibitor)

    @extend_schema(
        request=LeadCaptureSerializer,
        responses={
            201: LeadSerializer,
            200: OpenApiResponse(LeadSerializer, description="Already a lead: the first one."),
        },
        description="Capture a lead from a scanned badge code. A visitor already captured returns the existing "
        "lead with 200; an invalid, foreign or cancelled badge answers 400 on `badge_code`.",
    )
    def post(self, request):
        return super().post(request)

    def create(self, request):
        data = LeadCaptureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.lead_capture(
            exhibitor=self.exhibitor, code=values["badge_code"], at=values.get("captured_at"), source="api",
            notes=values.get("notes", ""), rating=values.get("rating", ""),
        )  # fmt: skip
        if not result.captured:
            raise ValidationError({"badge_code": [BADGE_ERRORS.get(result.outcome, BADGE_ERRORS["invalid"])]})
        if result.data is not None:  # a new lead: what the webhook sent, read once
            return Response(result.data, status=status.HTTP_201_CREATED)
        lead = selectors.leads_of(exhibitor=self.exhibitor).get(pk=result.lead.pk)
        return Response(LeadSerializer(lead).data, status=status.HTTP_200_OK)


class LeadDetailView(ExhibitorApiView):
    required_scopes = {"*": ["leads"]}

    def _lead(self, pk):
        return self.owned(selectors.leads_of(exhibitor=self.exhibitor), pk)

    @extend_schema(responses=LeadSerializer)
    def get(self, request, pk: int):
        return Response(LeadSerializer(self._lead(pk)).data)

    @extend_schema(request=LeadUpdateSerializer, responses=LeadSerializer)
    def patch(self, request, pk: int):
        lead = self._lead(pk)
        data = LeadUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.lead_update(lead=lead, **data.validated_data)
        return Response(LeadSerializer(self._lead(pk)).data)


# Webhook endpoints ------------------------------------------------------------------------------


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="https address of your receiver.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[c for c in WebhookEvent.choices if c[0] != WebhookEvent.PING]),
        required=False, help_text="Events to receive; empty or absent for all.",
    )  # fmt: skip
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_active = serializers.BooleanField(required=False)


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointListView(IdempotentCreateMixin, ExhibitorApiView, generics.ListAPIView):
    """Where to deliver events. Each endpoint has a signing secret, returned once when it is created."""

    required_scopes = {"*": ["webhooks"]}
    serializer_class = WebhookEndpointSerializer

    def get_queryset(self):
        return selectors.endpoints_of(exhibitor=self.exhibitor)

    @extend_schema(request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointCreatedSerializer})
    def post(self, request):
        return super().post(request)

    def create(self, request):
        data = WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        endpoint = services.webhook_endpoint_create(exhibitor=self.exhibitor, **values)
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookEndpointDetailView(ExhibitorApiView):
    required_scopes = {"*": ["webhooks"]}

    def _endpoint(self, pk):
        return self.owned(WebhookEndpoint.objects.select_related("exhibitor__organization"), pk)

    @extend_schema(responses=WebhookEndpointSerializer)
    def get(self, request, pk: int):
        return Response(WebhookEndpointSerializer(self._endpoint(pk)).data)

    @extend_schema(request=WebhookEndpointInputSerializer(partial=True), responses=WebhookEndpointSerializer)
    def patch(self, request, pk: int):
        endpoint = self._endpoint(pk)
        data = WebhookEndpointInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.webhook_endpoint_delete(endpoint=self._endpoint(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookTestView(IdempotentCreateMixin, ExhibitorApiView):
    """Send a `ping` event to this endpoint now, to check the receiver and its signature check."""

    required_scopes = {"*": ["webhooks"]}

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    def post(self, request, pk: int):
        return super().post(request, pk=pk)

    def create(self, request, pk: int):
        endpoint = self.owned(WebhookEndpoint.objects.select_related("exhibitor__organization"), pk)
        delivery = services.webhook_test_send(endpoint=endpoint)
        delivery = selectors.deliveries_of(endpoint=endpoint).get(pk=delivery.pk)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryListView(ExhibitorApiView, generics.ListAPIView):
    """The delivery log of an endpoint, newest first: status, attempts with HTTP status and time taken."""

    required_scopes = {"*": ["webhooks"]}
    serializer_class = WebhookDeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no token
            return WebhookDelivery.objects.none()
        endpoint = self.owned(WebhookEndpoint.objects.all(), self.kwargs["pk"])
        return selectors.deliveries_of(endpoint=endpoint)
