"""Finance in the admin: read-only views for administrators. Budgets, commitments and
expenditures change only through the finance pages and API, which go through the services
(audited, four eyes, balance rule)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccountClass, BudgetLine, Commitment, Expenditure, FiscalYear, FundingSource


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccountClass)
class AccountClassAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_active")


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "currency", "is_active")
    list_filter = ("kind",)


@admin.register(FiscalYear)
class FiscalYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "start_date", "end_date", "is_closed")


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ("code", "description", "program", "fiscal_year", "amount")
    list_filter = ("fiscal_year", "funding_source")
    list_select_related = ("program", "fiscal_year")
    search_fields = ("code", "description")


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ("date", "reference", "payee", "amount_idr", "status", "is_closed")
    list_filter = ("status",)
    search_fields = ("reference", "payee")


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyAdmin):
    list_display = ("date", "reference", "payee", "amount_idr", "status")
    list_filter = ("status",)
    search_fields = ("reference", "payee")
