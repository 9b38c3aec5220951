"""Checks on uploaded evidence: the project's one upload check (``bakti.core.uploads``), kind
"evidence" (a photo or a PDF, by name and by content). The model field names this function in
its validators (and migrations), so it stays here."""

from bakti.core.uploads import check_upload


def validate_evidence(upload) -> None:  # type: ignore[no-untyped-def]
    if not upload:
        return
    # Only check a new upload (a stored file may not be at hand, and was checked when it came).
    if getattr(upload, "_committed", False):
        return
    check_upload(upload, "evidence")
