"""Reads of exhibitors: the public directory and floor map, and everything the exhibitor portal and
the exhibitor API show (leads with the visitor's consent applied, staff, tokens, webhooks).

Pages and API views read through these functions. Whatever belongs to one exhibitor is fetched
through `exhibitor_object`/the querysets here, filtered by that exhibitor: someone else's object is
simply not found (404).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONArray
from django.http import Http404
from django.utils.translation import gettext as _

from expo.events.models import Event, Term, language_is_english
from expo.lib.db import JSONList
from expo.registration.models import Attendee

from . import search
from .models import (
    ApiToken,
    BoothStaff,
    Exhibitor,
    ExhibitorSettings,
    Hall,
    Lead,
    Product,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

SEARCHED_VOCABULARIES = [
    Term.Vocabulary.DEVICE_CATEGORY,
    Term.Vocabulary.CAPABILITY,
    Term.Vocabulary.CERTIFICATION,
    Term.Vocabulary.STATE,
]


# The directory ---------------------------------------------------------------------------------

# The directory, exhibitor pages and the public API list are the same for everyone: they are cached,
# keyed by the exhibitors' version (every change through the services bumps it); this bounds what
# taxonomy renames or an edition's publication may leave stale.
EXHIBITORS_CACHE_SECONDS = 120


def exhibitors_loaded() -> QuerySet[Exhibitor]:
    """Listed exhibitors with organization, state, hall, categories, certifications and products loaded."""
    terms = Term.objects.only("id", "slug", "name_es", "name_en")
    return (
        Exhibitor.objects.listed()
        .select_related("organization", "organization__state", "hall")
        .prefetch_related(
            Prefetch("categories", queryset=terms),
            Prefetch("organization__certifications", queryset=terms),
            Prefetch("products", queryset=Product.objects.select_related("category").order_by("name", "pk")),
        )
        .order_by("organization__name", "pk")
    )


def exhibitor_search(exhibitors: QuerySet[Exhibitor], query: str) -> QuerySet[Exhibitor]:
    """Exhibitors matching every word of `query`, ignoring accents and case.

    A word matches the company, a product or the booth (the stored search text), or the name of a
    category, capability, certification or state the exhibitor has (in Spanish or English).
    One query reads the terms; the filter is subqueries, so no row is repeated.
    """
    words = search.query_words(query)
    if not words:
        return exhibitors
    terms = list(Term.objects.filter(vocabulary__in=SEARCHED_VOCABULARIES).only("id", "slug", "name_es", "name_en"))
    for word in words:
        ids = search.terms_matching(word, terms)
        condition = Q(search_text__contains=word)
        if ids:
            condition |= (
                Q(pk__in=Exhibitor.categories.through.objects.filter(term_id__in=ids).values("exhibitor_id"))
                | Q(pk__in=Product.objects.filter(category_id__in=ids).values("exhibitor_id"))
                | Q(organization__state_id__in=ids)
                | Q(organization_id__in=_organizations_with_terms(ids))
            )
        exhibitors = exhibitors.filter(condition)
    return exhibitors


def _organizations_with_terms(ids):
    from .models import Organization

    certified = Organization.certifications.through.objects.filter(term_id__in=ids).values("organization_id")
    capable = Organization.capabilities.through.objects.filter(term_id__in=ids).values("organization_id")
    return Organization.objects.filter(Q(pk__in=certified) | Q(pk__in=capable)).values("pk")


def exhibitor_directory(
    *,
    event: Event,
    query: str | None = None,
    category: str | None = None,
    capability: str | None = None,
    certification: str | None = None,
    state: str | None = None,
    size: str | None = None,
    hall: str | None = None,
    kind: str | None = None,
) -> QuerySet[Exhibitor]:
    """Listed exhibitors of an edition, searched and filtered (filters take slugs and codes)."""
    exhibitors = exhibitors_loaded().filter(event=event)
    if query:
        exhibitors = exhibitor_search(exhibitors, query)
    if category:
        exhibitors = exhibitors.filter(
            pk__in=Exhibitor.categories.through.objects.filter(term__slug=category).values("exhibitor_id")
        )
    if capability:
        exhibitors = exhibitors.filter(organization__capabilities__slug=capability)
    if certification:
        exhibitors = exhibitors.filter(organization__certifications__slug=certification)
    if state:
        exhibitors = exhibitors.filter(organization__state__slug=state)
    if size:
        exhibitors = exhibitors.filter(organization__size=size)
    if hall:
        exhibitors = exhibitors.filter(hall__code=hall)
    if kind:
        exhibitors = exhibitors.filter(organization__kind=kind)
    return exhibitors


def directory_filter_options(*, event: Event) -> dict:
    """The choices of the directory's filters, in one query for the terms and one for the halls."""
    terms = Term.objects.filter(is_active=True, vocabulary__in=SEARCHED_VOCABULARIES).order_by(
        "vocabulary", "position", "name_es"
    )
    options = {"category": [], "capability": [], "certification": [], "state": []}
    names = {
        Term.Vocabulary.DEVICE_CATEGORY: "category",
        Term.Vocabulary.CAPABILITY: "capability",
        Term.Vocabulary.CERTIFICATION: "certification",
        Term.Vocabulary.STATE: "state",
    }
    for term in terms:
        options[names[term.vocabulary]].append(term)
    options["hall"] = list(Hall.objects.filter(event=event).order_by("position", "code"))
    return options


def exhibitor_listed(*, event: Event, slug: str) -> Exhibitor:
    """One listed exhibitor of the edition with its organization (404 if none): the page's title."""
    exhibitor = Exhibitor.objects.listed().select_related("organization").filter(event=event, slug=slug).first()
    if exhibitor is None:
        raise Http404("No such exhibitor.")
    return exhibitor


def exhibitor_page(*, event: Event, slug: str) -> Exhibitor:
    """One listed exhibitor of the edition with everything its page shows (404 if none)."""
    terms = Term.objects.only("id", "slug", "name_es", "name_en", "vocabulary")
    exhibitor = (
        exhibitors_loaded()
        .prefetch_related(Prefetch("organization__capabilities", queryset=terms))
        .filter(event=event, slug=slug)
        .first()
    )
    if exhibitor is None:
        raise Http404("No such exhibitor.")
    return exhibitor


@dataclass
class MapBooth:
    exhibitor_id: int
    name: str
    slug: str
    booth: str
    x: int
    y: int
    width: int
    depth: int


@dataclass
class MapHall:
    hall: Hall
    booths: list[MapBooth]


def floor_map(*, event: Event, hall: Hall | None = None) -> list[MapHall]:
    """The halls of an edition (or one) with their listed exhibitors' booths, in two queries.

    Booths without a place on the plan are laid out in rows along the bottom of their hall, so a
    new exhibitor appears on the map before organizers place it.
    """
    halls = list(Hall.objects.filter(event=event).order_by("position", "code"))
    if hall is not None:
        halls = [h for h in halls if h.pk == hall.pk]
    rows = (
        Exhibitor.objects.listed()
        .filter(event=event, hall__in=halls)
        .order_by("booth")
        .values_list("pk", "organization__name", "slug", "booth", "hall_id", "booth_x", "booth_y",
                     "booth_width", "booth_depth")
    )  # fmt: skip
    by_hall = {h.pk: MapHall(hall=h, booths=[]) for h in halls}
    unplaced: dict[int, list] = {}
    for pk, name, slug, booth, hall_id, x, y, width, depth in rows:
        if x is None or y is None:
            unplaced.setdefault(hall_id, []).append((pk, name, slug, booth, width or 3, depth or 3))
            continue
        by_hall[hall_id].booths.append(MapBooth(pk, name, slug, booth, x, y, width, depth))
    for hall_id, booths in unplaced.items():
        current = by_hall[hall_id]
        x, y = 1, max([b.y + b.depth for b in current.booths] + [0]) + 2
        for pk, name, slug, booth, width, depth in booths:
            if x + width > current.hall.width - 1:
                x, y = 1, y + depth + 1
            current.booths.append(MapBooth(pk, name, slug, booth, x, y, width, depth))
            x += width
    return list(by_hall.values())


# The portal and the API: one exhibitor's objects ----------------------------------------------


def exhibitors_of_user(*, user, event: Event) -> QuerySet[Exhibitor]:
    """The exhibitors of an edition whose portal `user` may use."""
    return Exhibitor.objects.of_user(user).filter(event=event).select_related("organization", "event", "hall")


def exhibitor_object(queryset: QuerySet, *, exhibitor: Exhibitor, pk):
    """The object `pk` of `queryset` if it belongs to `exhibitor`; Http404 otherwise (never 403).

    The one helper every portal and API view uses to fetch an exhibitor's object by id.
    """
    field = "exhibitor" if queryset.model is not WebhookDelivery else "endpoint__exhibitor"
    try:
        obj = queryset.filter(**{field: exhibitor}).filter(pk=pk).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise Http404("Not found.")
    return obj


def products_of(*, exhibitor: Exhibitor) -> QuerySet[Product]:
    return Product.objects.filter(exhibitor=exhibitor).select_related("category").order_by("name", "pk")


def leads_of(
    *,
    exhibitor: Exhibitor,
    rating: str | None = None,
    status: str | None = None,
    captured_after: datetime | None = None,
    captured_before: datetime | None = None,
    updated_after: datetime | None = None,
    query: str | None = None,
) -> QuerySet[Lead]:
    """An exhibitor's leads, newest first, with the visitor and what the contact details need loaded."""
    # The visitor's interests come in the same query, as one JSON list per lead (a prefetch made a
    # manager and a Term for each: a third of a 50-lead API page's time, bench/web/prepare.py profile).
    interests = (
        Attendee.interests.through.objects.filter(attendee_id=OuterRef("attendee_id"))
        .values("attendee_id")
        .annotate(terms=JSONList(JSONArray("term__vocabulary", "term__position", "term__name_es", "term__name_en")))
        .values("terms")
    )
    leads = (
        Lead.objects.filter(exhibitor=exhibitor)
        .select_related("attendee", "attendee__state", "scanned_by")
        .annotate(interest_terms=Subquery(interests, output_field=JSONField()))
        .order_by("-created_at", "-pk")
    )
    if rating is not None:
        leads = leads.filter(rating=rating)
    if status:
        leads = leads.filter(status=status)
    if captured_after:
        leads = leads.filter(created_at__gte=captured_after)
    if captured_before:
        leads = leads.filter(created_at__lt=captured_before)
    if updated_after:
        leads = leads.filter(updated_at__gte=updated_after)
    if query:
        for word in query.split()[:5]:
            leads = leads.filter(
                Q(attendee__first_name__icontains=word)
                | Q(attendee__last_name__icontains=word)
                | Q(attendee__organization_name__icontains=word)
                | Q(notes__icontains=word)
            )
    return leads


def lead_counts(*, exhibitor: Exhibitor) -> dict:
    """Leads by rating and in total, in one query: {"total", "hot", "warm", "cold", "unrated"}."""
    rows = Lead.objects.filter(exhibitor=exhibitor).values("rating").annotate(n=Count("pk"))
    counts = {"hot": 0, "warm": 0, "cold": 0, "unrated": 0}
    for row in rows:
        counts[row["rating"] or "unrated"] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


@dataclass
class LeadContact:
    """What an exhibitor may know about the visitor of a lead.

    The badge details (name, organization and its kind) always; the contact details only while the
    visitor agrees to share them with exhibitors (the registration's separate opt-in), read live, so
    a visitor who withdraws consent disappears from every export, API answer and webhook after it.
    """

    shared: bool
    name: str
    organization: str
    organization_kind: str
    email: str | None = None
    job_title: str | None = None
    state: str | None = None
    country: str | None = None
    language: str | None = None
    interests: list[str] | None = None

    @property
    def hidden_reason(self) -> str:
        if self.shared:
            return ""
        return _(
            "The visitor did not agree to share contact details with exhibitors; only their badge details are shown."
        )

    def as_dict(self) -> dict:
        return {
            "shared": self.shared,
            "name": self.name,
            "organization": self.organization,
            "organization_kind": self.organization_kind,
            "email": self.email,
            "job_title": self.job_title,
            "state": self.state,
            "country": self.country,
            "language": self.language,
            "interests": self.interests,
            "hidden_reason": str(self.hidden_reason) or None,
        }


def lead_contact(lead: Lead) -> LeadContact:
    terms = getattr(lead, "interest_terms", _NOT_READ)  # read by leads_of
    return attendee_contact(lead.attendee, interests=None if terms is _NOT_READ else _term_names(terms or []))


_NOT_READ = object()


def _term_names(terms: list) -> list[str]:
    """[vocabulary, position, name_es, name_en] rows as Term orders and names them."""
    english = language_is_english()
    return [en if english and en else es for _vocabulary, _position, es, en in sorted(terms, key=lambda t: t[:3])]


def attendee_contact(attendee: Attendee, *, interests: list[str] | None = None) -> LeadContact:
    """The one place that decides which of a visitor's details reach an exhibitor. `interests`: the
    names of their interests when already read (else read here)."""
    contact = LeadContact(
        shared=attendee.share_with_exhibitors,
        name=attendee.full_name,
        organization=attendee.organization_name,
        organization_kind=attendee.organization_kind,
    )
    if attendee.share_with_exhibitors:
        contact.email = attendee.email
        contact.job_title = attendee.job_title
        contact.state = attendee.state.name if attendee.state_id else ""
        contact.country = attendee.country
        contact.language = attendee.language
        contact.interests = interests if interests is not None else [term.name for term in attendee.interests.all()]
    return contact


def exhibitor_settings(*, event: Event) -> ExhibitorSettings | None:
    return ExhibitorSettings.objects.filter(event=event).select_related("staff_pass_type").first()


def staff_badges_quota(*, exhibitor: Exhibitor, settings: ExhibitorSettings | None = None) -> int:
    """How many booth staff an exhibitor may register: its own number, else its package's."""
    if exhibitor.staff_badges is not None:
        return exhibitor.staff_badges
    settings = settings or exhibitor_settings(event=exhibitor.event)
    if settings is None:
        return ExhibitorSettings(event=exhibitor.event).badges_for(exhibitor.package)
    return settings.badges_for(exhibitor.package)


def booth_staff_of(*, exhibitor: Exhibitor) -> QuerySet[BoothStaff]:
    """Booth staff whose registration still stands (cancelled ones no longer use a badge)."""
    return (
        BoothStaff.objects.filter(exhibitor=exhibitor)
        .exclude(attendee__status=Attendee.Status.CANCELLED)
        .select_related("attendee", "attendee__pass_type")
        .order_by("attendee__last_name", "attendee__first_name", "pk")
    )


def tokens_of(*, exhibitor: Exhibitor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(exhibitor=exhibitor).order_by("revoked_at", "-created_at", "-pk")


def endpoints_of(*, exhibitor: Exhibitor) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(exhibitor=exhibitor).order_by("-created_at", "-pk")


def deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The delivery log of an endpoint, newest first, with each one's attempts."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "pk")))
        .order_by("-created_at", "-pk")
    )
