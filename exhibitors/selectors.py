"""Reads of exhibitors: the public directory."""

from django.db.models import Prefetch, Q, QuerySet

from expo.models import Event, Term

from .models import Exhibitor


def exhibitor_directory(
    *,
    event: Event,
    query: str | None = None,
    category: str | None = None,
    kind: str | None = None,
    size: str | None = None,
) -> QuerySet[Exhibitor]:
    """Listed exhibitors of an edition with their organization, state and categories loaded."""
    exhibitors = (
        Exhibitor.objects.listed()
        .filter(event=event)
        .select_related("organization", "organization__state")
        .prefetch_related(
            Prefetch("categories", queryset=Term.objects.only("id", "slug", "name_es", "name_en")),
            Prefetch("organization__certifications", queryset=Term.objects.only("id", "slug", "name_es", "name_en")),
        )
        .order_by("organization__name")
    )
    if query:
        exhibitors = exhibitors.filter(
            Q(organization__name__icontains=query) | Q(products__name__icontains=query) | Q(booth__iexact=query)
        ).distinct()
    if category:
        exhibitors = exhibitors.filter(categories__slug=category)
    if kind:
        exhibitors = exhibitors.filter(organization__kind=kind)
    if size:
        exhibitors = exhibitors.filter(organization__size=size)
    return exhibitors
