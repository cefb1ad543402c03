"""Issuing official documents (#29): signed once in the render pipeline, stored as issued.

A document kind that names its register line (`DocumentKind.issued_entry`) is, once numbered,
an *issued* document: its job's version is the register line itself, so asking again returns
the same job, and the first render signs the PDF and keeps its bytes with their SHA-256 in
`IssuedDocument`. Every later render of that line (a retry, a lost job) returns those bytes:
nothing is rendered again after signing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign.timestamps import TimestampRequestError

from wards.models import Ward

from . import registry, signing
from .errors import TransientDocumentError
from .models import (
    CertificateSource,
    DocumentJob,
    IssuedDocument,
    RegisterEntry,
    SigningCertificate,
)

logger = logging.getLogger(__name__)

ISSUED_VERSION_PREFIX = "issued:"
# No 0/O, 1/I/L, U/V, 5/S, 8/B, 2/Z: what remains cannot be misread on paper or typed wrong.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 10
EXPIRY_WARNING_DAYS = 30


# --- the verification code ------------------------------------------------------------------
def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """What a person typed ("k3xq7-9mfaw") as a stored code, or None when it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -–.·_")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def verification_url(code: str) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("verify:document", kwargs={"code": code})


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a small black-and-white PNG, four pixels a module (sharp when
    printed at 24 mm). Drawn from the matrix in one go: qrcode's own image drawing, module by
    module, and its choice of a mask took most of what the QR code added to a document."""
    from PIL import Image

    # A fixed mask: every mask is valid, and choosing the "best" of eight costs 40 ms in Python.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = image.resize((size * 4, size * 4), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def issued_document_for(entry: RegisterEntry) -> IssuedDocument:
    """The entry's issued document, created with a fresh code the first time."""
    existing = IssuedDocument.objects.filter(entry=entry).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(entry=entry, code=new_code())
        except IntegrityError:
            existing = IssuedDocument.objects.filter(entry=entry).first()
            if existing is not None:  # another render created it meanwhile
                return existing
            # else the code was taken (one chance in 10^13): draw again
    raise RuntimeError("could not draw a unique verification code")


# --- certificates ---------------------------------------------------------------------------
def ward_certificates(ward_id: int) -> list[SigningCertificate]:
    return list(SigningCertificate.objects.filter(ward_id=ward_id).order_by("-not_before", "-pk"))


def certificate_store(
    *, ward: Ward, data: bytes | None, password: str, source: str, keep_key: bool = True
) -> SigningCertificate:
    """Record a ward's certificate from a PKCS#12 file. With `keep_key`, the file is kept and its
    password encrypted (uploaded and demo certificates); else only the certificate (one read from
    the environment, whose file stays where it is)."""
    facts, _key = signing.read_pkcs12(data, password)
    row = SigningCertificate.objects.filter(fingerprint=facts.fingerprint).first()
    if row is not None and row.ward_id != ward.pk:
        raise ValueError("Chứng thư số này đã được cài cho một đơn vị khác.")
    if row is None:
        row = SigningCertificate(ward=ward, fingerprint=facts.fingerprint)
    row.source = source
    row.subject, row.issuer, row.serial_number = facts.subject, facts.issuer, facts.serial_number
    row.not_before, row.not_after = facts.not_before, facts.not_after
    row.certificate_der, row.chain_pem = facts.der, facts.chain_pem
    if keep_key:
        row.pkcs12 = data
        row.password_encrypted = signing.encrypt_password(password)
    row.save()
    return row


def certificate_revoke(*, certificate: SigningCertificate, when: datetime.datetime, reason: str = "") -> None:
    certificate.revoked_at = when
    certificate.revocation_reason = reason[:255]
    certificate.save(update_fields=["revoked_at", "revocation_reason"])


def _environment_credentials(ward: Ward) -> tuple[bytes, str] | None:
    path = getattr(settings, "SIGNING_PKCS12_PATH", "")
    wanted = getattr(settings, "SIGNING_PKCS12_WARD", "")
    if not path or (wanted and wanted != ward.code):
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read(), getattr(settings, "SIGNING_PKCS12_PASSWORD", "")
    except OSError as exc:
        raise signing.SigningUnavailable(
            f"Không đọc được tệp chứng thư số SIGNING_PKCS12_PATH: {exc}"
        ) from exc


def _usable(now: datetime.datetime) -> Q:
    return Q(revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)


def signing_credentials(ward: Ward) -> tuple[SigningCertificate, bytes, str]:
    """The certificate row, PKCS#12 bytes and password the ward signs with now: its newest usable
    uploaded (or demo) certificate, else the environment's. SigningUnavailable otherwise."""
    now = timezone.now()
    row = (
        SigningCertificate.objects.filter(ward=ward, pkcs12__isnull=False)
        .exclude(password_encrypted="")
        .filter(_usable(now))
        .order_by("-not_before", "-pk")
        .first()
    )
    if row is not None:
        return row, bytes(row.pkcs12), signing.decrypt_password(row.password_encrypted)
    from_env = _environment_credentials(ward)
    if from_env is not None:
        data, password = from_env
        try:
            row = certificate_store(
                ward=ward, data=data, password=password, source=CertificateSource.ENVIRONMENT, keep_key=False
            )
        except ValueError as exc:
            raise signing.SigningUnavailable(str(exc)) from exc
        if row.revoked_at is not None or not (row.not_before <= now < row.not_after):
            raise signing.SigningUnavailable(
                "Chứng thư số trong SIGNING_PKCS12_PATH đã hết hạn hoặc bị thu hồi: hãy cài chứng thư mới."
            )
        return row, data, password
    if (
        getattr(settings, "SIGNING_DEMO_CERTIFICATES", False)
        and not SigningCertificate.objects.filter(ward=ward).exists()
    ):
        demo_certificates_ensure([ward])
        return signing_credentials(ward)
    raise signing.SigningUnavailable(
        "Đơn vị chưa có chứng thư số còn hiệu lực để ký văn bản. Quản trị viên cần cài chứng thư số "
        "(tệp PKCS#12) cho đơn vị trong trang quản trị."
    )


@dataclass(frozen=True)
class CertificateStatus:
    certificate: SigningCertificate | None
    days_left: int | None
    expiring: bool
    expired: bool


def certificate_status(ward_id: int) -> CertificateStatus:
    """The certificate the ward signs with now, and whether it expires within 30 days."""
    now = timezone.now()
    row = (
        SigningCertificate.objects.filter(ward_id=ward_id, revoked_at__isnull=True)
        .order_by("-not_after", "-pk")
        .first()
    )
    if row is None:
        return CertificateStatus(None, None, False, False)
    days = (row.not_after - now).days
    return CertificateStatus(
        row, days, 0 <= days < EXPIRY_WARNING_DAYS and row.not_after > now, row.not_after <= now
    )


# --- the demo CA (make run, seed_demo) ------------------------------------------------------
DEMO_CA_NAME = "DEMO CA thử nghiệm Công an phường"
# The organisation of demo certificates says what they are worth.
DEMO_ORGANISATION = "DEMO - không có giá trị pháp lý"


def demo_certificates_ensure(wards) -> int:
    """A demo CA and a certificate per ward that has none; returns how many were made."""
    made = 0
    ca = None
    for ward in wards:
        if SigningCertificate.objects.filter(ward=ward).exists():
            continue
        if ca is None:
            ca = signing.make_ca(DEMO_CA_NAME, organisation=DEMO_ORGANISATION)
        ca_cert, ca_key = ca
        cert, key = signing.make_unit_certificate(
            ca_cert, ca_key, f"{ward.document_unit_name} (DEMO)", organisation=DEMO_ORGANISATION
        )
        password = signing.random_password()
        data = signing.pkcs12_bytes(cert, key, [ca_cert], password, friendly_name=ward.code)
        certificate_store(ward=ward, data=data, password=password, source=CertificateSource.DEMO)
        made += 1
    return made


# --- issuing in the render pipeline ---------------------------------------------------------
def issued_entry_for_job(kind: registry.DocumentKind, object_id: int) -> RegisterEntry | None:
    if kind.issued_entry is None:
        return None
    return kind.issued_entry(object_id)


def issued_version(entry: RegisterEntry) -> str:
    return f"{ISSUED_VERSION_PREFIX}{entry.pk}"


def entry_of_job(job: DocumentJob) -> RegisterEntry | None:
    if not job.version.startswith(ISSUED_VERSION_PREFIX):
        return None
    return RegisterEntry.objects.select_related("ward", "signer").get(
        pk=int(job.version[len(ISSUED_VERSION_PREFIX) :])
    )


def verification_context(issued: IssuedDocument) -> dict:
    url = verification_url(issued.code)
    entry = issued.entry
    signer = entry.signer
    return {
        "code": display_code(issued.code),
        "url": url,
        "qr_uri": qr_data_uri(url),
        "signer_name": (signer.get_full_name() or signer.username) if signer else "",
        "signer_position": getattr(signer, "rank_title", "") if signer else "",
        "unit": entry.ward.document_unit_name,
    }


def _signature_text(entry: RegisterEntry) -> signing.SignatureText:
    signer = entry.signer
    return signing.SignatureText(
        unit=entry.ward.document_unit_name,
        signer_name=(signer.get_full_name() or signer.username) if signer else "",
        signer_position=getattr(signer, "rank_title", "") if signer else "",
    )


def issued_pdf(job: DocumentJob, entry: RegisterEntry, render) -> tuple[bytes, str]:
    """The bytes of `entry`'s issued document and their storage name: the stored ones when it
    was issued already, else `render(verification_context)` signed now and stored once."""
    issued = issued_document_for(entry)
    if issued.is_signed:
        with issued.file.open("rb") as fh:
            return fh.read(), issued.file.name
    credentials = signing_credentials(entry.ward)
    certificate, data, password = credentials
    pdf = render(verification_context(issued))
    try:
        signed, profile = signing.sign_pdf(
            pdf,
            pkcs12_data=data,
            password=password,
            text=_signature_text(entry),
            tsa_url=getattr(settings, "SIGNING_TSA_URL", ""),
        )
    except TimestampRequestError as exc:
        # The timestamp authority is away: worth another try later (the task retries).
        raise TransientDocumentError(
            "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (SIGNING_TSA_URL); sẽ thử lại."
        ) from exc
    # A name of its own per attempt: a render that loses the race below never overwrites the
    # winner's file.
    name = f"documents/issued/{entry.ward_id}/{issued.code}-{secrets.token_hex(4)}.pdf"
    saved = default_storage.save(name, ContentFile(signed))
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=issued.pk)
        if locked.is_signed:
            default_storage.delete(saved)
            with locked.file.open("rb") as fh:
                return fh.read(), locked.file.name
        locked.file.name = saved
        locked.sha256 = hashlib.sha256(signed).hexdigest()
        locked.size = len(signed)
        locked.certificate = certificate
        locked.profile = profile
        locked.signed_at = timezone.now()
        locked.save(update_fields=["file", "sha256", "size", "certificate", "profile", "signed_at"])
    logger.info("documents: issued %s signed (%s, %d bytes)", entry, profile, len(signed))
    return signed, saved


# --- status changes -------------------------------------------------------------------------
def register_supersede(*, old: object, new_entry: RegisterEntry) -> int:
    """Mark every register line of `old` (a record replaced by an amendment) superseded by
    `new_entry`. Call it in the transaction that signs the amendment."""
    from django.contrib.contenttypes.models import ContentType

    return (
        RegisterEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(old), object_id=old.pk, superseded_by__isnull=True
        )
        .exclude(pk=new_entry.pk)
        .update(superseded_by=new_entry)
    )


def register_withdraw(*, entry: RegisterEntry, on: datetime.date, reason: str) -> None:
    entry.withdrawn_on = on
    entry.withdrawal_reason = reason[:255]
    entry.save(update_fields=["withdrawn_on", "withdrawal_reason"])
