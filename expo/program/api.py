"""Read-only public API of the program: sessions (with speakers, seats left and training hours) and
speakers, read through the same selectors as the pages."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from expo.lib.api_input import StrictBooleanFilter

from . import selectors
from .models import Session, Speaker


class SessionSpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "affiliation", "position"]


class SessionSerializer(serializers.ModelSerializer):
    room = serializers.CharField(source="room.name")
    track = serializers.CharField(source="track.name", default=None)
    speakers = SessionSpeakerSerializer(many=True)
    seats = serializers.IntegerField()
    seats_left = serializers.IntegerField(allow_null=True, help_text="Free seats of a session that takes "
                                          "enrollments (workshops); null for sessions open to all.")  # fmt: skip

    class Meta:
        model = Session
        fields = ["id", "event", "title", "abstract", "kind", "status", "track", "room", "start", "end", "language",
                  "seats", "enrollment_required", "seats_left", "training_hours", "speakers"]  # fmt: skip


class SessionFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    day = django_filters.DateFilter(field_name="start", lookup_expr="date")
    enrollment_required = StrictBooleanFilter(field_name="enrollment_required")
    search = django_filters.CharFilter(
        method="search_filter", max_length=100,
        label="Search titles, abstracts, speakers and tracks (accents and case ignored)",
    )  # fmt: skip

    class Meta:
        model = Session
        fields = ["event", "kind", "language", "track", "day", "status", "enrollment_required"]

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


class SpeakerSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "title", "start", "end"]


class SpeakerSerializer(serializers.ModelSerializer):
    sessions = SpeakerSessionSerializer(many=True)

    class Meta:
        model = Speaker
        fields = ["id", "event", "name", "affiliation", "position", "bio", "sessions"]


class SpeakerFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(field_name="event__slug")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=100)

    class Meta:
        model = Speaker
        fields = ["event"]


class SpeakerViewSet(viewsets.ReadOnlyModelViewSet):
    """Speakers with their affiliation, position, biography and sessions."""

    serializer_class = SpeakerSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    filterset_class = SpeakerFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return (
            Speaker.objects.filter(event__is_published=True)
            .prefetch_related(Prefetch("sessions", queryset=Session.objects.only("id", "title", "start", "end")
                                       .order_by("start")))
            .order_by("name", "pk")
        )  # fmt: skip
