"""Saving an evidence file when the media storage fails: the user reads why, and nothing is
half-saved (no Evidence row, no score change, no file left behind).

The faults are real ones from the operating system, so they also hold for root (CI): a media
path that is a file (ENOTDIR), a read-only directory (non-root only: root writes through file
modes), and a file-size limit hit half-way through writing (EFBIG, as on a full disk).
"""

import os
import resource
import stat

import pytest
from django.urls import reverse

from criteria import services as criteria_services
from criteria.models import AssessmentScore, Evidence
from criteria.periods import Period
from tests.criteria.factories import published_set

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def score(lena):
    assessment = criteria_services.assessment_create(
        ward=lena.ward, period=Period(2025, 3), criteria_set=published_set(), user=lena
    )
    return assessment.scores.get(criterion__code="1.1")


def _upload(client, score, body: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("criteria:score_edit", args=[score.assessment_id, score.pk])
    return client.post(
        url, {"points": "8,5", "comment": "Có biên bản", "files": [SimpleUploadedFile("bien-ban.pdf", body)]}
    )


def _assert_nothing_saved(response, score, media):
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không lưu được tệp trên máy chủ" in body
    assert "Chưa có gì được lưu" in body
    assert not Evidence.objects.exists()
    fresh = AssessmentScore.objects.get(pk=score.pk)
    assert fresh.points is None and fresh.comment == ""
    leftovers = [p for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
    assert leftovers == []


def test_media_path_that_is_not_a_directory(client, lena, score, settings, tmp_path):
    blocker = tmp_path / "media"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker
    client.force_login(lena)
    response = _upload(client, score)
    _assert_nothing_saved(response, score, tmp_path / "none")
    assert blocker.read_text() == "not a directory"


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes into read-only directories; ENOTDIR and EFBIG cover root"
)
def test_read_only_media_directory(client, lena, score, settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    media.chmod(stat.S_IRUSR | stat.S_IXUSR)
    settings.MEDIA_ROOT = media
    client.force_login(lena)
    try:
        response = _upload(client, score)
    finally:
        media.chmod(stat.S_IRWXU)
    _assert_nothing_saved(response, score, media)


def test_disk_full_half_way_through_the_file_leaves_no_partial_file(client, lena, score, settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024  # the upload stays in memory
    client.force_login(lena)
    body = PDF + b"0" * (4 * 1024 * 1024)
    database = settings.DATABASES["default"]
    db_file = database.get("TEST", {}).get("NAME") if database["ENGINE"].endswith("sqlite3") else None
    # Above the SQLite test database (which must still grow a little) but below the upload.
    limit = (os.path.getsize(db_file) if db_file and os.path.exists(db_file) else 0) + 2 * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        response = _upload(client, score, body)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    _assert_nothing_saved(response, score, media)


def test_after_the_fault_the_same_upload_succeeds(client, lena, score, settings, tmp_path):
    blocker = tmp_path / "media"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    client.force_login(lena)
    assert _upload(client, score).status_code == 200
    blocker.unlink()
    blocker.mkdir()
    response = _upload(client, score)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (blocker / evidence.file.name).read_bytes() == PDF
