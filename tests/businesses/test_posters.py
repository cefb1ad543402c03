"""QR posters: the PDF (A4, A5, a whole street or group) and the PNG, decoded like a phone would."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from businesses.models import BusinessStatus
from businesses.public import public_url, short_code
from documents.models import DocumentJob, DocumentStatus
from tests.businesses.factories import BusinessFactory
from tests.documents.helpers import pdftotext
from tests.factories import ResidentialGroupFactory, StreetFactory

pytestmark = pytest.mark.django_db


def zbar(path) -> list[str]:
    """What a QR scanner reads in an image (zbarimg, installed by .ci/run)."""
    exe = shutil.which("zbarimg")
    if not exe:
        pytest.fail("zbarimg is missing: apt-get install zbar-tools (.ci/run installs it)")
    out = subprocess.run(
        [exe, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)], capture_output=True, text=True
    )
    return [line for line in out.stdout.splitlines() if line]


def pdf_page_images(pdf: bytes, tmp_path) -> list:
    source = tmp_path / "poster.pdf"
    source.write_bytes(pdf)
    exe = shutil.which("pdftoppm") or pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    subprocess.run([exe, "-r", "110", "-png", str(source), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page*.png"))


@pytest.fixture
def cafe(ward_a):
    return BusinessFactory(ward=ward_a, name="Cà phê Hòa Bình", house_number="27")


@pytest.fixture
def ask_poster(client, django_capture_on_commit_callbacks, media_root):
    def ask(user, business, size="a4"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("business_documents:poster", args=[business.pk]), {"size": size})
        return response

    return ask


def test_asking_for_a_poster_answers_with_the_document_status_page(ask_poster, alice, cafe):
    response = ask_poster(alice, cafe)
    job = DocumentJob.objects.get()
    assert reverse("business_documents:poster", args=[cafe.pk]) == f"/businesses/{cafe.pk}/poster/"
    assert response.status_code == 302 and response["Location"] == f"/documents/{job.pk}/"
    assert job.status == DocumentStatus.DONE and job.kind == "business-poster-a4"
    assert job.filename.startswith("ap-phich-qr-A4-ca-phe-hoa-binh")


def test_the_poster_pdf_reads_as_a_poster_and_its_qr_opens_the_public_page(ask_poster, alice, cafe, tmp_path):
    ask_poster(alice, cafe)
    pdf = DocumentJob.objects.get().file.read()
    text = pdftotext(pdf, tmp_path)
    assert "Cà phê Hòa Bình" in text
    assert "Số 27" in text
    assert short_code(cafe.public_token) in text
    assert "Cơ sở kinh doanh đã đăng ký".upper() in text.upper()
    assert "Ngày cấp:" in text
    assert "Trần Văn Bình" not in text and "0912345689" not in text
    [page] = pdf_page_images(pdf, tmp_path)
    assert zbar(page) == [public_url(cafe.public_token)]


def test_an_a5_poster_is_a5(ask_poster, alice, cafe):
    ask_poster(alice, cafe, size="a5")
    reader = PdfReader(io.BytesIO(DocumentJob.objects.get().file.read()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (148, 210)


def test_an_unknown_paper_size_is_refused(ask_poster, alice, cafe):
    assert ask_poster(alice, cafe, size="a0").status_code == 400
    assert not DocumentJob.objects.exists()


def test_the_qr_png_decodes_to_exactly_the_public_url(client, alice, cafe, tmp_path):
    client.force_login(alice)
    response = client.get(reverse("business_documents:poster_png", args=[cafe.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    path = tmp_path / "qr.png"
    path.write_bytes(response.content)
    assert Image.open(path).format == "PNG"
    assert zbar(path) == [public_url(cafe.public_token)]


def test_the_qr_png_of_another_ward_is_not_found(client, bob, cafe):
    client.force_login(bob)
    assert client.get(reverse("business_documents:poster_png", args=[cafe.pk])).status_code == 404


def test_the_chairman_may_print_a_poster(ask_poster, charlie, cafe, tmp_path):
    response = ask_poster(charlie, cafe)
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{job.pk}/"
    assert (job.kind, job.object_id, job.requested_by, job.status) == (
        "business-poster-a4",
        cafe.pk,
        charlie,
        DocumentStatus.DONE,
    )
    assert "Cà phê Hòa Bình" in pdftotext(job.file.read(), tmp_path)


def test_a_streets_posters_come_in_one_pdf_one_page_each(
    client, alice, ward_a, tmp_path, django_capture_on_commit_callbacks, media_root
):
    street = StreetFactory(ward=ward_a, name="Phố Hàng Bông")
    open_ones = [BusinessFactory(ward=ward_a, street=street, name=f"Quán số {i}") for i in range(3)]
    BusinessFactory(ward=ward_a, street=street, name="Quán đã đóng", status=BusinessStatus.CLOSED)
    BusinessFactory(ward=ward_a, name="Quán phố khác")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("business_documents:street_posters", args=[street.pk]), {"size": "a4"})
    job = DocumentJob.objects.get()
    assert response["Location"] == f"/documents/{job.pk}/"
    assert job.status == DocumentStatus.DONE and job.progress == 100
    pdf = job.file.read()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    text = pdftotext(pdf, tmp_path)
    for business in open_ones:
        assert business.name in text and short_code(business.public_token) in text
    assert "Quán đã đóng" not in text and "Quán phố khác" not in text
    decoded = [url for page in pdf_page_images(pdf, tmp_path) for url in zbar(page)]
    assert sorted(decoded) == sorted(public_url(b.public_token) for b in open_ones)


def test_a_residential_groups_posters_and_another_wards_group(
    client, alice, bob, ward_a, django_capture_on_commit_callbacks, media_root
):
    group = ResidentialGroupFactory(ward=ward_a)
    BusinessFactory(ward=ward_a, residential_group=group)
    url = reverse("business_documents:group_posters", args=[group.pk])
    client.force_login(bob)
    assert client.post(url, {"size": "a5"}).status_code == 404
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"size": "a5"}).status_code == 302
    assert DocumentJob.objects.get().kind == "group-posters-a5"


def test_the_posters_page_lists_the_wards_streets_and_groups(
    client, alice, ward_a, ward_b, django_assert_max_num_queries
):
    street = StreetFactory(ward=ward_a, name="Phố Điện Biên Phủ")
    BusinessFactory(ward=ward_a, street=street)
    StreetFactory(ward=ward_b, name="Phố Của Phường Khác")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("business_documents:posters")).content.decode()
    assert "Phố Điện Biên Phủ" in html and "Phố Của Phường Khác" not in html
    assert "In áp phích mã QR theo địa bàn" in html


def test_a_leader_withdraws_the_code_after_confirming(client, lena, cafe, django_capture_on_commit_callbacks):
    url = reverse("business_documents:withdraw_code", args=[cafe.pk])
    old = cafe.public_token
    client.force_login(lena)
    page = client.get(url)
    assert "Thu hồi mã công khai" in page.content.decode()
    refused = client.post(url, {"reason": "Mất áp phích"})
    assert refused.status_code == 400 and "Hãy đánh dấu ô để xác nhận." in refused.content.decode()
    cafe.refresh_from_db()
    assert cafe.public_token == old
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "Mất áp phích", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/businesses/{cafe.pk}/"
    cafe.refresh_from_db()
    assert cafe.public_token != old
    assert cafe.withdrawn_tokens.get().reason == "Mất áp phích"
    assert client.get(f"/p/{old}/").status_code == 410


def test_officers_and_the_chairman_cannot_withdraw_a_code(client, alice, charlie, cafe):
    url = reverse("business_documents:withdraw_code", args=[cafe.pk])
    for user in (alice, charlie):
        client.force_login(user)
        assert client.post(url, {"confirm": "on"}).status_code == 403
    assert not cafe.withdrawn_tokens.exists()
