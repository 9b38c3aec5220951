"""Forms for finance pages. Validation of the business rules lives in the services; these
forms only parse input (money in the user's locale: ``1.250.000`` in Indonesian)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bakti.accounts.models import OrgUnit
from bakti.core import uploads
from bakti.core.uploads import UploadField
from bakti.programs.models import Activity, Program, Result

from .analysis import DIMENSIONS
from .models import (
    AccountClass,
    BudgetLine,
    Commitment,
    EntryStatus,
    FiscalYear,
    FundingKind,
    FundingSource,
)


def money_input(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=18,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class BudgetFilterForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.all(), required=False
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.order_by("code"), required=False
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.all(), required=False
    )
    account_class = forms.ModelChoiceField(
        label=_("Account class"), queryset=AccountClass.objects.all(), required=False
    )
    group_by = forms.ChoiceField(
        label=_("Group by"), choices=list(DIMENSIONS.items()), required=False
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class EntryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *EntryStatus.choices], required=False
    )
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.all(), required=False
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.order_by("code"), required=False
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class AnalysisFilterForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.all(), required=False
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.order_by("code"), required=False
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.all(), required=False
    )


class BudgetLineForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.order_by("code"))
    fiscal_year = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.filter(is_closed=False)
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.select_related("program").order_by("program__code", "code"),
        required=False,
        help_text=_(
            "The work-plan activity this line pays for, or leave empty and pick an output."
        ),
    )
    output = forms.ModelChoiceField(
        label=_("Output"),
        queryset=Result.objects.select_related("program").order_by("program__code", "code"),
        required=False,
    )
    account_class = forms.ModelChoiceField(
        label=_("Account class"), queryset=AccountClass.objects.filter(is_active=True)
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.filter(is_active=True)
    )
    code = forms.CharField(label=_("Line code"), max_length=40, required=False)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = money_input(_("Amount (IDR)"), min_value=Decimal("0"))


class BudgetLineEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Line code"), max_length=40, required=False)
    description = forms.CharField(label=_("Description"), max_length=300)
    account_class = forms.ModelChoiceField(
        label=_("Account class"), queryset=AccountClass.objects.filter(is_active=True)
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.filter(is_active=True)
    )


class RevisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    new_amount = money_input(_("New amount (IDR)"), min_value=Decimal("0"))
    revised_on = forms.DateField(label=_("Date of revision"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    """One amount per month of the line's fiscal year."""

    def __init__(self, *args: Any, line: BudgetLine, current: dict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = line.fiscal_year.months()
        for month in self.months:
            self.fields[self.key(month)] = money_input(
                month.strftime("%m/%Y"),
                required=False,
                min_value=Decimal("0"),
                initial=current.get(month),
            )

    @staticmethod
    def key(month: Any) -> str:
        return f"m_{month:%Y_%m}"

    def amounts(self) -> dict:
        return {m: self.cleaned_data.get(self.key(m)) or Decimal("0") for m in self.months}


class EntryForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=60,
        required=False,
        help_text=_("Invoice, receipt, contract or SP2D number."),
    )
    payee = forms.CharField(label=_("Payee"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = money_input(_("Amount"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial=settings.BAKTI_CURRENCY)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate to IDR"),
        max_digits=18,
        decimal_places=6,
        localize=True,
        initial=Decimal("1"),
        help_text=_("Rupiah per unit of the currency; 1 for IDR."),
    )
    evidence = UploadField(
        kind="document",
        label=_("Evidence"),
        required=False,
        help_text=format_lazy(
            "{} {}", _("A receipt, invoice or contract."), uploads.help_text("document")
        ),
    )

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").upper()


class ExpenditureForm(EntryForm):
    commitment = forms.ModelChoiceField(
        label=_("Against commitment"),
        queryset=Commitment.objects.none(),
        required=False,
        help_text=_("The approved contract or purchase order this payment settles, if any."),
    )

    def __init__(self, *args: Any, lines: Any, commitments: Any, **kwargs: Any) -> None:
        super().__init__(*args, lines=lines, **kwargs)
        self.fields["commitment"].queryset = commitments


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for exceeding the balance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when approving beyond the available balance (override permission)."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(ReasonForm):
    date = forms.DateField(label=_("Date of the correction"), widget=DateInput(), required=False)


class FundingSourceForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundingKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Donor or company"),
        queryset=FundingSource._meta.get_field("organisation").related_model.objects.all(),
        required=False,
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial=settings.BAKTI_CURRENCY)


class FiscalYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class AccountClassForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
