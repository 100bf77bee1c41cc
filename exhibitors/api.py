"""Read-only public API of the exhibitor directory."""

import django_filters
from rest_framework import serializers, viewsets

from expo.models import Term

from .models import Exhibitor, Product


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["slug", "name"]


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "description"]


class ExhibitorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name")
    kind = serializers.CharField(source="organization.kind")
    size = serializers.CharField(source="organization.size")
    state = serializers.CharField(source="organization.state.name", default=None)
    website = serializers.CharField(source="organization.website")
    categories = TermSerializer(many=True)
    certifications = TermSerializer(many=True, source="organization.certifications")
    products = ProductSerializer(many=True)

    class Meta:
        model = Exhibitor
        fields = [
            "id",
            "event",
            "name",
            "kind",
            "size",
            "state",
            "website",
            "booth",
            "hall",
            "package",
            "categories",
            "certifications",
            "products",
        ]


class ExhibitorFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    category = django_filters.CharFilter(field_name="categories__slug")
    kind = django_filters.CharFilter(field_name="organization__kind")
    size = django_filters.CharFilter(field_name="organization__size")

    class Meta:
        model = Exhibitor
        fields = ["event", "category", "kind", "size", "hall"]


class ExhibitorViewSet(viewsets.ReadOnlyModelViewSet):
    """Exhibitors listed in the public directory, with categories, certifications and products."""

    queryset = (
        Exhibitor.objects.listed()
        .filter(event__is_published=True)
        .select_related("organization", "organization__state")
        .prefetch_related("categories", "organization__certifications", "products")
        .order_by("organization__name", "pk")
    )
    serializer_class = ExhibitorSerializer
    filterset_class = ExhibitorFilter
    search_fields = ["organization__name", "products__name", "booth"]
