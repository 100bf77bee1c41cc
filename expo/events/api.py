"""Read-only public API of the editions."""

from rest_framework import serializers, viewsets

from .models import Event


class EventSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="venue.name")
    city = serializers.CharField(source="venue.city")

    class Meta:
        model = Event
        fields = ["id", "slug", "name", "start_date", "end_date", "venue", "city"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Published editions of the fair."""

    queryset = Event.objects.published().select_related("venue").order_by("-start_date")
    serializer_class = EventSerializer
    lookup_field = "slug"
    search_fields = ["name"]
