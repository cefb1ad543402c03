"""#25.8: a commitment made during an inspection prints as its own document (bản cam kết),
numbered from the register when it is recorded ("Số: 01/CK"), with the owner's drawn signature
in its block, or "từ chối ký" and the witness."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from documents.models import DocumentJob, RegisterEntry
from documents.services import build_document
from inspections.models import Commitment, Inspection
from tests.documents.helpers import pdftotext

from .conftest import form_data
from .factories import signature_data_url

pytestmark = pytest.mark.django_db


def new_url(business):
    return f"{reverse('inspections:new')}?business={business.pk}"


@pytest.fixture
def officer(alice):
    alice.full_name, alice.rank_title = "Phạm Quốc Huy", "Thiếu tá, Cảnh sát khu vực"
    alice.save()
    return alice


def record_with_commitment(client, officer, business, checklist, **extra) -> Inspection:
    client.force_login(officer)
    data = form_data(
        business,
        checklist,
        officer,
        commitment="on",
        commitment_text="Thu dọn bàn ghế khỏi vỉa hè",
        commitment_deadline="2030-01-15",
        **extra,
    )
    if "refused_to_sign" not in extra:
        data["signature_data"] = signature_data_url()
    response = client.post(new_url(business), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Inspection.objects.filter(business=business).latest("pk")


def print_commitment(client, django_capture_on_commit_callbacks, user, inspection, tmp_path):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:commitment_pdf", args=[inspection.pk]))
    assert response.status_code == 302
    job = DocumentJob.objects.filter(kind="commitment", object_id=inspection.pk).latest("pk")
    assert response.url == reverse("documents:detail", args=[job.pk])
    path = tmp_path / f"commitment-{inspection.pk}.pdf"
    path.write_bytes(build_document(job))
    return path


def words(path, tmp_path) -> str:
    return " ".join(pdftotext(path, tmp_path).split())


def image_count(path) -> int:
    exe = shutil.which("pdfimages")
    assert exe, "pdfimages (poppler-utils) is missing"
    listing = subprocess.run([exe, "-list", str(path)], capture_output=True, text=True, check=True)
    return len([row for row in listing.stdout.splitlines()[2:] if row.split()[2] == "image"])


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"missing after position {position}: {part!r} in {text!r}"
        position = found + len(part)


def test_a_signed_commitment_prints_numbered_with_the_drawn_signature(
    client, officer, cafe, checklist, django_capture_on_commit_callbacks, tmp_path
):
    inspection = record_with_commitment(client, officer, cafe, checklist)
    commitment = Commitment.objects.get(inspection=inspection)
    entry = RegisterEntry.objects.get(kind="commitment", object_id=commitment.pk)
    assert (entry.number, entry.symbol, entry.ward_id) == (1, "CK", cafe.ward_id)

    # The inspection page offers the print button.
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert reverse("inspections:commitment_pdf", args=[inspection.pk]) in page
    assert "In bản cam kết" in page

    path = print_commitment(client, django_capture_on_commit_callbacks, officer, inspection, tmp_path)
    text = words(path, tmp_path)
    inspection_number = RegisterEntry.objects.get(kind="inspection_record", object_id=inspection.pk)
    assert_in_order(
        text,
        [
            # pdftotext reads the heading table row by row.
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "CÔNG AN PHƯỜNG ĐIỆN BIÊN",
            "Số: 01/CK",
            "BẢN CAM KẾT",
            "tại cơ sở Cà phê Lê Trực",
            f"(Biên bản kiểm tra số {inspection_number.number_text})",
            f"Người cam kết: ông (bà) {cafe.owner_name}, chủ cơ sở của cơ sở Cà phê Lê Trực",
            "Nội dung cam kết: Thu dọn bàn ghế khỏi vỉa hè",
            "Thời hạn thực hiện: 15/01/2030.",
            "NGƯỜI CAM KẾT",
            "CÁN BỘ KIỂM TRA",
            cafe.owner_name,
            "Thiếu tá, Cảnh sát khu vực",
            "Phạm Quốc Huy",
        ],
    )
    assert "DỰ THẢO" not in text and "từ chối ký" not in text.lower()
    assert image_count(path) == 1  # the owner's drawn signature, in its block


def test_a_refused_commitment_prints_the_refusal_and_the_witness_without_an_image(
    client, officer, cafe, checklist, django_capture_on_commit_callbacks, tmp_path
):
    inspection = record_with_commitment(
        client,
        officer,
        cafe,
        checklist,
        refused_to_sign="on",
        witness_name="Nguyễn Văn Tư",
        refusal_reason="Chủ cơ sở không đồng ý nội dung",
    )
    path = print_commitment(client, django_capture_on_commit_callbacks, officer, inspection, tmp_path)
    text = words(path, tmp_path)
    assert_in_order(
        text,
        [
            "Số: 01/CK",
            "BẢN CAM KẾT",
            "NGƯỜI CAM KẾT",
            "(Từ chối ký)",
            "Người chứng kiến việc từ chối ký: Nguyễn Văn Tư",
        ],
    )
    assert image_count(path) == 0


def test_commitment_numbers_are_gapless_per_ward_and_apart_from_inspection_records(
    client, officer, bob, cafe, checklist
):
    first = record_with_commitment(client, officer, cafe, checklist)
    # An inspection without a commitment takes an inspection-record number, no commitment number.
    client.force_login(officer)
    assert client.post(new_url(cafe), form_data(cafe, checklist, officer)).status_code == 302
    second = record_with_commitment(client, officer, cafe, checklist)
    numbers = [
        RegisterEntry.objects.get(kind="commitment", object_id=Commitment.objects.get(inspection=i).pk).number
        for i in (first, second)
    ]
    assert numbers == [1, 2]
    assert list(
        RegisterEntry.objects.filter(kind="inspection_record")
        .order_by("number")
        .values_list("number", flat=True)
    ) == [1, 2, 3]


def test_another_ward_and_an_inspection_without_commitment_get_404(client, officer, bob, cafe, checklist):
    inspection = record_with_commitment(client, officer, cafe, checklist)
    client.force_login(bob)
    assert client.post(reverse("inspections:commitment_pdf", args=[inspection.pk])).status_code == 404
    client.force_login(officer)
    assert client.post(new_url(cafe), form_data(cafe, checklist, officer)).status_code == 302
    without = Inspection.objects.filter(commitment__isnull=True).get()
    assert client.post(reverse("inspections:commitment_pdf", args=[without.pk])).status_code == 404
    assert not DocumentJob.objects.filter(kind="commitment").exists()


def test_a_commitment_without_a_register_line_prints_as_a_draft_without_number(
    client, officer, cafe, checklist, django_capture_on_commit_callbacks, tmp_path
):
    inspection = record_with_commitment(client, officer, cafe, checklist)
    # A commitment the register never numbered (none left after the migration; kept as a guard).
    RegisterEntry.objects.filter(kind="commitment").delete()
    path = print_commitment(client, django_capture_on_commit_callbacks, officer, inspection, tmp_path)
    text = words(path, tmp_path)
    assert "DỰ THẢO" in text and "BẢN CAM KẾT" in text
    assert "Số: 01/CK" not in text and "/CK" not in text
