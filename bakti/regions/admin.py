from django.contrib import admin

from .models import Region, RegionPopulation


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent"]
    show_full_result_count = False

    def has_add_permission(self, request):  # regions come from `bakti regions load`
        return False


@admin.register(RegionPopulation)
class RegionPopulationAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "male", "female", "total"]
    list_filter = ["year"]
    search_fields = ["region__code", "region__name"]
    raw_id_fields = ["region"]
