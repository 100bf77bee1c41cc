"""Public pages of exhibitors: the directory (search and filters), each exhibitor's page with its
booth lit on the floor map, and the floor map of every hall."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from expo.events.models import OrganizationKind
from expo.events.selectors import event_current_or_404
from expo.lib.pagecache import content_cached, content_key, version_stamp

from . import selectors
from .models import Organization

FILTERS = ("category", "capability", "certification", "state", "hall")
EXHIBITORS_CACHE_SECONDS = selectors.EXHIBITORS_CACHE_SECONDS


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """The directory: the same for everyone, so its content is cached (see `_cached`)."""
    event = event_current_or_404()
    return _cached(request, event, "directory", lambda: _directory_content(request, event))


def _cached(request: HttpRequest, event, name: str, render_content, *parts) -> HttpResponse:
    """A public exhibitors page whose content (under the header) comes from the cache, keyed by the
    exhibitors' version (bumped by every change through the services), the query and the language."""
    key = content_key(f"exhibitors-{name}", event.pk, version_stamp("exhibitors"), request.GET.urlencode(),
                      translation.get_language(), *parts)  # fmt: skip
    content = content_cached(key, render_content, EXHIBITORS_CACHE_SECONDS)
    return render(request, f"exhibitors/{name}.html", {"event": event, "content": content})


def _directory_content(request: HttpRequest, event) -> str:
    query = request.GET.get("q", "").strip()[:100] or None
    chosen = {name: (request.GET.get(name) or "").strip()[:80] or None for name in FILTERS}
    size = request.GET.get("size") if request.GET.get("size") in Organization.Size.values else None
    kind = request.GET.get("kind") if request.GET.get("kind") in OrganizationKind.values else None
    exhibitors = selectors.exhibitor_directory(event=event, query=query, size=size, kind=kind, **chosen)
    page = Paginator(exhibitors, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "event": event, "page": page, "q": query or "", "chosen": chosen, "size": size, "kind": kind,
        "options": selectors.directory_filter_options(event=event), "sizes": Organization.Size.choices,
        "kinds": OrganizationKind.choices, "query_string": params.urlencode(),
        "filtered": bool(query or size or kind or any(chosen.values())),
    }  # fmt: skip
    return render_to_string("exhibitors/_directory_content.html", context)


@require_GET
def exhibitor_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_current_or_404()
    exhibitor = selectors.exhibitor_listed(event=event, slug=slug)  # 404 for an unknown or unlisted one

    def content() -> str:
        exhibitor = selectors.exhibitor_page(event=event, slug=slug)
        halls = selectors.floor_map(event=event, hall=exhibitor.hall) if exhibitor.hall_id else []
        return render_to_string("exhibitors/_exhibitor_content.html",
                                {"event": event, "exhibitor": exhibitor, "halls": halls})  # fmt: skip

    key = content_key("exhibitors-page", event.pk, version_stamp("exhibitors"), slug, translation.get_language())
    return render(request, "exhibitors/exhibitor.html", {
        "event": event, "exhibitor": exhibitor, "content": content_cached(key, content, EXHIBITORS_CACHE_SECONDS),
    })  # fmt: skip


@require_GET
def floor_map(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    return _cached(request, event, "map", lambda: render_to_string(
        "exhibitors/_map_content.html", {"event": event, "halls": selectors.floor_map(event=event)}))  # fmt: skip
