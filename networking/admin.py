"""Admin of B2B networking: spaces, tables, slots, profiles, requests and meetings."""

from django.contrib import admin

from .models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Slot, Table


class TableInline(admin.TabularInline):
    model = Table
    extra = 0


@admin.register(NetworkingSpace)
class NetworkingSpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "event", "location"]
    list_filter = ["event"]
    search_fields = ["name", "code"]
    inlines = [TableInline]
    filter_horizontal = ["slots"]


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "space", "number"]
    list_filter = ["space__event", "space"]
    search_fields = ["space__name"]
    list_select_related = ["space"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "start", "end"]
    list_filter = ["event"]
    date_hierarchy = "start"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["attendee", "role", "organization", "max_meetings", "is_active"]
    list_filter = ["event", "role", "is_active"]
    search_fields = ["attendee__email", "attendee__last_name", "organization__name"]
    list_select_related = ["attendee", "organization"]
    raw_id_fields = ["attendee", "organization"]
    filter_horizontal = ["offers", "needs", "certifications"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "status", "created_at", "expires_at"]
    list_filter = ["event", "status"]
    search_fields = ["sender__attendee__email", "recipient__attendee__email"]
    list_select_related = ["sender__attendee", "recipient__attendee"]
    raw_id_fields = ["sender", "recipient"]


class MeetingSeatInline(admin.TabularInline):
    model = MeetingSeat
    extra = 0
    raw_id_fields = ["profile"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "is_locked", "score", "created_at"]
    list_filter = ["event", "status", "is_locked", "table__space"]
    search_fields = ["seats__profile__attendee__email"]
    list_select_related = ["slot", "table__space"]
    raw_id_fields = ["request"]
    inlines = [MeetingSeatInline]


@admin.register(MeetingSeat)
class MeetingSeatAdmin(admin.ModelAdmin):
    list_display = ["profile", "meeting", "slot", "is_active"]
    list_filter = ["is_active", "meeting__event"]
    search_fields = ["profile__attendee__email", "profile__attendee__last_name"]
    list_select_related = ["profile__attendee", "meeting__table__space", "meeting__slot", "slot"]
    raw_id_fields = ["meeting", "profile"]
