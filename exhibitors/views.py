"""Public exhibitor directory."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from expo.models import Term
from expo.views import current_event_or_404

from . import selectors
from .models import Organization


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    event = current_event_or_404()
    query = request.GET.get("q", "").strip()[:100] or None
    category = request.GET.get("category") or None
    kind = request.GET.get("kind") if request.GET.get("kind") in Organization.Kind.values else None
    exhibitors = selectors.exhibitor_directory(event=event, query=query, category=category, kind=kind)
    page = Paginator(exhibitors, 30).get_page(request.GET.get("page"))
    categories = Term.objects.filter(vocabulary=Term.Vocabulary.DEVICE_CATEGORY, is_active=True)
    return render(
        request,
        "exhibitors/directory.html",
        {
            "event": event,
            "page": page,
            "q": query or "",
            "category": category,
            "kind": kind,
            "categories": categories,
            "kinds": Organization.Kind.choices,
        },
    )
