"""Formatting money for people: Rp 1.250.000 in Indonesian, Rp 1,250,000 in English."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

CURRENCY_SYMBOLS = {"IDR": "Rp", "USD": "US$", "EUR": "€", "AUD": "A$", "JPY": "¥", "SGD": "S$"}
# Currencies shown without minor units (the rupiah has none in practice).
WHOLE_UNIT_CURRENCIES = {"IDR", "JPY"}


def format_money(amount: Decimal | int | float | None, currency: str = "IDR") -> str:
    if amount is None:
        return ""
    amount = Decimal(str(amount))
    places = 0 if currency in WHOLE_UNIT_CURRENCIES else 2
    quantum = Decimal(1).scaleb(-places)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    text = number_format(abs(rounded), decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{symbol} {text}"
