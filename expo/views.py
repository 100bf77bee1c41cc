"""Public pages of an edition: home and program; and the health check."""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health, selectors
from .models import Session


def current_event_or_404():
    event = selectors.event_current()
    if event is None:
        raise Http404("No edition is published yet.")
    return event


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    event = selectors.event_current()
    context = {"event": event}
    if event is not None:
        context["figures"] = selectors.event_figures(event=event)
    return render(request, "expo/home.html", context)


@require_GET
def program(request: HttpRequest) -> HttpResponse:
    event = current_event_or_404()
    days = [event.start_date.fromordinal(event.start_date.toordinal() + i) for i in range(event.days)]
    try:
        day = date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        day = days[0]
    kind = request.GET.get("kind") if request.GET.get("kind") in Session.Kind.values else None
    query = request.GET.get("q", "").strip()[:100] or None
    sessions = selectors.session_list(event=event, day=day, kind=kind, query=query)
    return render(
        request,
        "expo/program.html",
        {
            "event": event,
            "days": days,
            "day": day,
            "kind": kind,
            "q": query or "",
            "sessions": sessions,
            "kinds": Session.Kind.choices,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value in ("ok", "in-process") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
