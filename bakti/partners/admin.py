from django.contrib import admin

from .models import OrganisationUser


@admin.register(OrganisationUser)
class OrganisationUserAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
