"""Limits on files attached to a complaint: how many, how large, and which kinds (checked by
the file's first bytes, not only its name)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
# extension → (content type, magic prefixes)
ALLOWED = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
}


def check_attachments(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """The files with their content types, or a ValidationError naming the file at fault."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Attach at most %(max)s files; you chose %(count)s.")
            % {"max": MAX_FILES, "count": len(files)},
            code="too_many",
        )
    checked = []
    for upload in files:
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if upload.size is None or upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file %(name)s is larger than %(mb)s MB.")
                % {"name": name, "mb": MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        if extension not in ALLOWED:
            raise ValidationError(
                _("The file %(name)s is not a photo (JPG, PNG) or a PDF.") % {"name": name},
                code="bad_type",
            )
        content_type, magics = ALLOWED[extension]
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in magics):
            raise ValidationError(
                _("The file %(name)s does not look like a %(kind)s file.")
                % {"name": name, "kind": extension.upper()},
                code="bad_content",
            )
        checked.append((upload, content_type))
    return checked
