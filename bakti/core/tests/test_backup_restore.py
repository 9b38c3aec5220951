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
