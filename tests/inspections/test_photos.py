"""Photos: only real JPEG/PNG/WebP up to 10 MB; re-encoded without EXIF; served to the ward only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inspections.images import MAX_PHOTO_BYTES
from inspections.models import Inspection, Photo

from .conftest import form_data, stored_files
from .factories import image_bytes

pytestmark = pytest.mark.django_db


def post_with_photos(client, officer, business, version, files, field="photos"):
    client.force_login(officer)
    data = form_data(business, version, officer)
    data[field] = files
    return client.post(f"{reverse('inspections:new')}?business={business.pk}", data)


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def exif_jpeg(orientation: int = 6) -> bytes:
    image = Image.new("RGB", (80, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation  # rotate 90° when displayed
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}  # GPS IFD: where the photo was taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_stored_re_encoded_with_exif_stripped_and_orientation_applied(
    client, alice, cafe, checklist, media
):
    item = checklist.sections.first().items.first()
    response = post_with_photos(
        client, alice, cafe, checklist, [upload("qr.jpg", exif_jpeg())], field=f"photo-{item.pk}"
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.item == item
    with photo.image.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
    assert stored.format == "JPEG"
    assert (stored.width, stored.height) == (40, 80)  # rotated upright
    assert len(stored.getexif()) == 0
    assert "qr" not in photo.image.name  # generated names, not the phone's
    assert len(stored_files(media)) == 2  # the photo and its thumbnail


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bien-ban.jpg", b"%PDF-1.7 this is not an image at all" * 10, "không phải ảnh JPEG, PNG hoặc WebP"),
        ("anh.png", image_bytes("JPEG"), "không phải ảnh JPEG, PNG hoặc WebP"),
        ("anh.gif", image_bytes("GIF"), "không phải ảnh JPEG, PNG hoặc WebP"),
        ("hong.jpg", image_bytes("JPEG")[:200], "không phải ảnh JPEG, PNG hoặc WebP"),
    ],
    ids=["not-an-image", "fake-extension", "gif", "truncated"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    client, alice, cafe, checklist, media, name, content, message
):
    good = upload("mat-tien.jpg", image_bytes())
    response = post_with_photos(client, alice, cafe, checklist, [good, upload(name, content)])
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and name in page
    assert "Cần chọn lại ảnh." in page
    assert Inspection.objects.count() == Photo.objects.count() == 0
    assert stored_files(media) == []


def test_an_oversize_photo_is_refused(client, alice, cafe, checklist, media):
    big = upload("to.jpg", image_bytes() + b"\0" * (MAX_PHOTO_BYTES + 1))
    page = post_with_photos(client, alice, cafe, checklist, [big]).content.decode()
    assert "Ảnh “to.jpg” vượt quá 10 MB, dung lượng tối đa của một ảnh." in page
    assert Inspection.objects.count() == 0 and stored_files(media) == []


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, alice, cafe, checklist, media):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, format="PNG")  # 81 megapixels in a few kilobytes
    assert len(out.getvalue()) < 200_000
    page = post_with_photos(
        client, alice, cafe, checklist, [upload("bom.png", out.getvalue())]
    ).content.decode()
    assert "có kích thước điểm ảnh quá lớn (9000 × 9000)" in page
    assert Inspection.objects.count() == 0 and stored_files(media) == []


def test_png_and_webp_are_accepted(client, alice, cafe, checklist):
    files = [
        upload("a.png", image_bytes("PNG"), "image/png"),
        upload("b.webp", image_bytes("WEBP"), "image/webp"),
    ]
    assert post_with_photos(client, alice, cafe, checklist, files).status_code == 302
    assert Photo.objects.count() == 2


def test_a_photo_is_served_only_to_users_of_its_ward(client, alice, charlie, bob, cafe, checklist):
    post_with_photos(client, alice, cafe, checklist, [upload("a.jpg", image_bytes())])
    photo = Photo.objects.get()
    for name in ("inspections:photo", "inspections:photo_thumb"):
        url = reverse(name, args=[photo.pk])
        client.force_login(charlie)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        client.force_login(bob)
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302
