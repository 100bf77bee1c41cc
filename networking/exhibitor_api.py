"""B2B meetings in the exhibitor API: the `/api/v1/meetings/` endpoints and the `meeting.scheduled` /
`meeting.cancelled` webhooks.

Exhibitors sit below networking, so what reads meetings lives here and calls down into the
exhibitors app: its API plumbing (token, scopes, throttle) and `webhook_event_send`, which writes the
deliveries in the caller's transaction. An exhibitor's meetings are those where one side is a
profile of its organization or a member of its booth staff.
"""

from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from exhibitors.api_auth import ExhibitorApiView
from exhibitors.models import Exhibitor, WebhookEndpoint, WebhookEvent
from exhibitors.services import webhook_event_send

from .models import Meeting, MeetingSeat

# Reads ----------------------------------------------------------------------------------------


def _ours(exhibitor: Exhibitor) -> Q:
    """Seats held by the exhibitor's people (prefix the lookups with `seats__` for meetings)."""
    return Q(profile__organization_id=exhibitor.organization_id) | Q(profile__attendee__booth__exhibitor=exhibitor)


def exhibitor_meetings(*, exhibitor: Exhibitor) -> QuerySet[Meeting]:
    """The exhibitor's published and cancelled meetings (drafts are not announced yet), by time."""
    ours = MeetingSeat.objects.filter(_ours(exhibitor)).values("meeting_id")
    return (
        Meeting.objects.filter(
            event_id=exhibitor.event_id, pk__in=ours, status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED]
        )  # fmt: skip
        .select_related("slot", "table__space")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=MeetingSeat.objects.select_related(
                    "profile__attendee__booth", "profile__organization"
                ).order_by("pk"),
            )  # fmt: skip
        )
        .order_by("slot__start", "table__space__code", "table__number", "pk")
    )


# Output ---------------------------------------------------------------------------------------


class MeetingPersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    organization = serializers.CharField(allow_blank=True)
    role = serializers.CharField()
    is_ours = serializers.BooleanField(help_text="True for the exhibitor's own people.")


class MeetingSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="slot.start")
    end = serializers.DateTimeField(source="slot.end")
    space = serializers.CharField(source="table.space.name")
    table = serializers.CharField(source="table.__str__")
    people = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "status", "start", "end", "space", "table", "people", "cancelled_at"]
        read_only_fields = fields

    @extend_schema_field(MeetingPersonSerializer(many=True))
    def get_people(self, meeting: Meeting) -> list:
        exhibitor = self.context["exhibitor"]
        people = []
        for seat in meeting.seats.all():
            profile, attendee = seat.profile, seat.profile.attendee
            ours = profile.organization_id == exhibitor.organization_id or (
                getattr(getattr(attendee, "booth", None), "exhibitor_id", None) == exhibitor.pk
            )
            organization = profile.organization.name if profile.organization_id else attendee.organization_name
            people.append({"name": attendee.full_name, "organization": organization, "role": profile.role,
                           "is_ours": ours})  # fmt: skip
        return people


# Views ----------------------------------------------------------------------------------------


class MeetingListView(ExhibitorApiView, generics.ListAPIView):
    """The exhibitor's B2B meetings (published and cancelled), in time order."""

    required_scopes = {"*": ["read"]}
    serializer_class = MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no token
            return Meeting.objects.none()
        return exhibitor_meetings(exhibitor=self.exhibitor)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "exhibitor": getattr(self.request.auth, "exhibitor", None)}


class MeetingDetailView(ExhibitorApiView):
    required_scopes = {"*": ["read"]}

    @extend_schema(responses=MeetingSerializer)
    def get(self, request, pk: int):
        meeting = self.owned_meeting(pk)
        return Response(MeetingSerializer(meeting, context={"exhibitor": self.exhibitor}).data)

    def owned_meeting(self, pk):
        from django.http import Http404  # noqa: PLC0415

        meeting = exhibitor_meetings(exhibitor=self.exhibitor).filter(pk=pk).first() if str(pk).isdigit() else None
        if meeting is None:
            raise Http404("Not found.")
        return meeting


# Webhooks -------------------------------------------------------------------------------------


def meetings_webhooks_send(*, meeting_ids, event_type: str) -> int:
    """Inside the caller's transaction: a `meeting.scheduled` or `meeting.cancelled` delivery for each
    exhibitor with a webhook endpoint that has people in these meetings. Returns deliveries written.

    Cheap when nobody listens: one query finds the exhibitors with active endpoints, and the
    meetings are read only if there are some.
    """
    assert event_type in (WebhookEvent.MEETING_SCHEDULED, WebhookEvent.MEETING_CANCELLED)
    meeting_ids = list(meeting_ids)
    if not meeting_ids:
        return 0
    event_ids = set(Meeting.objects.filter(pk__in=meeting_ids).values_list("event_id", flat=True))
    listening = list(
        Exhibitor.objects.filter(
            event_id__in=event_ids,
            pk__in=WebhookEndpoint.objects.filter(is_active=True).values("exhibitor_id"),
        ).select_related("organization")
    )
    written = 0
    for exhibitor in listening:
        ours = MeetingSeat.objects.filter(_ours(exhibitor), meeting_id__in=meeting_ids).values("meeting_id")
        meetings = (
            Meeting.objects.filter(pk__in=ours)
            .select_related("slot", "table__space")
            .prefetch_related(
                Prefetch(
                    "seats",
                    queryset=MeetingSeat.objects.select_related(
                        "profile__attendee__booth", "profile__organization"
                    ).order_by("pk"),
                )
            )  # fmt: skip
            .order_by("slot__start", "pk")
        )
        for meeting in meetings:
            data = MeetingSerializer(meeting, context={"exhibitor": exhibitor}).data
            written += len(webhook_event_send(exhibitor=exhibitor, event_type=event_type, data=data))
    return written
