import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from violations.models import ViolationEvidence


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh thử"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_an_officer_attaches_a_photo_and_its_exif_is_dropped(client, make_draft, alice):
    draft = make_draft()
    client.force_login(alice)
    upload = SimpleUploadedFile("anh.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(
        reverse("violations:evidence-add", args=[draft.pk]), {"image": upload, "caption": "Vỉa hè"}
    )
    assert response.status_code == 302
    evidence = ViolationEvidence.objects.get()
    with Image.open(evidence.image.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    served = client.get(reverse("violations:evidence", args=[draft.pk, evidence.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(client, make_draft, alice):
    draft = make_draft()
    client.force_login(alice)
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(reverse("violations:evidence-add", args=[draft.pk]), {"image": fake})
    assert response.status_code == 400
    assert "Tệp không phải là ảnh đọc được." in response.content.decode()
    assert not ViolationEvidence.objects.exists()


def test_another_ward_cannot_see_the_photo(client, make_draft, alice, bob):
    draft = make_draft()
    client.force_login(alice)
    upload = SimpleUploadedFile("anh.jpg", jpeg_with_exif(), content_type="image/jpeg")
    client.post(reverse("violations:evidence-add", args=[draft.pk]), {"image": upload})
    evidence = ViolationEvidence.objects.get()
    client.force_login(bob)
    assert client.get(reverse("violations:evidence", args=[draft.pk, evidence.pk])).status_code == 404
