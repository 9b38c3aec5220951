"""The registry in the admin: read-only views for administrators. Personal data is changed only
through the registry pages and API, which go through the services (audited, scoped)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    ColumnMapping,
    ScoringRun,
    ScoringScheme,
    TargetingScheme,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "formula", "scope_region", "status")
    list_filter = ("formula", "status")
    search_fields = ("name",)


@admin.register(ScoringRun)
class ScoringRunAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "status", "processed", "total", "created_at", "finished_at")
    list_filter = ("status",)


@admin.register(TargetingScheme)
class TargetingSchemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "program", "benefit_unit", "benefit_amount", "status", "applied_at")
    list_filter = ("status",)
    search_fields = ("name", "program__code")


@admin.register(ColumnMapping)
class ColumnMappingAdmin(ReadOnlyAdmin):
    list_display = ("name", "layout", "created_at")
