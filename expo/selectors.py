"""Reads of the project's own pages: the key figures of the home page, across the apps."""

from django.db.models import Count, Q, Sum

from exhibitors.models import Exhibitor
from expo.events.models import Event
from expo.program.models import Session
from expo.registration.models import Attendee
from networking.models import NetworkingSpace


def event_figures(*, event: Event) -> dict:
    """Key figures shown on the home page. Four queries whatever the size of the edition."""
    sessions = Session.objects.filter(event=event).aggregate(
        presentations=Count("pk", filter=~Q(kind=Session.Kind.WORKSHOP)),
        workshops=Count("pk", filter=Q(kind=Session.Kind.WORKSHOP)),
        training_hours=Sum("training_hours"),
    )
    return {
        "exhibitors": Exhibitor.objects.listed().filter(event=event).count(),
        "presentations": sessions["presentations"],
        "workshops": sessions["workshops"],
        "training_hours": int(sessions["training_hours"] or 0),
        "registrations": Attendee.objects.filter(event=event).exclude(status=Attendee.Status.CANCELLED).count(),
        "networking_spaces": NetworkingSpace.objects.filter(event=event).count(),
    }
