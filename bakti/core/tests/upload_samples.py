"""Small real files of each accepted kind, and impostors, for the upload tests of every app."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
# The first bytes of a Windows program.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
CSV = b"nik;nama;diterima\n3404010101010001;Siti Aminah;ya\n"


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["nik", "nama"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def oversize(name: str, megabytes: int, head: bytes = PDF) -> SimpleUploadedFile:
    """A file just over ``megabytes`` MB that starts like a real file of its kind."""
    return SimpleUploadedFile(name, head + b"\x00" * (megabytes * 1024 * 1024 + 1 - len(head)))


def renamed_exe(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE)
