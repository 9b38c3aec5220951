"""Strings that a catalogue of a third-party app listed before Bakti's in ``INSTALLED_APPS``
translates otherwise, and would win over the apps' own translation: Django admin's Indonesian
catalogue keeps "Filter" as "Filter", so every list's filter button stayed English. The project
catalogue (``bakti/locale``, ``LOCALE_PATHS``) is consulted first; declared here, the strings
are extracted into it by ``make messages`` and translated there."""

from django.utils.translation import gettext_noop

SHADOWED = (gettext_noop("Filter"),)
