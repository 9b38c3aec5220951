"""One check for every uploaded file: not too large for its kind, and of an allowed type, judged
by the name's extension *and* the file's first bytes (so a renamed program is not taken for a
photo or a PDF).

Each place that accepts a file names a *kind* (``evidence``, ``public``, ``document``,
``table``, ``import``); a kind has its allowed extensions and a size limit. The limits come from
the setting ``BAKTI_UPLOAD_LIMITS_MB`` (``{"document": 20}``), else the defaults below; the
registry import keeps its own, larger limit (``BAKTI_MAX_UPLOAD_MB``).

Forms use :class:`UploadField` (or :func:`restrict` on a model form's field); services that take
files directly call :func:`check_upload`. The content is sniffed here, without libmagic: only a
few formats are accepted, and their signatures are short.
"""

from __future__ import annotations

import codecs
import math
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024
DEFAULT_LIMIT_MB = 10
# How much of a text file is read to judge that it is text.
TEXT_SAMPLE = 64 * 1024

PHOTOS = ("jpg", "jpeg", "png", "webp")


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    default_mb: int
    description: Any  # lazy text: what the user may upload


KINDS: dict[str, Kind] = {
    # Photos of a handover, a signed list, a scanned letter: what a phone can send.
    "evidence": Kind(
        (*PHOTOS, "pdf"), DEFAULT_LIMIT_MB, gettext_lazy("a photo (JPG, PNG, WebP) or a PDF")
    ),
    # Files anyone may attach to a public complaint, without an account: smaller.
    "public": Kind((*PHOTOS, "pdf"), 5, gettext_lazy("a photo (JPG, PNG, WebP) or a PDF")),
    # Receipts, contracts, agreements, evaluation reports.
    "document": Kind(
        ("pdf", "jpg", "jpeg", "png", "docx", "xlsx"),
        DEFAULT_LIMIT_MB,
        gettext_lazy("a PDF, a photo (JPG, PNG), a Word (DOCX) or Excel (XLSX) file"),
    ),
    # A list returned with a column filled in.
    "table": Kind(("csv", "txt"), DEFAULT_LIMIT_MB, gettext_lazy("a CSV file")),
    # The registry import: large files, its limit is BAKTI_MAX_UPLOAD_MB.
    "import": Kind(("csv", "txt", "tsv", "xlsx"), 200, gettext_lazy("a CSV or XLSX file")),
}

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "tsv": "text/tab-separated-values",
}
FORMAT_NAMES = {"jpg": "JPEG", "jpeg": "JPEG", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
_ZIP = b"PK\x03\x04"
_MAGIC = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF",),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
}
# What an Office Open XML package holds: its part listing, and the main part of each kind.
_OOXML_PART = {"docx": "word/", "xlsx": "xl/"}
# Control characters that do not occur in a text file (tab, line feed, form feed, carriage
# return and the DOS end-of-file mark do).
_NOT_TEXT = {chr(c) for c in range(32) if c not in (9, 10, 12, 13, 26)} | {"\x7f"}


def size_text(size: int) -> str:
    """A file size for people, rounded up (a file 1 byte over 10 MB reads "10.1 MB", not "10.0
    MB" beside a limit of 10 MB), in the active language's number format."""
    if size % MB == 0:
        return _("%(size)s MB") % {"size": number_format(size // MB)}
    if size < MB:
        return _("%(size)s KB") % {"size": number_format(max(1, math.ceil(size / 1024)))}
    tenths = math.ceil(size * 10 / MB)
    places = 0 if tenths % 10 == 0 else 1
    return _("%(size)s MB") % {"size": number_format(Decimal(tenths) / 10, places)}


def limit_bytes(kind: str) -> int:
    """The size limit of a kind, in bytes (settings first, then the default)."""
    if kind == "import":
        return int(settings.BAKTI_MAX_UPLOAD_MB) * MB
    configured = getattr(settings, "BAKTI_UPLOAD_LIMITS_MB", {}) or {}
    return int(configured.get(kind, KINDS[kind].default_mb)) * MB


def _help_text(kind: str) -> str:
    return _("Upload %(allowed)s of at most %(limit)s.") % {
        "allowed": KINDS[kind].description,
        "limit": size_text(limit_bytes(kind)),
    }


help_text = lazy(_help_text, str)
help_text.__doc__ = "The help text of an upload field of this kind, in the active language."


def accept(kind: str) -> str:
    """The ``accept`` attribute of a file input: the phone offers only files that fit."""
    return ",".join(f".{extension}" for extension in KINDS[kind].extensions)


def _extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def _format_name(extension: str) -> str:
    return FORMAT_NAMES.get(extension, extension.upper())


def _read_head(upload: Any, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head or b""


def _is_text(sample: bytes, complete: bool) -> bool:
    """Text as spreadsheets save it: no NUL byte (every binary format has them), in UTF-8 or an
    older Windows encoding, and at most a stray control character here and there (1%), so one
    odd byte in a long list exported from another system does not refuse the whole file."""
    if b"\x00" in sample:
        return False
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        # Older Excel saves CSV in Windows-1252; Latin-1 decodes whatever byte is left.
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            text = sample.decode("latin-1")
    controls = sum(1 for char in text if char in _NOT_TEXT)
    return controls <= len(text) // 100


def _is_office_file(upload: Any, extension: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    part = _OOXML_PART[extension]
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)


def _content_matches(upload: Any, extension: str, size: int) -> bool:
    if extension in ("csv", "txt", "tsv"):
        return _is_text(_read_head(upload, TEXT_SAMPLE), complete=size <= TEXT_SAMPLE)
    head = _read_head(upload, 16)
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not any(head.startswith(magic) for magic in _MAGIC[extension]):
        return False
    if extension in _OOXML_PART:
        return _is_office_file(upload, extension)
    return True


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    size: int


def check_upload(upload: Any, kind: str) -> CheckedUpload:
    """Check one uploaded file (a Django ``File``/``UploadedFile``) for a kind of upload; return
    what was found, or raise ``ValidationError`` naming the file, what is wrong and the limit."""
    spec = KINDS[kind]
    name = Path(upload.name or "").name
    size = upload.size or 0
    extension = _extension(name)
    limit = limit_bytes(kind)
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; at most %(limit)s may be uploaded here.")
            % {"name": name, "size": size_text(size), "limit": size_text(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    try:
        FileExtensionValidator(spec.extensions)(upload)
    except ValidationError:
        shown = _format_name(extension) if extension else _("a file without an extension")
        raise ValidationError(
            _("The file “%(name)s” is %(type)s, which cannot be uploaded here; upload %(allowed)s.")
            % {"name": name, "type": shown, "allowed": spec.description},
            code="bad_type",
        ) from None
    if not _content_matches(upload, extension, size):
        raise ValidationError(
            _(
                "The file “%(name)s” is named .%(extension)s but its content is not in the "
                "%(format)s format; upload %(allowed)s."
            )
            % {
                "name": name,
                "extension": extension,
                "format": _format_name(extension),
                "allowed": spec.description,
            },
            code="bad_content",
        )
    return CheckedUpload(name, extension, CONTENT_TYPES[extension], size)


@deconstructible
class UploadValidator:
    """A field validator for one kind of upload (see :func:`check_upload`)."""

    def __init__(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {kind!r}")
        self.kind = kind

    def __call__(self, upload: Any) -> None:
        if upload:
            check_upload(upload, self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def restrict(field: forms.FileField, kind: str) -> forms.FileField:
    """Apply a kind's check, help text and ``accept`` attribute to a form's file field (for the
    file fields a model form makes)."""
    field.validators.append(UploadValidator(kind))
    field.help_text = help_text(kind)
    field.widget.attrs.setdefault("accept", accept(kind))
    return field


class UploadField(forms.FileField):
    """A form's file field that accepts only files of one kind."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", help_text(kind))
        super().__init__(**kwargs)
        restrict_kind = UploadValidator(kind)
        self.validators.append(restrict_kind)
        self.widget.attrs.setdefault("accept", accept(kind))
