"""#29: official documents are signed (PAdES, pyHanko) when issued, stored as issued, and anyone
checks them at /v/<code>/: the register's facts, and an uploaded PDF's verdict."""

import datetime
import hashlib
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from accounts.roles import Role
from documents import issuing, services, signing
from documents.models import (
    CertificateSource,
    DocumentJob,
    DocumentStatus,
    IssuedDocument,
    RegisterEntry,
    RegisterKind,
    SigningCertificate,
)
from documents.register import register_entry_for, register_issue
from documents.registry import DocumentKind, fingerprint, register, unregister
from tests.factories import UserFactory
from wards.models import Ward

from .helpers import pdftotext

pytestmark = pytest.mark.django_db

ISSUED = "test-issued-sheet"
DAY = datetime.date(2026, 3, 5)
VIOLATOR = "Nguyễn Thị Hoa"


def _context(pk: int) -> dict:
    ward = Ward.objects.get(pk=pk)
    entry = register_entry_for(ward, RegisterKind.INSPECTION_RECORD)
    return {
        "number": entry.number_text if entry else "",
        "document_title": "Biên bản kiểm tra",
        "document_subtitle": f"Về việc kiểm tra tại {ward.name}",
        "signers": [{"role": "TRƯỞNG CÔNG AN PHƯỜNG", "name": "Lê Văn Lâm"}],
    }


def issued_kind_definition() -> DocumentKind:
    """A one-page official document over a ward, issued once the ward has its register line."""
    return DocumentKind(
        kind=ISSUED,
        title="Biên bản kiểm tra",
        template="documents/official_base.html",
        build_context=_context,
        version=lambda pk: fingerprint(list(Ward.objects.filter(pk=pk).values_list("name"))),
        ward_id=lambda pk: pk,
        filename=lambda pk: f"Biên bản {pk}",
        issued_entry=lambda pk: register_entry_for(Ward(pk=pk), RegisterKind.INSPECTION_RECORD),
    )


@pytest.fixture(autouse=True)
def issued_kind():
    register(issued_kind_definition())
    yield
    unregister(ISSUED)


@pytest.fixture
def leader(ward_a):
    return UserFactory(
        username="lam",
        full_name="Lê Văn Lâm",
        ward=ward_a,
        role=Role.LEADER,
        rank_title="Trưởng Công an phường",
    )


def issue_entry(ward, signer, kind=RegisterKind.INSPECTION_RECORD, obj=None, title=None):
    return register_issue(
        ward=ward,
        kind=kind,
        year=DAY.year,
        issued_on=DAY,
        title=title or f"Biên bản kiểm tra: {VIOLATOR}",
        signer=signer,
        obj=obj or ward,
    )


@pytest.fixture
def issued_pdf(ward_a, leader, ask):
    """The signed PDF of ward A's issued document, and its IssuedDocument."""
    entry = issue_entry(ward_a, leader)
    job = ask(leader, ward_a.pk, kind=ISSUED)
    job.refresh_from_db()
    assert job.status == DocumentStatus.DONE, job.error
    return job.file.read(), IssuedDocument.objects.get(entry=entry)


def ward_roots(ward) -> list:
    roots = []
    for row in SigningCertificate.objects.filter(ward=ward):
        roots += [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in signing.load_chain(row.chain_pem)
        ]
    return roots


def upload(client, issued, data: bytes, name="van-ban.pdf"):
    return client.post(
        reverse("verify:document", kwargs={"code": issued.code}),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def flip_one_byte(pdf: bytes) -> bytes:
    """Change one byte inside the first content stream (the file stays a readable PDF)."""
    start = pdf.index(b"stream\n") + len(b"stream\n")
    changed = bytearray(pdf)
    changed[start + 20] ^= 0x01
    return bytes(changed)


def other_ca_pdf(pdf_unsigned: bytes, unit_name: str) -> bytes:
    ca, ca_key = signing.make_ca("CA khác (DEMO)")
    cert, key = signing.make_unit_certificate(ca, ca_key, unit_name)
    data = signing.pkcs12_bytes(cert, key, [ca], "pw")
    signed, _profile = signing.sign_pdf(
        pdf_unsigned, pkcs12_data=data, password="pw", text=signing.SignatureText(unit_name, "Kẻ giả", "")
    )
    return signed


# --- signing --------------------------------------------------------------------------------


def test_an_issued_document_is_signed_and_pyhankos_validator_accepts_it(issued_pdf, ward_a):
    pdf, issued = issued_pdf
    [signature] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=ward_roots(ward_a), allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    # The signature names the signer, their position and the unit.
    assert signature.sig_object["/Name"] == "Lê Văn Lâm"
    assert "Trưởng Công an phường" in signature.sig_object["/Reason"]
    assert signature.sig_object["/Location"] == ward_a.document_unit_name
    assert "DEMO" in signature.signer_cert.subject.human_friendly
    # Stored once, with its SHA-256, in the register's issued document.
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest() and issued.size == len(pdf)
    assert issued.profile == "PAdES-B-B" and issued.certificate.ward == ward_a


def test_the_printed_document_carries_its_verification_block(issued_pdf, tmp_path):
    pdf, issued = issued_pdf
    text = " ".join(pdftotext(pdf, tmp_path).split())
    assert f"Văn bản được ký số bởi {issued.entry.ward.document_unit_name}" in text
    assert "người ký: Lê Văn Lâm (Trưởng Công an phường)" in text
    assert f"Mã tra cứu: {issuing.display_code(issued.code)}" in text
    assert issuing.verification_url(issued.code) in text
    assert "{#" not in text and "#29" not in text  # no template comment leaks into the print


def test_the_printed_qr_code_decodes_to_the_verification_page(issued_pdf, tmp_path):
    pdf, issued = issued_pdf
    (tmp_path / "doc.pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm") or pytest.fail("pdftoppm is missing: apt-get install poppler-utils")
    zbarimg = shutil.which("zbarimg") or pytest.fail("zbarimg is missing: apt-get install zbar-tools")
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True
    )
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(
            [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
            capture_output=True,
            text=True,
        )
        found += [line for line in out.stdout.splitlines() if line]
    # PUBLIC_BASE_URL + /v/<code>/: the verification page of this very document.
    assert found == [issuing.verification_url(issued.code)]
    assert found[0].endswith(f"/v/{issued.code}/")


def test_every_later_download_returns_the_issued_bytes_and_nothing_is_rendered_again(
    issued_pdf, ward_a, leader, ask, monkeypatch, client
):
    pdf, issued = issued_pdf
    # The record changes afterwards: still the same document, the same job.
    Ward.objects.filter(pk=ward_a.pk).update(name="Phường Điện Biên Phủ")
    job = ask(leader, ward_a.pk, kind=ISSUED)
    assert DocumentJob.objects.filter(kind=ISSUED).count() == 1

    def no_render(*args, **kwargs):
        raise AssertionError("an issued document must not be rendered again")

    # A lost job rendered again returns the stored bytes, without rendering or signing.
    monkeypatch.setattr(services, "build_document", no_render)
    monkeypatch.setattr(signing, "sign_pdf", no_render)
    DocumentJob.objects.filter(pk=job.pk).update(status=DocumentStatus.QUEUED, task_id="")
    services.document_job_render(job_id=job.pk, task_id="again")
    job.refresh_from_db()
    assert job.status == DocumentStatus.DONE and job.file.read() == pdf
    client.force_login(leader)
    response = client.get(reverse("documents:download", args=[job.pk]))
    assert b"".join(response.streaming_content) == pdf
    assert IssuedDocument.objects.get().sha256 == hashlib.sha256(pdf).hexdigest()


def test_a_draft_is_not_signed_and_carries_no_verification_block(ward_a, leader, ask, tmp_path):
    job = ask(leader, ward_a.pk, kind=ISSUED)
    job.refresh_from_db()
    pdf = job.file.read()
    assert PdfFileReader(BytesIO(pdf)).embedded_signatures == []
    assert "Mã tra cứu" not in pdftotext(pdf, tmp_path)
    assert not IssuedDocument.objects.exists()


def test_without_any_certificate_in_production_the_document_fails_with_a_clear_message(
    ward_a, leader, ask, settings
):
    settings.SIGNING_DEMO_CERTIFICATES = False
    issue_entry(ward_a, leader)
    job = ask(leader, ward_a.pk, kind=ISSUED)
    job.refresh_from_db()
    assert job.status == DocumentStatus.FAILED
    assert "chưa có chứng thư số còn hiệu lực" in job.error
    assert IssuedDocument.objects.get().sha256 == ""  # code drawn, nothing issued


def test_a_certificate_from_the_environment_signs_when_none_is_uploaded(
    ward_a, leader, ask, settings, tmp_path
):
    ca, ca_key = signing.make_ca("CA của Bộ (thử)", organisation="Bộ Công an")
    cert, key = signing.make_unit_certificate(
        ca, ca_key, "Công an phường Điện Biên", organisation="Bộ Công an"
    )
    path = tmp_path / "unit.p12"
    path.write_bytes(signing.pkcs12_bytes(cert, key, [ca], "mật-khẩu"))
    settings.SIGNING_DEMO_CERTIFICATES = False
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "mật-khẩu"
    settings.SIGNING_PKCS12_WARD = ward_a.code
    issue_entry(ward_a, leader)
    ask(leader, ward_a.pk, kind=ISSUED)
    issued = IssuedDocument.objects.select_related("certificate").get()
    assert issued.certificate.source == CertificateSource.ENVIRONMENT
    assert "Bộ Công an" in issued.certificate.subject
    # Only the certificate is recorded: the key stays in the file the environment names.
    assert issued.certificate.pkcs12 is None and issued.certificate.password_encrypted == ""


def test_an_uploaded_certificates_password_is_not_kept_in_clear(ward_a):
    ca, ca_key = signing.make_ca("CA thử")
    cert, key = signing.make_unit_certificate(ca, ca_key, "Công an phường Điện Biên")
    data = signing.pkcs12_bytes(cert, key, [ca], "Bí-mật-2026")
    row = issuing.certificate_store(ward=ward_a, data=data, password="Bí-mật-2026", source="upload")
    stored = SigningCertificate.objects.get(pk=row.pk)
    assert "Bí-mật-2026" not in stored.password_encrypted
    assert b"B\xc3\xad-m\xe1\xba\xadt" not in bytes(stored.pkcs12)
    assert signing.decrypt_password(stored.password_encrypted) == "Bí-mật-2026"
    with pytest.raises(ValueError, match="sai mật khẩu"):
        issuing.certificate_store(ward=ward_a, data=data, password="sai", source="upload")


def test_b_t_when_a_timestamp_authority_is_configured(ward_a, leader, ask, settings):
    with timestamp_authority() as (url, tsa_root):
        settings.SIGNING_TSA_URL = url
        issue_entry(ward_a, leader)
        job = ask(leader, ward_a.pk, kind=ISSUED)
        job.refresh_from_db()
        assert job.status == DocumentStatus.DONE, job.error
    issued = IssuedDocument.objects.get()
    assert issued.profile == "PAdES-B-T"
    [signature] = PdfFileReader(BytesIO(job.file.read())).embedded_signatures
    context = ValidationContext(trust_roots=[*ward_roots(ward_a), tsa_root], allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


# --- the public page ----------------------------------------------------------------------


def test_the_page_shows_the_registers_facts(client, issued_pdf, ward_a):
    _pdf, issued = issued_pdf
    response = client.get(f"/v/{issued.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Biên bản kiểm tra" in page and "01/BB-KT" in page and "05/03/2026" in page
    assert ward_a.document_unit_name in page
    assert "Còn hiệu lực" in page
    assert issued.sha256 in page
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="referrer" content="same-origin">' in page


def test_a_code_typed_with_a_dash_and_in_lower_case_opens_the_page(client, issued_pdf):
    _pdf, issued = issued_pdf
    typed = issuing.display_code(issued.code).lower()
    response = client.get(reverse("verify:code"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/v/{issued.code}/"


def test_unknown_and_malformed_codes_are_404(client, issued_pdf):
    _pdf, issued = issued_pdf
    unknown = ("X" if issued.code[0] != "X" else "Y") + issued.code[1:]
    for code in (unknown, "ABC", "0000000000"):
        response = client.get(f"/v/{code}/")
        assert response.status_code == 404
        assert "Không tìm thấy mã" in response.content.decode()


def test_the_page_is_throttled_like_the_other_public_pages(client, issued_pdf):
    from django.core.cache import cache

    cache.clear()
    _pdf, issued = issued_pdf
    statuses = [client.get(f"/v/{issued.code}/").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    # The same budget as the businesses' public pages (one counter per address).
    assert client.get("/p/").status_code == 429
    cache.clear()


def test_the_issued_file_uploaded_is_reported_issued_and_unchanged(client, issued_pdf):
    pdf, issued = issued_pdf
    page = upload(client, issued, pdf).content.decode()
    assert "Đây đúng là văn bản Công an phường đã ban hành, không bị thay đổi." in page


def test_one_flipped_byte_is_reported_changed_after_issue(client, issued_pdf, ward_a):
    pdf, issued = issued_pdf
    changed = flip_one_byte(pdf)
    assert len(changed) == len(pdf) and changed != pdf
    result = signing.verify_pdf(
        changed, issued_sha256=issued.sha256, certificates=issuing.ward_certificates(ward_a.pk)
    )
    assert result.verdict == signing.Verdict.CHANGED and result.signature_intact is False
    page = upload(client, issued, changed).content.decode()
    assert "Tệp này đã bị thay đổi sau khi ban hành" in page


def test_a_pdf_signed_by_another_ca_is_not_issued_by_this_unit(client, issued_pdf, ward_a):
    _pdf, issued = issued_pdf
    unsigned = services.build_document(DocumentJob.objects.get())
    forged = other_ca_pdf(unsigned, f"{ward_a.document_unit_name} (DEMO)")
    page = upload(client, issued, forged).content.decode()
    assert "Tệp này không do đơn vị này ban hành." in page


def test_an_unsigned_copy_is_not_issued_by_this_unit(client, issued_pdf):
    _pdf, issued = issued_pdf
    page = upload(client, issued, services.build_document(DocumentJob.objects.get())).content.decode()
    assert "Tệp này không do đơn vị này ban hành." in page


def test_a_damaged_pdf_is_unreadable(client, issued_pdf):
    pdf, issued = issued_pdf
    page = upload(client, issued, pdf[: len(pdf) // 3]).content.decode()
    assert "Không đọc được tệp này như một văn bản PDF." in page


def test_a_file_that_is_not_a_pdf_or_too_big_gets_a_clear_error(client, issued_pdf, settings):
    _pdf, issued = issued_pdf
    response = upload(client, issued, b"\x89PNG\r\n\x1a\nnot a pdf", name="anh.png")
    assert response.status_code == 400
    assert "Tệp này không phải là tệp PDF" in response.content.decode()
    settings.VERIFY_MAX_UPLOAD_BYTES = 1000
    response = upload(client, issued, b"%PDF-1.7\n" + b"0" * 2000)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    response = client.post(f"/v/{issued.code}/", {})
    assert response.status_code == 400 and "Trường này là bắt buộc" in response.content.decode()


def test_the_page_shows_no_personal_data_for_every_kind(client, ward_a, leader):
    officer = UserFactory(username="signer_xq", full_name="Phạm Thị Xuyến", ward=ward_a, role=Role.OFFICER)
    for index, kind in enumerate(RegisterKind.values):
        target = UserFactory(username=f"target{index}", ward=ward_a, role=Role.OFFICER)
        entry = issue_entry(
            ward_a, officer, kind=kind, obj=target, title=f"{kind}: {VIOLATOR}, CCCD 001190012345"
        )
        issued = issuing.issued_document_for(entry)
        page = client.get(f"/v/{issued.code}/").content.decode()
        assert RegisterEntry(kind=kind).get_kind_display() in page
        for private in (VIOLATOR, "001190012345", "Phạm Thị Xuyến", "Xuyến", "signer_xq", f"target{index}"):
            assert private not in page, (kind, private)


# --- status over time ---------------------------------------------------------------------


def test_a_superseded_record_says_so_and_links_to_its_amendment(client, ward_a, leader, ask):
    from tests.violations.factories import BusinessFactory, ViolationTypeFactory, record_forms
    from violations import services as violation_services
    from violations.documents import VIOLATION_RECORD

    record_forms()
    ViolationTypeFactory(code="lan-chiem-via-he", valid_from=datetime.date(2021, 12, 31))
    officer = UserFactory(username="alice2", ward=ward_a, role=Role.OFFICER)
    occurred = timezone.now() - datetime.timedelta(hours=2)
    draft = violation_services.violation_create_draft(
        business=BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa"),
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        description="Bày bàn ghế chiếm vỉa hè.",
        created_by=officer,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
        made_at=occurred,
        made_place="Trước cửa quán",
    )
    old = violation_services.violation_sign(violation=draft, signed_by=leader, violator_signed=True)
    ask(leader, old.pk, kind=VIOLATION_RECORD)
    old_issued = IssuedDocument.objects.get(entry__object_id=old.pk)
    amendment = violation_services.violation_amend(violation=old, actor=leader, reason="Ghi sai giờ.")
    new = violation_services.violation_sign(violation=amendment, signed_by=leader, violator_signed=True)
    ask(leader, new.pk, kind=VIOLATION_RECORD)
    new_issued = IssuedDocument.objects.get(entry__object_id=new.pk)

    page = client.get(f"/v/{old_issued.code}/").content.decode()
    assert "Đã được thay thế bởi văn bản số 02/BB-VPHC" in page
    assert f'href="/v/{new_issued.code}/"' in page
    assert "Còn hiệu lực" in client.get(f"/v/{new_issued.code}/").content.decode()
    # The old document's bytes stay as issued.
    assert old_issued.file.read()[:5] == b"%PDF-"


def test_a_withdrawn_document_says_so(client, issued_pdf):
    _pdf, issued = issued_pdf
    issuing.register_withdraw(entry=issued.entry, on=datetime.date(2026, 4, 1), reason="Ban hành nhầm")
    page = client.get(f"/v/{issued.code}/").content.decode()
    assert "Đã thu hồi ngày 01/04/2026" in page


def test_a_new_certificate_keeps_old_documents_verifiable_and_a_revoked_one_is_shown(
    client, issued_pdf, ward_a, leader, ask
):
    old_pdf, old_issued = issued_pdf
    old_certificate = old_issued.certificate
    # The ward installs its real certificate, from another CA, later.
    ca, ca_key = signing.make_ca("CA chuyên dùng (thử)", organisation="Ban Cơ yếu")
    cert, key = signing.make_unit_certificate(
        ca, ca_key, "Công an phường Điện Biên", organisation="Ban Cơ yếu", not_before=timezone.now()
    )
    new_certificate = issuing.certificate_store(
        ward=ward_a, data=signing.pkcs12_bytes(cert, key, [ca], "pw"), password="pw", source="upload"
    )
    second = issue_entry(ward_a, leader, obj=leader)
    from documents.models import DocumentJob as Job

    job = Job.objects.create(
        kind=ISSUED,
        object_id=ward_a.pk,
        ward=ward_a,
        version=issuing.issued_version(second),
        title="x",
        filename="x.pdf",
    )
    services.document_job_render(job_id=job.pk, task_id="t2")
    new_issued = IssuedDocument.objects.get(entry=second)
    assert new_issued.certificate == new_certificate

    assert "không bị thay đổi" in upload(client, old_issued, old_pdf).content.decode()
    result = signing.verify_pdf(
        old_pdf, issued_sha256=old_issued.sha256, certificates=issuing.ward_certificates(ward_a.pk)
    )
    assert result.signature_trusted and result.signature_intact
    new_pdf = new_issued.file.read()
    assert "không bị thay đổi" in upload(client, new_issued, new_pdf).content.decode()

    issuing.certificate_revoke(
        certificate=old_certificate,
        when=timezone.make_aware(datetime.datetime(2026, 6, 1, 9)),
        reason="Lộ khóa",
    )
    page = client.get(f"/v/{old_issued.code}/").content.decode()
    assert "Chứng thư số dùng để ký văn bản này đã bị thu hồi ngày 01/06/2026." in page
    assert "đã bị thu hồi" not in client.get(f"/v/{new_issued.code}/").content.decode()
    # A revoked certificate signs nothing more.
    row, _data, _password = issuing.signing_credentials(ward_a)
    assert row == new_certificate


def test_the_registers_export_carries_each_issued_files_code_sha256_and_status(client, issued_pdf, leader):
    import io

    from openpyxl import load_workbook

    _pdf, issued = issued_pdf
    client.force_login(leader)
    response = client.get("/register/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][7:] == ("Mã tra cứu", "SHA-256 của tệp đã ký", "Tình trạng")
    assert rows[1][0] == "01/BB-KT" and rows[1][7:] == (issued.code, issued.sha256, "Còn hiệu lực")


# --- admin and the leader's page ----------------------------------------------------------


def test_the_admin_installs_a_wards_certificate_from_its_pkcs12_file(client, ward_a, root):
    ca, ca_key = signing.make_ca("CA thử")
    cert, key = signing.make_unit_certificate(ca, ca_key, "Công an phường Điện Biên")
    data = signing.pkcs12_bytes(cert, key, [ca], "Mật-khẩu")
    client.force_login(root)
    url = reverse("admin:documents_signingcertificate_add")
    wrong = client.post(
        url, {"ward": ward_a.pk, "pkcs12_file": SimpleUploadedFile("u.p12", data), "password": "sai"}
    )
    assert "sai mật khẩu" in wrong.content.decode() and not SigningCertificate.objects.exists()
    response = client.post(
        url, {"ward": ward_a.pk, "pkcs12_file": SimpleUploadedFile("u.p12", data), "password": "Mật-khẩu"}
    )
    assert response.status_code == 302
    row = SigningCertificate.objects.get()
    assert row.ward == ward_a and row.source == CertificateSource.UPLOAD
    assert "Công an phường Điện Biên" in row.subject and "CA thử" in row.issuer
    listing = client.get(reverse("admin:documents_signingcertificate_changelist")).content.decode()
    assert "Còn hiệu lực" in listing and row.fingerprint[:2].upper() in listing


def test_the_leader_is_warned_30_days_before_the_certificate_expires(client, ward_a, leader):
    ca, ca_key = signing.make_ca("CA thử")
    start = timezone.now() - datetime.timedelta(days=700)
    cert, key = signing.make_unit_certificate(
        ca, ca_key, "Công an phường Điện Biên", not_before=start, days=720
    )
    issuing.certificate_store(
        ward=ward_a, data=signing.pkcs12_bytes(cert, key, [ca], "pw"), password="pw", source="upload"
    )
    client.force_login(leader)
    page = client.get(reverse("my:leader")).content.decode()
    assert "Chứng thư số của đơn vị sẽ hết hạn sau 19 ngày" in page or "sẽ hết hạn sau 20 ngày" in page
    SigningCertificate.objects.update(not_after=timezone.now() + datetime.timedelta(days=60))
    assert "certificate-warning" not in client.get(reverse("my:leader")).content.decode()


# --- a local RFC 3161 timestamp authority for the B-T test ----------------------------------


class timestamp_authority:
    """An HTTP timestamp authority on 127.0.0.1 answering with pyHanko's DummyTimeStamper."""

    def __enter__(self):
        from cryptography.hazmat.primitives.asymmetric import rsa
        from pyhanko.sign.timestamps import DummyTimeStamper

        ca, ca_key = signing.make_ca("TSA root (test)")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA: RSA
        now = timezone.now() - datetime.timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA (test)")]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        root = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
        return f"http://127.0.0.1:{self.server.server_port}/", root

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
