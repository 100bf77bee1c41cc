"""Bulk import and export of exhibitors and their products (admin: Exhibitors / Products → Import).

An exhibitor row names its edition (slug), its organization (found by RFC, else by name, else
created with the row's kind, size and state), booth, hall, package and categories (slugs separated
by ";"). A product row names the exhibitor by edition and booth. Rows are matched by `id` when
given (an update), else created; a bad row reports its line and reason and nothing is imported.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from expo.events.models import Event, OrganizationKind, Term
from expo.lib.bulk import AllOrNothingResource, BooleanWidget, ChoiceWidget

from . import services
from .models import Exhibitor, Hall, Organization, Product


class TermsWidget(widgets.ManyToManyWidget):
    """Device categories by slug, separated by ";"; an unknown slug is an error, not silence."""

    def __init__(self, vocabulary):
        super().__init__(Term, separator=";", field="slug")
        self.vocabulary = vocabulary

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(";") if s.strip()]
        terms = list(Term.objects.filter(vocabulary=self.vocabulary, slug__in=slugs))
        unknown = sorted(set(slugs) - {t.slug for t in terms})
        if unknown:
            raise ValueError(_("Unknown categories: %(slugs)s") % {"slugs": ", ".join(unknown)})
        return terms


def _event(row) -> Event:
    event = Event.objects.filter(slug=str(row.get("event") or "").strip()).first()
    if event is None:
        raise ValidationError({"event": _("No edition with this slug.")})
    return event


class HallWidget(widgets.ForeignKeyWidget):
    """A hall of the row's edition, by its code or its name in either language."""

    def __init__(self):
        super().__init__(Hall, "code")

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        halls = Hall.objects.filter(event=_event(row))
        hall = next((h for h in halls if text.lower() in (h.code.lower(), h.name_es.lower(), h.name_en.lower())), None)
        if hall is None:
            raise ValueError(_("No hall %(name)s in this edition.") % {"name": text})
        return hall

    def render(self, value, obj=None, **kwargs):
        return value.name_es if value else ""


class ExhibitorResource(AllOrNothingResource):
    event = fields.Field("event", "event", widgets.ForeignKeyWidget(Event, "slug"))
    hall = fields.Field("hall", "hall", HallWidget())
    organization = fields.Field("organization", "organization", widgets.ForeignKeyWidget(Organization, "name"),
                                readonly=True)  # fmt: skip
    rfc = fields.Field("organization__rfc", "rfc", readonly=True)
    organization_kind = fields.Field("organization__kind", "organization_kind", readonly=True)
    organization_size = fields.Field("organization__size", "organization_size", readonly=True)
    state = fields.Field("organization__state__slug", "state", readonly=True)
    package = fields.Field("package", "package", ChoiceWidget(Exhibitor.Package))
    is_listed = fields.Field("is_listed", "is_listed", BooleanWidget())
    categories = fields.Field("categories", "categories", TermsWidget(Term.Vocabulary.DEVICE_CATEGORY))

    class Meta:
        model = Exhibitor
        fields = ["id", "event", "organization", "rfc", "organization_kind", "organization_size", "state", "booth",
                  "hall", "package", "categories", "is_listed"]  # fmt: skip
        skip_unchanged = True

    def get_export_queryset(self, request):
        return Exhibitor.objects.select_related("event", "hall", "organization__state").prefetch_related("categories")

    def save_instance(self, instance, is_create, row, **kwargs):
        if not instance.slug:  # the exhibitor page's address, as the admin and the portal make it
            instance.slug = services.exhibitor_slug_make(
                event_id=instance.event_id, name=instance.organization.name, exclude_pk=instance.pk
            )
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        services.exhibitor_search_text_refresh(exhibitor_ids=[instance.pk])  # found by the directory search

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
        try:  # many-to-many values are saved after the row; check them now, so the row is reported
            self.fields["categories"].widget.clean(row.get("categories"), row=row)
        except ValueError as error:
            errors["categories"] = str(error)
        name = str(row.get("organization") or "").strip()
        if not name:
            errors["organization"] = _("This field is required.")
        else:
            try:
                instance.organization = self._organization(name, row)
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def _organization(self, name: str, row) -> Organization:
        rfc = str(row.get("rfc") or "").strip().upper()
        organization = (Organization.objects.filter(rfc=rfc).first() if rfc else None) or (
            Organization.objects.filter(name__iexact=name).first()
        )
        if organization is not None:
            return organization
        kind = ChoiceWidget(OrganizationKind).clean(row.get("organization_kind") or "other")
        try:
            size = ChoiceWidget(Organization.Size).clean(row.get("organization_size") or "sme")
        except ValueError as error:
            raise ValidationError({"organization_size": str(error)})
        state = None
        if row.get("state"):
            state = Term.objects.filter(vocabulary=Term.Vocabulary.STATE, slug=str(row["state"]).strip()).first()
            if state is None:
                raise ValidationError({"state": _("Unknown state: %(slug)s") % {"slug": row["state"]}})
        organization = Organization(name=name, rfc=rfc, kind=kind, size=size, state=state)
        organization.full_clean()
        organization.save()
        return organization


class ExhibitorByBoothWidget(widgets.ForeignKeyWidget):
    """The exhibitor of a product, by its edition (column `event`) and booth."""

    def __init__(self):
        super().__init__(Exhibitor, "booth")

    def clean(self, value, row=None, **kwargs):
        booth = str(value or "").strip()
        exhibitor = Exhibitor.objects.filter(event=_event(row), booth=booth).first()
        if exhibitor is None:
            raise ValueError(_("No exhibitor at booth %(booth)s in this edition.") % {"booth": booth})
        return exhibitor

    def render(self, value, obj=None, **kwargs):
        return value.booth if value else ""


class ProductResource(AllOrNothingResource):
    event = fields.Field("exhibitor__event__slug", "event", readonly=True)
    exhibitor = fields.Field("exhibitor", "booth", ExhibitorByBoothWidget())
    organization = fields.Field("exhibitor__organization__name", "organization", readonly=True)
    category = fields.Field("category", "category", widgets.ForeignKeyWidget(Term, "slug"))

    class Meta:
        model = Product
        fields = ["id", "event", "exhibitor", "organization", "name", "description", "category"]
        skip_unchanged = True

    def get_export_queryset(self, request):
        return Product.objects.select_related("exhibitor__event", "exhibitor__organization", "category")

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        services.exhibitor_search_text_refresh(exhibitor_ids=[instance.exhibitor_id])  # products are searched
