"""Limits on files attached to a complaint: how many, and each one through the project's upload
check (``bakti.core.uploads``, kind "public": a photo or a PDF, judged by the file's first bytes
as well as its name, at most 5 MB by default)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from bakti.core.uploads import check_upload

MAX_FILES = 3
KIND = "public"


def check_attachments(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """The files with their content types, or a ValidationError naming the file at fault."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Attach at most %(max)s files; you chose %(count)s.")
            % {"max": MAX_FILES, "count": len(files)},
            code="too_many",
        )
    return [(upload, check_upload(upload, KIND).content_type) for upload in files]
