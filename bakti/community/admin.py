"""Reference data only. Tickets are deliberately not in the admin: they are read through the
scoped selectors, which keep sensitive complaints to their investigators."""

from django.contrib import admin

from .models import Category, EscalationStep, Holiday, Priority, SensitiveInvestigator, SLARule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_sensitive", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(SLARule)
class SLARuleAdmin(admin.ModelAdmin):
    list_display = ["category", "priority", "acknowledge_days", "resolve_days"]
    list_filter = ["category", "priority"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "contact"]


@admin.register(SensitiveInvestigator)
class SensitiveInvestigatorAdmin(admin.ModelAdmin):
    list_display = ["user"]
