"""Reference data in the admin: PPKS categories and program types (editable lists). Programs and
their plans are changed through the program pages, which go through the services."""

from django.contrib import admin

from .models import PPKSCategory, ProgramType


@admin.register(PPKSCategory)
class PPKSCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(ProgramType)
class ProgramTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
