"""Admin of the control room: email campaigns to a segment, sent as a Celery task with progress;
each recipient's email is in the outbox (linked from the campaign). User accounts show whether
two-step sign-in is on, and an organizer can reset it for someone who lost their phone."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.lib.panels import admin_list_url
from expo.lib.task_queue import TASK_QUEUE_DOWN, task_queue_reachable
from expo.mail.segments import segment_get, segments_all

from . import roles, services
from .models import Campaign

# django-otp's own device admins would show anyone's secret key and QR code to whoever may change
# devices; people manage their own devices (views.py) and organizers reset others' (below).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class CampaignForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Recipients"))

    class Meta:
        model = Campaign
        fields = ["event", "subject_es", "body_es", "subject_en", "body_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        events = list(self.fields["event"].queryset)
        choices = []
        for segment in segments_all():
            if segment.choices is None:
                choices.append((segment.key, segment.label))
                continue
            for event in events:  # a parameter belongs to one edition (a pass type...)
                for value, label in segment.choices(event.pk):
                    choices.append((f"{segment.key}:{value}", f"{segment.label}: {label} ({event.name})"))
        self.fields["audience"].choices = choices
        if self.instance.pk:
            value = self.instance.segment + (f":{self.instance.parameter}" if self.instance.parameter else "")
            self.initial["audience"] = value

    def clean(self):
        cleaned = super().clean()
        key, _sep, parameter = (cleaned.get("audience") or "").partition(":")
        segment = segment_get(key)
        if segment is None:
            raise ValidationError({"audience": _("Choose who receives it.")})
        event = cleaned.get("event")
        if parameter and event and segment.choices and parameter not in dict(segment.choices(event.pk)):
            raise ValidationError({"audience": _("That choice belongs to another edition.")})
        if bool(cleaned.get("subject_en")) != bool(cleaned.get("body_en")):
            raise ValidationError(_("Write both the English subject and message, or neither."))
        self.instance.segment, self.instance.parameter = key, parameter
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    change_list_template = "admin/dashboard/campaign/change_list.html"
    actions = ["send"]
    list_display = ["subject_es", "event", "audience", "status", "progress_bar", "log", "created_at"]
    list_filter = ["event", "status", "segment"]
    search_fields = ["subject_es", "subject_en"]
    readonly_fields = ["status", "total", "written", "skipped", "started_at", "finished_at", "error"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["event", "audience"]}),
            (_("Spanish"), {"fields": ["subject_es", "body_es"]}),
            (_("English (for people who chose English)"), {"fields": ["subject_en", "body_en"]}),
        ]
        if obj is not None:
            fieldsets.append((_("Sending"), {"fields": self.readonly_fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Campaign.Status.DRAFT:
            return [*self.readonly_fields, "event", "subject_es", "body_es", "subject_en", "body_en"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("recipients"))
    def audience(self, campaign):
        segment = segment_get(campaign.segment)
        label = segment.label if segment else campaign.segment
        if segment and segment.choices and campaign.parameter:
            label = f"{label}: {dict(segment.choices(campaign.event_id)).get(campaign.parameter, campaign.parameter)}"
        return label

    @admin.display(description=_("progress"))
    def progress_bar(self, campaign):
        return format_html(
            '<progress max="100" value="{}"></progress> {} / {} · {}', campaign.progress, campaign.written,
            campaign.total, gettext("%(count)s unsubscribed") % {"count": campaign.skipped},
        )  # fmt: skip

    @admin.display(description=_("emails"))
    def log(self, campaign):
        if campaign.status == Campaign.Status.DRAFT:
            return "—"
        url = admin_list_url("mail_outboxemail", key__startswith=campaign.outbox_key_prefix)
        return format_html('<a href="{}">{}</a>', url, gettext("Who got it"))

    @admin.action(description=_("Send the selected campaigns"), permissions=["change"])
    def send(self, request, queryset):
        sent = 0
        for campaign in queryset.filter(status=Campaign.Status.DRAFT):
            try:
                services.campaign_start(campaign=campaign, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                sent += 1
        self.message_user(
            request,
            gettext("%(count)d campaigns are being sent; this list shows their progress.") % {"count": sent},
            messages.SUCCESS,
        )
        if sent and not task_queue_reachable():
            self.message_user(request, TASK_QUEUE_DOWN, messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        # While a campaign is being written to the outbox, the list refreshes itself to show progress.
        sending = Campaign.objects.filter(status__in=[Campaign.Status.QUEUED, Campaign.Status.SENDING]).exists()
        return super().changelist_view(request, {**(extra_context or {}), "sending": sending})

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, gettext("Saved as a draft. Select it in the list and choose “Send”."))
        return super().response_add(request, obj, post_url_continue)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ExpoUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "two_factor"]
    actions = ["two_factor_reset"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor_on=Exists(confirmed))

    @admin.display(description=_("two-step sign-in"), boolean=True, ordering="two_factor_on")
    def two_factor(self, user):
        return user.two_factor_on

    def has_two_factor_reset_permission(self, request) -> bool:
        return request.user.is_superuser or roles.is_organizer(request.user)

    @admin.action(description=_("Reset two-step sign-in (lost phone)"), permissions=["two_factor_reset"])
    def two_factor_reset(self, request, queryset):
        for user in queryset:
            services.two_factor_reset(user=user, actor=request.user)
        self.message_user(
            request,
            gettext(
                "Two-step sign-in reset for %(people)s. Organizers among them set up an app again at their "
                "next sign-in; their open sessions must verify again."
            )
            % {"people": ", ".join(user.get_username() for user in queryset)},
            messages.SUCCESS,
        )
