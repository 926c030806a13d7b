"""Marketing sets the value per network here too (bulk work); rollups are derived data and
are not shown."""

from django.contrib import admin

from .models import NetworkValue


@admin.register(NetworkValue)
class NetworkValueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("network", "cpm", "cpc", "cpe", "currency", "updated_at")
    readonly_fields = ("updated_at",)
