"""Admin of registration: pass types, registrations (export, print badges, cancel) and door scans."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from expo.events.models import Event
from expo.lib.exports import BULK_FORMATS, csv_response
from expo.lib.pagination import EstimatedCountPaginator
from expo.lib.task_queue import TASK_QUEUE_DOWN, task_queue_reachable

from . import personal_data, services
from .models import Attendee, BadgeBatch, BadgeKey, BadgeScan, PassType
from .resources import VisitorResource


class PassTypeForm(forms.ModelForm):
    class Meta:
        model = PassType
        fields = ["event", "slug", "name_es", "name_en", "description_es", "description_en", "capacity",
                  "sales_start", "sales_end", "includes_training", "includes_b2b", "is_public", "position"]  # fmt: skip

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        taken = self.instance.registered_count if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                _("%(taken)d seats are already taken: the capacity cannot be lower. Cancel registrations first.")
                % {"taken": taken}
            )
        return capacity


@admin.register(PassType)
class PassTypeAdmin(admin.ModelAdmin):
    form = PassTypeForm
    list_display = [
        "name_es",
        "event",
        "capacity",
        "registered_count",
        "sales_start",
        "sales_end",
        "includes_training",
        "includes_b2b",
        "is_public",
    ]
    list_filter = ["event", "includes_training", "includes_b2b", "is_public"]
    search_fields = ["name_es", "name_en", "slug"]
    readonly_fields = ["registered_count"]

    def save_model(self, request, obj, form, change):
        """Changes go through the service: a raised capacity confirms the waitlist in order."""
        if not change:
            return super().save_model(request, obj, form, change)
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "event"}
        try:
            updated = services.pass_type_update(pass_type=obj, **fields)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        waiting = Attendee.objects.filter(pass_type=updated, status=Attendee.Status.WAITLISTED).count()
        if "capacity" in fields:
            self.message_user(request, _("%(count)d still on the waitlist.") % {"count": waiting}, messages.INFO)

    def has_delete_permission(self, request, obj=None):
        # A pass with registrations cannot be deleted (PROTECT); an empty one can.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.attendees.exists())


@admin.register(Attendee)
class AttendeeAdmin(ImportExportMixin, admin.ModelAdmin):
    """Registrations: 30,000 of them. Pass and status change only through the registration services
    (actions "change pass", "confirm", "cancel"; deleting cancels first), so seat counters, waitlists
    and B2B meetings stay consistent; new registrations are made at the desk (/mostrador/registro/)
    or imported through the registration service (VisitorResource). Export needs
    `registration.export_attendee` (desk staff can look a visitor up and print a badge, never take
    the list away)."""

    resource_classes = [VisitorResource]
    formats = BULK_FORMATS
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    actions = ["export_csv", "print_badges", "change_pass", "confirm_registrations", "cancel_registrations",
               "export_personal_data", "erase_personal_data"]  # fmt: skip
    list_display = [
        "last_name",
        "first_name",
        "email",
        "organization_name",
        "organization_kind",
        "pass_type",
        "status",
        "created_at",
    ]
    list_filter = ["event", "status", "pass_type", "organization_kind", "language", "share_with_exhibitors",
                   "registered_at_desk"]  # fmt: skip
    # Trigram indexes (dashboard migration 0003) make these substring searches quick on PostgreSQL.
    search_fields = ["email", "first_name", "last_name", "organization_name", "=badge_code"]
    date_hierarchy = "created_at"
    list_select_related = ["pass_type"]
    readonly_fields = ["event", "pass_type", "status", "badge_code", "created_at", "privacy_accepted_at",
                       "cancelled_at"]  # fmt: skip
    filter_horizontal = ["interests"]

    def has_add_permission(self, request):
        return False  # walk-ins are registered at the desk, through registration_create

    def delete_model(self, request, obj):
        services.registration_delete(attendee=obj)

    def delete_queryset(self, request, queryset):
        for attendee in queryset.select_related("pass_type"):
            services.registration_delete(attendee=attendee)

    @admin.action(description=_("Change the pass of the selected registrations"), permissions=["change"])
    def change_pass(self, request, queryset):
        events = set(queryset.values_list("event_id", flat=True))
        if len(events) != 1:
            self.message_user(request, _("Choose registrations of one edition."), messages.ERROR)
            return None
        form = PassChangeForm(request.POST if "apply" in request.POST else None, event_id=events.pop())
        if form.is_valid():
            moved, refused = 0, []
            for attendee in queryset.select_related("pass_type"):
                try:
                    services.registration_pass_change(attendee=attendee, pass_type=form.cleaned_data["pass_type"])
                    moved += 1
                except ValidationError as error:
                    refused.append(f"{attendee.full_name}: {' '.join(error.messages)}")
            self.message_user(request, _("%(count)d registrations moved.") % {"count": moved}, messages.SUCCESS)
            if refused:
                self.message_user(request, "; ".join(refused), messages.ERROR)
            return None
        return TemplateResponse(request, "registration/admin_change_pass.html", {
            **self.admin_site.each_context(request), "title": _("Change the pass"), "form": form,
            "queryset": queryset, "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })  # fmt: skip

    @admin.action(description=_("Confirm the selected registrations (takes a seat)"), permissions=["change"])
    def confirm_registrations(self, request, queryset):
        confirmed, refused = 0, []
        for attendee in queryset.exclude(status=Attendee.Status.CONFIRMED).select_related("pass_type"):
            try:
                services.registration_confirm(attendee=attendee)
                confirmed += 1
            except ValidationError as error:
                refused.append(f"{attendee.full_name}: {' '.join(error.messages)}")
        self.message_user(request, _("%(count)d registrations confirmed.") % {"count": confirmed}, messages.SUCCESS)
        if refused:
            self.message_user(request, "; ".join(refused), messages.ERROR)

    @admin.action(description=_("Export selected registrations (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        rows = (
            [
                a.pk,
                a.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                a.status,
                a.pass_type.slug,
                a.email,
                a.first_name,
                a.last_name,
                a.organization_name,
                a.organization_kind,
                a.job_title,
                a.state.name if a.state else "",
                a.country,
                a.language,
                "yes" if a.share_with_exhibitors else "no",
                "yes" if a.registered_at_desk else "no",
            ]
            for a in queryset.select_related("pass_type", "state").order_by("pk").iterator(chunk_size=2000)
        )
        header = [
            "id",
            "registered_at",
            "status",
            "pass_type",
            "email",
            "first_name",
            "last_name",
            "organization",
            "organization_kind",
            "job_title",
            "state",
            "country",
            "language",
            "shares_with_exhibitors",
            "at_desk",
        ]
        return csv_response(f"registrations-{timezone.localdate()}.csv", header, rows)

    @admin.action(description=_("Print badges of the selected registrations (PDF)"), permissions=["view"])
    def print_badges(self, request, queryset):
        """Every selected confirmed registration, built in a task (no cut at 2,000), per edition."""
        batch = None
        for event_id in queryset.order_by().values_list("event_id", flat=True).distinct():
            ids = list(queryset.filter(event_id=event_id).values_list("pk", flat=True))
            batch = services.badge_batch_start(event=Event.objects.get(pk=event_id), user=request.user,
                                               attendee_ids=ids)  # fmt: skip
        if batch is None:
            return None
        if not task_queue_reachable():
            self.message_user(request, TASK_QUEUE_DOWN, messages.WARNING)
        return redirect(reverse("registration:badge-batch", args=[batch.pk]))

    @admin.action(description=_("Cancel the selected registrations (frees their seats)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        count = 0
        for attendee in queryset.exclude(status=Attendee.Status.CANCELLED).select_related("pass_type"):
            services.registration_cancel(attendee=attendee)
            count += 1
        self.message_user(request, _("%(count)d registrations cancelled.") % {"count": count}, messages.SUCCESS)

    # ARCO rights (LFPDPPP), one person at a time: expo/registration/personal_data.py --------------

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("registration.erase_attendee")

    def _one(self, request, queryset) -> Attendee | None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose one registration: personal data are handled one person at a time."),
                              messages.ERROR)  # fmt: skip
            return None
        return queryset.get()

    @admin.action(description=_("Export the personal data of the selected registration (ZIP)"),
                  permissions=["export"])  # fmt: skip
    def export_personal_data(self, request, queryset):
        attendee = self._one(request, queryset)
        if attendee is None:
            return None
        response = HttpResponse(personal_data.personal_data_archive(attendee=attendee, by=request.user),
                                content_type="application/zip")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="datos-personales-{attendee.pk}.zip"'
        return response

    @admin.action(description=_("Erase the personal data of the selected registration"), permissions=["erase"])
    def erase_personal_data(self, request, queryset):
        attendee = self._one(request, queryset)
        if attendee is None:
            return None
        if attendee.erased_at is not None:
            self.message_user(request, _("The personal data of registration #%(id)s were already erased.")
                              % {"id": attendee.pk}, messages.WARNING)  # fmt: skip
            return None
        form = EraseConfirmForm(request.POST if "apply" in request.POST else None, attendee=attendee)
        if form.is_valid():
            personal_data.personal_data_erase(attendee=attendee, by=request.user)
            message = _("The personal data of registration #%(id)s were erased.") % {"id": attendee.pk}
            self.message_user(request, message, messages.SUCCESS)
            return None
        return TemplateResponse(request, "registration/admin_erase_personal_data.html", {
            **self.admin_site.each_context(request), "title": _("Erase personal data"), "form": form,
            "attendee": attendee, "opts": self.model._meta, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })  # fmt: skip


class EraseConfirmForm(forms.Form):
    """Erasure cannot be undone: the organizer types the registration's number to confirm it."""

    confirm = forms.CharField(label=_("Type the registration number to confirm"), max_length=20)

    def __init__(self, *args, attendee: Attendee, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendee = attendee

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lstrip("#")
        if value != str(self.attendee.pk):
            raise ValidationError(_("Type %(id)s, the number of this registration, to confirm."),
                                  params={"id": self.attendee.pk})  # fmt: skip
        return value


class PassChangeForm(forms.Form):
    pass_type = forms.ModelChoiceField(label=_("New pass"), queryset=PassType.objects.none())

    def __init__(self, *args, event_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_type"].queryset = PassType.objects.filter(event_id=event_id)


@admin.register(BadgeScan)
class BadgeScanAdmin(admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    actions = ["export_csv"]
    list_display = ["attendee", "day", "scanned_at", "gate"]
    list_filter = ["event", "day", "gate"]
    search_fields = ["attendee__email", "attendee__last_name"]
    date_hierarchy = "scanned_at"
    list_select_related = ["attendee"]
    raw_id_fields = ["attendee"]

    def has_export_permission(self, request):
        return request.user.has_perm("registration.export_attendee")  # scans name the visitors

    @admin.action(description=_("Export selected scans (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        rows = (
            [
                s.pk,
                s.scanned_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                s.day,
                s.gate,
                s.attendee.email,
                s.attendee.full_name,
            ]
            for s in queryset.select_related("attendee").order_by("pk").iterator(chunk_size=2000)
        )
        header = ["id", "scanned_at", "day", "gate", "email", "name"]
        return csv_response(f"scans-{timezone.localdate()}.csv", header, rows)


@admin.register(BadgeKey)
class BadgeKeyAdmin(admin.ModelAdmin):
    """Badge signing keys. "Add" rotates (a new key signs from then on); "retire" refuses a key's badges.

    The private key is never shown: it stays encrypted in the database and signs on the server only.
    """

    list_display = ["event", "number", "fingerprint", "created_at", "retired_at"]
    list_filter = ["event", ("retired_at", admin.EmptyFieldListFilter)]
    actions = ["retire"]
    fields = ["event", "number", "fingerprint", "public_key", "created_at", "retired_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["number", "fingerprint", "public_key", "created_at", "retired_at"] + (["event"] if obj else [])

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: a deleted key would leave printed badges unverifiable without a trace

    @admin.display(description=_("fingerprint"))
    def fingerprint(self, key):
        return key.fingerprint if key.pk else ""

    def save_model(self, request, obj, form, change):
        rotated = services.badge_key_rotate(event=obj.event)
        obj.__dict__.update({k: v for k, v in rotated.__dict__.items() if k != "_state"})
        obj._state.adding = False

    @admin.action(description=_("Retire the selected keys (their badges are refused)"), permissions=["change"])
    def retire(self, request, queryset):
        for key in queryset.filter(retired_at__isnull=True):
            try:
                services.badge_key_retire(key=key)
            except ValidationError as error:
                self.message_user(request, f"{key}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Key %(key)s retired.") % {"key": key}, messages.SUCCESS)


@admin.register(BadgeBatch)
class BadgeBatchAdmin(admin.ModelAdmin):
    """Badge batches and their state; the PDF opens from the batch page (never loaded in lists)."""

    list_display = ["created_at", "event", "pass_type", "total", "done", "status", "requested_by", "download"]
    list_filter = ["event", "status"]
    list_select_related = ["event", "pass_type", "requested_by"]
    readonly_fields = ["event", "requested_by", "pass_type", "attendee_ids", "status", "total", "done", "error",
                       "created_at", "finished_at", "download"]  # fmt: skip
    exclude = ["pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    def has_add_permission(self, request):
        return False  # started from the badges page or the registrations' "print badges" action

    @admin.display(description=_("PDF"))
    def download(self, batch):
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("registration:badge-batch", args=[batch.pk]), _("Open"))
