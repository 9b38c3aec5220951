"""The one upload check: size per kind, allowed extensions and the file's first bytes."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bakti.core import uploads
from bakti.core.tests import upload_samples as s


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refusal(upload, kind: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload, kind)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("bukti.pdf", s.PDF, "evidence", "application/pdf"),
        ("foto.PNG", s.PNG, "evidence", "image/png"),
        ("foto.jpeg", s.JPEG, "evidence", "image/jpeg"),
        ("foto.webp", s.WEBP, "evidence", "image/webp"),
        ("kuitansi.jpg", s.JPEG, "document", "image/jpeg"),
        ("kontrak.docx", s.docx(), "document", uploads.CONTENT_TYPES["docx"]),
        ("anggaran.xlsx", s.xlsx(), "document", uploads.CONTENT_TYPES["xlsx"]),
        ("daftar.csv", s.CSV, "table", "text/csv"),
        ("daftar.csv", "nama\nBudi Santoso\n".encode("cp1252"), "table", "text/csv"),
        ("daftar.txt", "\ufeffnama\tdesa\nSiti\tBalecatur\n".encode(), "table", "text/plain"),
        ("data.xlsx", s.xlsx(), "import", uploads.CONTENT_TYPES["xlsx"]),
    ],
)
def test_good_files_are_accepted_with_their_content_type(name, content, kind, content_type):
    checked = uploads.check_upload(s.upload(name, content), kind)
    assert checked.content_type == content_type
    assert checked.size == len(content)


def test_a_file_over_the_kind_limit_is_refused_naming_file_size_and_limit():
    error = _refusal(s.oversize("scan.pdf", 10), "evidence")
    assert error.code == "too_large"
    message = error.messages[0]
    assert message == "The file “scan.pdf” is 10.1 MB; at most 10 MB may be uploaded here."


def test_a_file_at_the_limit_is_accepted():
    content = s.PDF + b"0" * (10 * 1024 * 1024 - len(s.PDF))
    assert uploads.check_upload(s.upload("scan.pdf", content), "document").size == len(content)


def test_limits_come_from_settings_per_kind(settings):
    settings.BAKTI_UPLOAD_LIMITS_MB = {"evidence": 1}
    error = _refusal(s.oversize("scan.pdf", 1), "evidence")
    assert "at most 1 MB" in error.messages[0]
    # Other kinds keep their default.
    assert uploads.check_upload(s.oversize("scan.pdf", 1), "document")
    settings.BAKTI_MAX_UPLOAD_MB = 2
    assert uploads.limit_bytes("import") == 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("setup.exe", "evidence"),
        ("laporan.docx", "evidence"),
        ("daftar.xlsx", "table"),
        ("README", "document"),
        ("foto.gif", "document"),
    ],
)
def test_a_wrong_extension_is_refused_saying_what_may_be_uploaded(name, kind):
    content = s.EXE if name.endswith("exe") else s.PDF
    error = _refusal(s.upload(name, content), kind)
    assert error.code == "bad_type"
    assert name in error.messages[0]
    assert str(uploads.KINDS[kind].description) in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("foto.jpg", s.EXE, "evidence"),
        ("foto.png", s.JPEG, "evidence"),
        ("surat.pdf", s.PNG, "document"),
        ("foto.webp", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 8, "evidence"),
        ("kontrak.docx", s.xlsx(), "document"),
        ("anggaran.xlsx", s.plain_zip(), "document"),
        ("anggaran.xlsx", s.EXE, "import"),
        ("daftar.csv", s.EXE, "table"),
        ("daftar.csv", s.PDF[:10] + b"\x00\x01\x02binary", "table"),
    ],
)
def test_the_right_extension_with_other_content_is_refused(name, content, kind):
    error = _refusal(s.upload(name, content), kind)
    assert error.code == "bad_content"
    assert name in error.messages[0]


def test_a_stray_control_character_in_a_long_list_is_still_text():
    content = s.CSV + b"3404010101010002;Budi\x0bSantoso;ya\n" + s.CSV * 20
    assert uploads.check_upload(s.upload("daftar.csv", content), "table").extension == "csv"
    binary = bytes(range(1, 32)) * 10
    assert _refusal(s.upload("daftar.csv", binary), "table").code == "bad_content"


def test_an_empty_file_is_refused():
    assert _refusal(s.upload("kosong.pdf", b""), "evidence").code == "empty"


def test_the_message_is_in_the_users_language():
    with translation.override("id"):
        error = _refusal(s.renamed_exe("foto.jpg"), "evidence")
    assert "foto.jpg" in error.messages[0]
    assert "isinya tidak berformat JPEG" in error.messages[0]


def test_sizes_read_rounded_up_in_the_users_number_format():
    assert uploads.size_text(300) == "1 KB"
    assert uploads.size_text(10 * 1024 * 1024) == "10 MB"
    with translation.override("id"):
        assert uploads.size_text(int(2.25 * 1024 * 1024)) == "2,3 MB"


def test_the_file_is_left_at_its_start_for_whoever_saves_it():
    upload = s.upload("anggaran.xlsx", s.xlsx())
    uploads.check_upload(upload, "document")
    assert upload.read(4) == b"PK\x03\x04"


class _Form(forms.Form):
    file = uploads.UploadField(kind="evidence", label="File")


def test_the_form_field_shows_the_refusal_and_offers_only_the_allowed_types():
    form = _Form(data={}, files={"file": s.renamed_exe("foto.jpg")})
    assert not form.is_valid()
    assert "foto.jpg" in form.errors["file"][0]
    html = str(form["file"])
    assert 'accept=".jpg,.jpeg,.png,.webp,.pdf"' in html
    assert "at most 10 MB" in str(form.fields["file"].help_text)
    assert _Form(data={}, files={"file": s.upload("foto.png", s.PNG)}).is_valid()


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_file_field_of_every_bakti_form_goes_through_the_upload_check():
    """A new upload field without the check fails here: declare it with ``UploadField`` (or
    ``UploadValidator``), or call ``restrict(self.fields[name], kind)`` in the form's
    ``__init__`` (a model form's own file fields)."""
    import importlib
    import inspect
    import pkgutil

    import bakti

    for module in pkgutil.walk_packages(bakti.__path__, "bakti."):
        if module.name.rsplit(".", 1)[-1] == "forms" or ".forms." in module.name:
            importlib.import_module(module.name)
    unchecked = []
    seen = 0
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("bakti.") or ".tests." in form.__module__:
            continue
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.FileField):
                continue
            seen += 1
            if any(isinstance(v, uploads.UploadValidator) for v in field.validators):
                continue
            if hasattr(field, "clean") and "check_attachments" in inspect.getsource(type(field)):
                continue
            if f'restrict(self.fields["{name}"]' in inspect.getsource(form):
                continue
            unchecked.append(f"{form.__module__}.{form.__name__}.{name}")
    assert seen >= 10
    assert unchecked == []


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    content=st.binary(max_size=4096),
    name=st.sampled_from(["a.pdf", "a.jpg", "a.webp", "a.xlsx", "a.docx", "a.csv", "a", "a.exe"]),
    kind=st.sampled_from(sorted(uploads.KINDS)),
)
def test_any_bytes_are_accepted_or_refused_with_a_reason_never_a_crash(content, name, kind):
    upload = s.upload(name, content)
    try:
        checked = uploads.check_upload(upload, kind)
    except ValidationError as error:
        assert error.code in {"too_large", "empty", "bad_type", "bad_content"}
        assert name in error.messages[0]
    else:
        assert checked.extension in uploads.KINDS[kind].extensions
    assert upload.tell() == 0
