"""Read-only public API of the exhibitor directory, read through the same selectors as the page."""

import django_filters
from rest_framework import serializers, viewsets

from expo.events.models import Term

from . import selectors
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
    state = serializers.CharField(source="organization.state.name", default=None, allow_null=True)
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
    search = django_filters.CharFilter(method="search_filter", max_length=100, label="Search company, product, booth")

    class Meta:
        model = Exhibitor
        fields = ["event", "category", "kind", "size", "hall"]

    def search_filter(self, queryset, name, value):
        return selectors.exhibitor_search(queryset, value)


class ExhibitorViewSet(viewsets.ReadOnlyModelViewSet):
    """Exhibitors listed in the public directory, with categories, certifications and products."""

    serializer_class = ExhibitorSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ExhibitorFilter

    def get_queryset(self):
        return selectors.exhibitors_loaded().filter(event__is_published=True)
