"""The main navigation, built from what the installed apps declare.

An app shows up in the navigation by giving its AppConfig a ``nav`` dict (module, label, url
name, order). Only modules that exist are listed, and only to users whose role may open them.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from bakti.accounts.access import visible_modules


@dataclass(frozen=True)
class NavItem:
    module: str
    label: str
    url: str
    order: int


def nav_items_for(user: Any) -> list[NavItem]:
    allowed = visible_modules(user)
    items = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            if entry["module"] not in allowed:
                continue
            try:
                url = reverse(entry["url"])
            except NoReverseMatch:
                continue
            items.append(NavItem(entry["module"], str(entry["label"]), url, entry["order"]))
    return sorted(items, key=lambda item: item.order)
