"""Bakti: the system a social department runs its work on."""

__version__ = "0.1.0"
