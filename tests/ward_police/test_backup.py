"""make backup / make restore round-trip the demo data and the media files."""

import pytest
from django.core.management import call_command
from django.db.models import Value
from django.db.models.functions import Concat

from accounts.models import User
from wards.models import Street, Ward

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_backup_and_restore_round_trip_the_demo_data_and_media(tmp_path, media_root, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    photo = media_root / "inspections" / "anh-hien-truong.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 photo bytes")
    counts = (Ward.objects.count(), Street.objects.count(), User.objects.count())

    call_command("backup", to=tmp_path / "backups")
    (backup_dir,) = list((tmp_path / "backups").iterdir())
    assert {p.name for p in backup_dir.iterdir()} >= {"manifest.json", "media.tar.gz"}

    Street.objects.update(name=Concat("name", Value(" (đã bị sửa)")))
    photo.unlink()
    call_command("restore", str(backup_dir), yes=True)

    assert (Ward.objects.count(), Street.objects.count(), User.objects.count()) == counts
    assert Street.objects.filter(name="Nguyễn Thái Học").exists()
    assert (media_root / "inspections" / "anh-hien-truong.jpg").read_bytes() == b"\xff\xd8 photo bytes"


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path, media_root, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("backup", to=tmp_path / "backups")
    (backup_dir,) = list((tmp_path / "backups").iterdir())
    with (backup_dir / "media.tar.gz").open("ab") as fh:
        fh.write(b"garbage")
    Street.objects.filter(name="Hoàng Diệu").update(name="Phố đã bị sửa")
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(backup_dir), yes=True)
    assert not Street.objects.filter(name="Hoàng Diệu").exists()
