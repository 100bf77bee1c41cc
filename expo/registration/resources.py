"""Bulk import and export of visitors (admin: Registrations → Import / Export).

An import registers each row through `services.registration_create`, exactly as the registration
page does: the pass type's seat counter under its row lock, one registration per email (an email
already registered is skipped and reported), the confirmation email through the outbox once the
whole file is committed. A full pass is an error for its row. Organizers must state the privacy
consent they collected (column `privacy_accepted`): a row without it is refused.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from expo.events.models import Event, OrganizationKind, Term
from expo.lib.bulk import AllOrNothingResource, BooleanWidget, ChoiceWidget, yes

from . import services
from .models import Attendee, PassType


class VisitorResource(AllOrNothingResource):
    event = fields.Field("event", "event", widgets.ForeignKeyWidget(Event, "slug"))
    pass_type = fields.Field("pass_type", "pass_type", widgets.ForeignKeyWidget(PassType, "slug"))
    organization_kind = fields.Field("organization_kind", "organization_kind", ChoiceWidget(OrganizationKind))
    state = fields.Field("state", "state", widgets.ForeignKeyWidget(Term, "slug"))
    share_with_exhibitors = fields.Field("share_with_exhibitors", "share_with_exhibitors", BooleanWidget())
    privacy_accepted = fields.Field(column_name="privacy_accepted", readonly=True)
    id = fields.Field("id", "id", readonly=True)
    status = fields.Field("status", "status", readonly=True)
    created_at = fields.Field("created_at", "created_at", widgets.DateTimeWidget(), readonly=True)

    class Meta:
        model = Attendee
        fields = ["id", "event", "pass_type", "status", "email", "first_name", "last_name", "organization_name",
                  "organization_kind", "job_title", "state", "country", "language", "share_with_exhibitors",
                  "privacy_accepted", "created_at"]  # fmt: skip
        import_id_fields = []
        skip_unchanged = False
        clean_model_instances = False  # the service validates, as on the registration page

    def dehydrate_privacy_accepted(self, attendee):
        return "1" if attendee.privacy_accepted_at else "0"

    def get_export_queryset(self, request):
        return Attendee.objects.select_related("event", "pass_type", "state").order_by("pk")

    def get_or_init_instance(self, instance_loader, row):
        return Attendee(), True  # always a new registration; the service finds an existing one

    def import_instance(self, instance, row, **kwargs):
        row.setdefault("language", "es-mx")
        # The pass type is looked up within the row's edition (slugs repeat across editions).
        event = Event.objects.filter(slug=str(row.get("event") or "").strip()).first()
        errors = {}
        if event is None:
            errors["event"] = _("No edition with this slug.")
        else:
            pass_type = PassType.objects.filter(event=event, slug=str(row.get("pass_type") or "").strip()).first()
            if pass_type is None:
                errors["pass_type"] = _("No pass type with this slug in this edition.")
            instance.event, instance.pass_type = event, pass_type
        if not yes(row.get("privacy_accepted")):
            errors["privacy_accepted"] = _("The person's consent to the privacy notice is required (write 1 or sí).")
        for name in ("email", "first_name", "last_name"):
            if not str(row.get(name) or "").strip():
                errors[name] = _("This field is required.")
        try:
            super().import_instance(instance, {k: v for k, v in row.items() if k not in ("event", "pass_type")},
                                    **kwargs)  # fmt: skip
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.event_id is None:
            return False
        existing = Attendee.objects.registered_email(event=instance.event, email=instance.email).first()
        return existing is not None and existing.status != Attendee.Status.CANCELLED

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            result = services.registration_create(
                event=instance.event, pass_type=instance.pass_type, email=instance.email,
                first_name=instance.first_name, last_name=instance.last_name, privacy_accepted=True,
                language=instance.language or "es-mx", by_organizer=True,
                organization_name=instance.organization_name or "",
                organization_kind=instance.organization_kind or OrganizationKind.OTHER,
                job_title=instance.job_title or "", state=instance.state, country=instance.country or "MX",
                share_with_exhibitors=bool(instance.share_with_exhibitors),
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"email": error.messages})
        instance.pk = result.attendee.pk

    def save_m2m(self, instance, row, **kwargs):
        pass  # interests are not imported
