"""Reads of the project's own pages: the key figures of the home page, across the apps."""

from django.db.models import Count, Q, Sum

from exhibitors.models import Exhibitor
from expo.events.models import Event
from expo.lib.pagecache import content_cached, content_key
from expo.program.models import Session
from expo.registration.models import Attendee
from networking.models import NetworkingSpace

# The home page's figures are rounded-looking totals ("3,351 registered"): a minute old is fine, and
# counting 30,000 registrations on every visit of the busiest page is not.
FIGURES_CACHE_SECONDS = 60


def event_figures(*, event: Event) -> dict:
    """Key figures shown on the home page, from the cache when a minute old at most (else four queries,
    whatever the size of the edition)."""
    return content_cached(content_key("home-figures", event.pk), lambda: _figures(event), FIGURES_CACHE_SECONDS)


def _figures(event: Event) -> dict:
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
