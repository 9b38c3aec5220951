"""Reading CSV and XLSX files as a stream of rows, never the whole file at once.

CSV goes through the csv module over a text wrapper of the binary file (UTF-8 with or without a
BOM, falling back to Windows-1252 for files saved by older Excel); the delimiter is sniffed from
the header line (comma, semicolon or tab: Indonesian Excel writes semicolons). XLSX is read with
openpyxl in read-only mode, after checking the zip's declared sizes so that a zip bomb is refused
before anything is decompressed.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

# An XLSX of a million registry rows is about 80 MB uncompressed; allow generous room, refuse
# anything that claims far more, and any entry compressed more than 200 times.
MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 10_000

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message says why, in the active language."""


@dataclass
class Sheet:
    """The header and an iterator of (row number, cells) pairs; row numbers count the header as
    row 1, as a spreadsheet shows them."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def detect_format(name: str, head: bytes) -> str:
    lower = name.lower()
    if head.startswith(XLSX_MAGIC) or lower.endswith(".xlsx"):
        if not head.startswith(XLSX_MAGIC):
            raise UnreadableFile(_("The file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if lower.endswith((".csv", ".txt", ".tsv")) or not lower.rpartition(".")[1]:
        return "csv"
    raise UnreadableFile(_("Only CSV and XLSX files can be imported."))


def check_zip(handle: IO[bytes]) -> None:
    """Refuse an XLSX whose entries would decompress to too much (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        raise UnreadableFile(_("The Excel file is damaged and cannot be opened.")) from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UnreadableFile(_("The Excel file contains too many parts to be a spreadsheet."))
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.compress_size and entry.file_size / entry.compress_size > MAX_COMPRESSION_RATIO:
            raise UnreadableFile(
                _("The Excel file is compressed suspiciously much (a possible zip bomb).")
            )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableFile(
                _("The Excel file would be too large once uncompressed (a possible zip bomb).")
            )
    handle.seek(0)


def _text_stream(handle: IO[bytes]) -> io.TextIOWrapper:
    head = handle.read(64 * 1024)
    handle.seek(0)
    encoding = "utf-8-sig"
    try:
        # A multi-byte character may be cut at the end of the sample: decode incrementally.
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
    return io.TextIOWrapper(handle, encoding=encoding, newline="", errors="replace")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_error(line: int) -> str:
    return _(
        "Line %(line)d of the file cannot be read: a cell is far too long, usually because a "
        'quote (") is not closed.'
    ) % {"line": line}


def read_csv(handle: IO[bytes]) -> Sheet:
    text = _text_stream(handle)
    first_line = text.readline()
    if not first_line.strip():
        raise UnreadableFile(_("The file is empty: the first line must hold the column names."))
    delimiter = _sniff_delimiter(first_line)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except csv.Error:
        raise UnreadableFile(_csv_error(1)) from None
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not "".join(cells).strip():  # every cell empty or blank
                    continue
                yield number, cells
        except csv.Error:
            # A cell longer than the csv module allows (128 kB), usually an unclosed quote.
            raise UnreadableFile(_csv_error(number + 1)) from None

    return Sheet(header=[h.strip() for h in header], rows=rows())


def read_xlsx(handle: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    check_zip(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(_("The Excel file is damaged and cannot be opened.")) from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(iterator)
    except StopIteration:
        workbook.close()
        raise UnreadableFile(
            _("The file is empty: the first line must hold the column names.")
        ) from None
    header = [str(h).strip() if h is not None else "" for h in header_cells]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for cells in iterator:
                number += 1
                if not any(c is not None and str(c).strip() for c in cells):
                    continue
                yield number, list(cells[: len(header)])
        finally:
            workbook.close()

    return Sheet(header=header, rows=rows())


def open_sheet(handle: IO[bytes], file_format: str) -> Sheet:
    if file_format == "xlsx":
        return read_xlsx(handle)
    return read_csv(handle)
