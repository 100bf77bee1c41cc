"""The exhibitors panel of the organizers' dashboard: exhibitors by state, size, package and
category, and the leads they capture. Four aggregate queries. Registered in AppConfig.ready()."""

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expo.events.models import Term, language_is_english
from expo.lib.formatting import day_label
from expo.lib.panels import Chart, Figure, Panel, PanelContent, Series, admin_list_url

from .models import Exhibitor, Lead, Organization


def exhibitors_panel(event) -> PanelContent:
    on = {"event__id__exact": event.pk}
    exhibitors = Exhibitor.objects.filter(event=event)
    # Size, package and listing together, in one query.
    grid = list(exhibitors.values("organization__size", "package", "is_listed").annotate(count=Count("pk")))
    by_state = list(
        exhibitors.values("organization__state", "organization__state__name_es", "organization__state__name_en")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    by_category = list(
        Term.objects.filter(vocabulary=Term.Vocabulary.DEVICE_CATEGORY, exhibitors__event=event)
        .annotate(count=Count("exhibitors"))
        .order_by("-count", "position")
    )
    leads = list(
        Lead.objects.filter(exhibitor__event=event)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )

    def total(**match):
        return sum(r["count"] for r in grid if all(r[k] == v for k, v in match.items()))

    sizes = [size for size in Organization.Size if total(organization__size=size)]
    packages = [package for package in Exhibitor.Package if total(package=package)]
    english = language_is_english()  # state names follow the reader's language, as Term.name does
    states = [(r["organization__state"], (r["organization__state__name_en"] if english else None)
               or r["organization__state__name_es"] or _("No state")) for r in by_state]  # fmt: skip
    leads_url = admin_list_url("exhibitors_lead", exhibitor__event__id__exact=event.pk)
    figures = [
        Figure(_("Exhibitors"), sum(r["count"] for r in grid), admin_list_url("exhibitors_exhibitor", **on)),
        Figure(
            _("Listed in the directory"),
            total(is_listed=True),
            admin_list_url("exhibitors_exhibitor", **on, is_listed__exact=1),
        ),  # fmt: skip
        Figure(_("Leads captured"), sum(r["count"] for r in leads), leads_url),
    ]
    charts = [
        Chart(
            "exhibitors-by-size", _("Exhibitors by size"), "doughnut", [s.label for s in sizes],
            [Series(_("Exhibitors"), [total(organization__size=s) for s in sizes])],
            [admin_list_url("exhibitors_exhibitor", **on, organization__size__exact=s) for s in sizes],
        ),
        Chart(
            "exhibitors-by-package", _("Exhibitors by package"), "doughnut", [p.label for p in packages],
            [Series(_("Exhibitors"), [total(package=p) for p in packages])],
            [admin_list_url("exhibitors_exhibitor", **on, package__exact=p) for p in packages],
        ),
        Chart(
            "exhibitors-by-state", _("Exhibitors by state"), "bar", [name for _pk, name in states],
            [Series(_("Exhibitors"), [r["count"] for r in by_state])],
            [admin_list_url("exhibitors_exhibitor", **on, organization__state__id__exact=pk) if pk else
             admin_list_url("exhibitors_exhibitor", **on, organization__state__isnull="True") for pk, _n in states],
            horizontal=True,
        ),
        Chart(
            "exhibitors-by-category", _("Exhibitors by category"), "bar", [t.name for t in by_category],
            [Series(_("Exhibitors"), [t.count for t in by_category])],
            [admin_list_url("exhibitors_exhibitor", **on, categories__id__exact=t.pk) for t in by_category],
            horizontal=True,
        ),
    ]  # fmt: skip
    if leads:
        charts.append(Chart(
            "leads-by-day", _("Leads captured by day"), "bar", [day_label(r["day"]) for r in leads],
            [Series(_("Leads"), [r["count"] for r in leads])],
            [admin_list_url("exhibitors_lead", exhibitor__event__id__exact=event.pk,
                            created_at__date=r["day"].isoformat()) for r in leads],
        ))  # fmt: skip
    return PanelContent(figures=figures, charts=charts)


PANEL = Panel(
    key="exhibitors",
    title=gettext_lazy("Exhibitors and leads"),
    order=30,
    permission="exhibitors.view_exhibitor",
    queries=4,
    build=exhibitors_panel,
)
