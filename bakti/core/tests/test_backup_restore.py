"""`bakti backup` and `bakti restore`: a round trip gives back every table exactly."""

from pathlib import Path

import pytest
from django.core.management import call_command

from bakti.accounts.models import OrgUnit, User
from bakti.core.backup import BackupError, restore_backup, table_states
from conftest import make_cast


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_every_table_as_it_was(tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    make_cast()
    before = table_states()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive))

    # Damage the data and the files after the backup.
    User.objects.filter(username="worker_a").delete()
    OrgUnit.objects.filter(code="T-REHSOS").update(name="Renamed")
    (tmp_path / "media" / "evidence" / "photo.jpg").unlink()

    call_command("restore", str(archive), "--yes")

    assert table_states() == before
    assert User.objects.filter(username="worker_a").exists()
    assert OrgUnit.objects.get(code="T-REHSOS").name == "Bidang Rehsos"
    assert (tmp_path / "media" / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_with_paths_outside_its_folder(tmp_path: Path) -> None:
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"{}"
        info = tarfile.TarInfo("../escape.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError):
        restore_backup(archive)


@pytest.mark.django_db(transaction=True)
def test_restore_works_on_a_python_without_tar_extraction_filters(
    tmp_path: Path, settings, monkeypatch
) -> None:
    """Debian 12's python3 is 3.11.2, older than tarfile's extraction filters (3.11.4)."""
    import tarfile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_cast()
    before = table_states()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive))
    User.objects.filter(username="worker_a").delete()
    # As on Python 3.11.2: no data_filter, and extractall() knows no filter argument.
    monkeypatch.delattr(tarfile, "data_filter")
    extractall = tarfile.TarFile.extractall

    def old_extractall(self, path=".", members=None, *, numeric_owner=False):
        return extractall(self, path, members, numeric_owner=numeric_owner)

    monkeypatch.setattr(tarfile.TarFile, "extractall", old_extractall)

    call_command("restore", str(archive), "--yes")

    assert table_states() == before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_with_a_link(tmp_path: Path) -> None:
    import tarfile

    archive = tmp_path / "link.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("media/passwd")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(BackupError):
        restore_backup(archive)


@pytest.mark.django_db(transaction=True)
def test_restore_drops_tables_added_since_the_backup(tmp_path: Path, settings) -> None:
    """Rolling back an upgrade: a table made after the backup, referencing a backed-up one (as
    a new app's migration does), must not block the restore, and is gone afterwards."""
    from django.db import connection

    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_cast()
    before = table_states()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE added_by_an_upgrade (id integer PRIMARY KEY,"
            " user_id bigint REFERENCES accounts_user (id))"
        )
        cursor.execute(
            "INSERT INTO added_by_an_upgrade (id, user_id) SELECT 1, id FROM accounts_user LIMIT 1"
        )

    call_command("restore", str(archive), "--yes")

    assert "added_by_an_upgrade" not in connection.introspection.table_names()
    assert table_states() == before
