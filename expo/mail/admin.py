"""Admin of the email outbox: what was sent, what failed and why."""

from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["template", "to", "language", "created_at", "sent_at", "attempts"]
    list_filter = ["template", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to"]
    readonly_fields = ["to", "language", "template", "subject", "context", "created_at", "claimed_until", "sent_at",
                       "attempts", "last_error"]  # fmt: skip

    def has_add_permission(self, request):
        return False  # emails are written by the services that cause them
