"""The import sets the objects that existed before it aside from the garbage collector while it
runs, and gives them back afterwards, also when the import fails half-way."""

import csv
import gc
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakti.registry.importing import engine, services
from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import sample_rows
from bakti.registry.models import Household, Person
from conftest import DESA_A


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _job(cast, households):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BAKTI_COLUMNS)
    writer.writerows(sample_rows(households, [DESA_A]))
    job = services.import_job_create(
        actor=cast.manager, upload=SimpleUploadedFile("f.csv", out.getvalue().encode())
    )
    job.column_map = services.clean_mapping(job.column_map)
    job.save()
    return job


def test_objects_are_frozen_during_the_import_and_given_back_after(cast, monkeypatch):
    frozen_during = []
    real = engine.import_chunk

    def watching(*args, **kwargs):
        frozen_during.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "import_chunk", watching)
    assert gc.get_freeze_count() == 0
    job = services.import_job_run(job_id=_job(cast, 3).pk)
    assert job.created_households == 3
    assert frozen_during and all(count > 0 for count in frozen_during)
    assert gc.get_freeze_count() == 0


def test_objects_are_given_back_when_the_import_fails(cast, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "import_chunk", failing)
    with pytest.raises(RuntimeError):
        services.import_job_run(job_id=_job(cast, 2).pk)
    assert gc.get_freeze_count() == 0
    assert not Household.objects.exists() and not Person.objects.exists()


def test_a_process_that_froze_its_objects_itself_keeps_them_frozen(cast):
    job = _job(cast, 1)
    gc.freeze()
    try:
        services.import_job_run(job_id=job.pk)
        assert gc.get_freeze_count() > 0  # not handed back: they were not the import's to give
    finally:
        gc.unfreeze()
