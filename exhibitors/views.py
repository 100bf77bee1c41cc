"""Public exhibitor directory."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from expo.events.models import OrganizationKind, Term
from expo.events.selectors import event_current_or_404

from . import selectors


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    event = event_current_or_404()
    query = request.GET.get("q", "").strip()[:100] or None
    category = request.GET.get("category") or None
    kind = request.GET.get("kind") if request.GET.get("kind") in OrganizationKind.values else None
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
            "kinds": OrganizationKind.choices,
        },
    )
