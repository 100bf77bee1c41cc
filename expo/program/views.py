"""Public pages of the program."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from expo.events.selectors import event_current_or_404

from . import selectors
from .models import Session


@require_GET
def program(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    days = event.dates
    try:
        day = date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        day = days[0]
    kind = request.GET.get("kind") if request.GET.get("kind") in Session.Kind.values else None
    query = request.GET.get("q", "").strip()[:100] or None
    sessions = selectors.session_list(event=event, day=day, kind=kind, query=query)
    return render(request, "program/program.html", {
        "event": event, "days": days, "day": day, "kind": kind, "q": query or "", "sessions": sessions,
        "kinds": Session.Kind.choices,
    })  # fmt: skip
