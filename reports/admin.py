"""Marketing sets the value per network here too (bulk work); rollups are derived data and
are not shown."""

from django.contrib import admin

from reports.models import DigestSubscription, NetworkValue, TeamWebhook


@admin.register(NetworkValue)
class NetworkValueAdmin(admin.ModelAdmin[NetworkValue]):
    list_display = ("network", "cpm", "cpc", "cpe", "currency", "updated_at")
    readonly_fields = ("updated_at",)


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin[DigestSubscription]):
    list_display = ("user", "team", "frequency", "last_sent_at")
    list_filter = ("frequency",)
    raw_id_fields = ("user", "team")


@admin.register(TeamWebhook)
class TeamWebhookAdmin(admin.ModelAdmin[TeamWebhook]):
    """The URL is checked against the webhook hosts (models.validate_webhook_url)."""

    list_display = ("team", "kind", "enabled", "last_sent_at", "last_error")
    readonly_fields = ("last_sent_at", "last_error")
