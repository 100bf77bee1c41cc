"""Reads of exhibitors: the public directory. The directory page and the API read through these."""

from django.db.models import Prefetch, Q, QuerySet

from expo.events.models import Event, Term

from .models import Exhibitor, Product


def exhibitors_loaded() -> QuerySet[Exhibitor]:
    """Listed exhibitors with organization, state, categories, certifications and products loaded."""
    terms = Term.objects.only("id", "slug", "name_es", "name_en")
    return (
        Exhibitor.objects.listed()
        .select_related("organization", "organization__state")
        .prefetch_related(
            Prefetch("categories", queryset=terms),
            Prefetch("organization__certifications", queryset=terms),
            Prefetch("products", queryset=Product.objects.order_by("name")),
        )
        .order_by("organization__name", "pk")
    )


def exhibitor_search(exhibitors: QuerySet[Exhibitor], query: str) -> QuerySet[Exhibitor]:
    """Exhibitors whose company or a product contains `query`, or whose booth is `query`."""
    return exhibitors.filter(
        Q(organization__name__icontains=query) | Q(products__name__icontains=query) | Q(booth__iexact=query)
    ).distinct()


def exhibitor_directory(
    *,
    event: Event,
    query: str | None = None,
    category: str | None = None,
    kind: str | None = None,
    size: str | None = None,
) -> QuerySet[Exhibitor]:
    """Listed exhibitors of an edition, filtered and searched."""
    exhibitors = exhibitors_loaded().filter(event=event)
    if query:
        exhibitors = exhibitor_search(exhibitors, query)
    if category:
        exhibitors = exhibitors.filter(categories__slug=category)
    if kind:
        exhibitors = exhibitors.filter(organization__kind=kind)
    if size:
        exhibitors = exhibitors.filter(organization__size=size)
    return exhibitors
