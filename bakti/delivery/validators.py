"""Checks on uploaded evidence: small enough to send from a phone, and of a known kind."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".pdf"}
# The first bytes of each kind, so a renamed executable is not accepted as a photo.
_SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF",),
}


def validate_evidence(upload) -> None:  # type: ignore[no-untyped-def]
    if not upload:
        return
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("The file “%(name)s” is not a photo (JPG, PNG, WebP) or a PDF document.")
            % {"name": Path(upload.name).name}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB.")
            % {"name": Path(upload.name).name, "limit": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    # Only check the content of a new upload (a stored file may not be at hand).
    if hasattr(upload, "file") and not getattr(upload, "_committed", True):
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
            raise ValidationError(
                _("The file “%(name)s” does not look like a %(kind)s file.")
                % {"name": Path(upload.name).name, "kind": suffix.lstrip(".").upper()}
            )
