"""Neutralising spreadsheet formulas in exported cells (CSV/XLSX injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by Excel or LibreOffice; prefixing a single quote makes both show it as text. Numbers
are left alone so that a negative amount stays a number.
"""

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value
