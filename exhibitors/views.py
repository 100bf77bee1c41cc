"""Public pages of exhibitors: the directory (search and filters), each exhibitor's page with its
booth lit on the floor map, and the floor map of every hall."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from expo.events.models import OrganizationKind
from expo.events.selectors import event_current_or_404

from . import selectors
from .models import Organization

FILTERS = ("category", "capability", "certification", "state", "hall")


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    query = request.GET.get("q", "").strip()[:100] or None
    chosen = {name: (request.GET.get(name) or "").strip()[:80] or None for name in FILTERS}
    size = request.GET.get("size") if request.GET.get("size") in Organization.Size.values else None
    kind = request.GET.get("kind") if request.GET.get("kind") in OrganizationKind.values else None
    exhibitors = selectors.exhibitor_directory(event=event, query=query, size=size, kind=kind, **chosen)
    page = Paginator(exhibitors, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "exhibitors/directory.html", {
        "event": event, "page": page, "q": query or "", "chosen": chosen, "size": size, "kind": kind,
        "options": selectors.directory_filter_options(event=event), "sizes": Organization.Size.choices,
        "kinds": OrganizationKind.choices, "query_string": params.urlencode(),
        "filtered": bool(query or size or kind or any(chosen.values())),
    })  # fmt: skip


@require_GET
def exhibitor_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_current_or_404()
    exhibitor = selectors.exhibitor_page(event=event, slug=slug)
    halls = selectors.floor_map(event=event, hall=exhibitor.hall) if exhibitor.hall_id else []
    return render(request, "exhibitors/exhibitor.html", {"event": event, "exhibitor": exhibitor, "halls": halls})


@require_GET
def floor_map(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    return render(request, "exhibitors/map.html", {"event": event, "halls": selectors.floor_map(event=event)})
