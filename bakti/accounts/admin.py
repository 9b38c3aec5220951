"""Administration pages for users, org units and memberships. Saves go through the services so
that they are validated and audited like every other write."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bakti.privacy.audit import record
from bakti.privacy.models import AuditAction

from . import services
from .models import Membership, OrgUnit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region"]
    fields = ["role", "org_unit", "region", "valid_until"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("full_name", "email", "phone", "preferred_language")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
        changes.pop("password", None)
        record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            changes=changes,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            services.membership_revoke(actor=request.user, membership=deleted)  # type: ignore[arg-type]
        for membership in instances:
            if membership.pk:
                membership.save()
                record(actor=request.user, action=AuditAction.UPDATE, obj=membership)
            else:
                services.membership_grant(
                    actor=request.user,  # type: ignore[arg-type]
                    user=membership.user,
                    role=membership.role,
                    org_unit=membership.org_unit,
                    region_code=membership.region_id,
                    valid_until=membership.valid_until,
                )


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]
    fields = ["name", "code", "kind", "parent", "region", "is_active"]

    @admin.display(description=_("name"))
    def indented_name(self, obj: OrgUnit) -> str:
        return "— " * obj.depth + obj.name

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            original = OrgUnit.objects.get(pk=obj.pk)
            services.org_unit_update(
                actor=request.user,  # type: ignore[arg-type]
                unit=original,
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                parent=data["parent"],
                region_code=data["region"].pk if data["region"] else None,
                is_active=data["is_active"],
            )
        else:
            created = services.org_unit_create(
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                parent=data["parent"],
                region_code=data["region"].pk if data["region"] else None,
            )
            obj.pk = created.pk
