"""The registry API at /api/v1/registry/: households, people, consents and enrolments."""

from ninja import Router

router = Router(tags=["registry"])
