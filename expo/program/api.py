"""Read-only public API of the program: sessions, read through the same selectors as the pages."""

import django_filters
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from . import selectors
from .models import Session, Speaker


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
        fields = ["id", "event", "title", "kind", "track", "room", "start", "end", "language", "seats",
                  "training_hours", "speakers"]  # fmt: skip


class SessionFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    day = django_filters.DateFilter(field_name="start", lookup_expr="date")
    search = django_filters.CharFilter(method="search_filter", max_length=100, label="Search titles and speakers")

    class Meta:
        model = Session
        fields = ["event", "kind", "language", "track", "day"]

    def search_filter(self, queryset, name, value):
        return selectors.session_search(queryset, value)


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """The program: presentations, panels, keynotes and training workshops."""

    serializer_class = SessionSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    filterset_class = SessionFilter
    ordering_fields = ["start", "title"]

    def get_queryset(self):
        return selectors.sessions_loaded().filter(event__is_published=True)
