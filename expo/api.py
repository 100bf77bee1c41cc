"""Read-only public API of the program: editions and sessions."""

import django_filters
from django.http import Http404
from rest_framework import exceptions, serializers, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .models import Event, Session, Speaker


def exception_handler(exc, context):
    """DRF's handler, but a missing object answers with DRF's translated "Not found." rather than
    Django's English "No Event matches the given query."."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class EventSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="venue.name")
    city = serializers.CharField(source="venue.city")

    class Meta:
        model = Event
        fields = ["id", "slug", "name", "start_date", "end_date", "venue", "city"]


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "affiliation"]


class SessionSerializer(serializers.ModelSerializer):
    room = serializers.CharField(source="room.name")
    track = serializers.CharField(source="track.name", default=None)
    speakers = SpeakerSerializer(many=True)
    seats = serializers.IntegerField()

    class Meta:
        model = Session
        fields = [
            "id",
            "event",
            "title",
            "kind",
            "track",
            "room",
            "start",
            "end",
            "language",
            "seats",
            "training_hours",
            "speakers",
        ]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Published editions of the fair."""

    queryset = Event.objects.published().select_related("venue").order_by("-start_date")
    serializer_class = EventSerializer
    lookup_field = "slug"
    search_fields = ["name"]


class SessionFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    day = django_filters.DateFilter(field_name="start", lookup_expr="date")

    class Meta:
        model = Session
        fields = ["event", "kind", "language", "track", "day"]


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """The program: presentations, panels, keynotes and training workshops."""

    queryset = (
        Session.objects.filter(event__is_published=True)
        .select_related("room", "track")
        .prefetch_related("speakers")
        .order_by("start", "pk")
    )
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    search_fields = ["title", "speakers__name"]
    ordering_fields = ["start", "title"]
