"""Digital signatures of official documents (#29): PAdES through pyHanko, and the unit's keys.

- A ward signs with its newest usable certificate: one uploaded in the admin (its PKCS#12 file
  kept as uploaded, the password encrypted with a key derived from SECRET_KEY), else the PKCS#12
  named by the environment (`SIGNING_PKCS12_PATH`, `SIGNING_PKCS12_PASSWORD`, for the ward whose
  code is `SIGNING_PKCS12_WARD`, or for every ward when that is empty).
- PAdES B-B, or B-T (a timestamp from `SIGNING_TSA_URL`) when configured.
- Verification checks an uploaded file against the register's hash and, with pyHanko's
  validator, against the certificates the ward ever signed with (and their CAs).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone

from .errors import DocumentError

logger = logging.getLogger(__name__)


class SigningUnavailable(DocumentError):
    """The ward has no certificate it may sign with (none installed, expired or revoked)."""


# --- the password of an uploaded PKCS#12, kept encrypted ------------------------------------
def _fernet() -> Fernet:
    # A key of its own, derived from SECRET_KEY: the password is unreadable from a database dump
    # alone. Rotating SECRET_KEY means uploading the certificates again (signing says so).
    digest = hashlib.sha256(b"ward_police.documents.signing:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_password(password: str) -> str:
    return _fernet().encrypt(password.encode("utf-8")).decode("ascii")


def decrypt_password(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SigningUnavailable(
            "Không giải mã được mật khẩu của chứng thư số (SECRET_KEY đã đổi?): hãy tải lại tệp PKCS#12."
        ) from exc


# --- reading certificates ---------------------------------------------------------------------
@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    issuer: str
    serial_number: str
    fingerprint: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    der: bytes
    chain_pem: str


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()


def certificate_facts(cert: x509.Certificate, chain: list[x509.Certificate]) -> CertificateFacts:
    der = cert.public_bytes(serialization.Encoding.DER)
    return CertificateFacts(
        subject=_name(cert.subject)[:500],
        issuer=_name(cert.issuer)[:500],
        serial_number=format(cert.serial_number, "X")[:80],
        fingerprint=hashlib.sha256(der).hexdigest(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        der=der,
        chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in chain),
    )


def read_pkcs12(data: bytes, password: str) -> tuple[CertificateFacts, object]:
    """The certificate of a PKCS#12 file and its key; ValueError with a message for the admin."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except Exception as exc:  # cryptography raises ValueError or TypeError for bad files/passwords
        raise ValueError("Tệp PKCS#12 không đọc được: sai mật khẩu hoặc không phải tệp .p12/.pfx.") from exc
    if key is None or cert is None:
        raise ValueError("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số của đơn vị.")
    return certificate_facts(cert, list(extra or [])), key


def load_chain(chain_pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(chain_pem.encode("ascii")) if chain_pem.strip() else []


# --- demo CA and unit certificates (make run / seed_demo) -----------------------------------
def _key():
    # ECDSA P-256: a demo key in a millisecond, a signature in less (RSA-2048 takes ~100 ms to make).
    return ec.generate_private_key(ec.SECP256R1())


def make_ca(common_name: str, *, organisation: str = "DEMO", years: int = 10):
    """A self-signed CA certificate and its key."""
    key = _key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    now = timezone.now() - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_unit_certificate(
    ca_cert,
    ca_key,
    unit_name: str,
    *,
    organisation: str = "DEMO",
    not_before: datetime.datetime | None = None,
    days: int = 365 * 3,
):
    """A signing certificate for a unit, issued by `ca_cert` (non-repudiation, as pyHanko's
    validator expects of a document signer)."""
    key = _key()
    start = not_before or (timezone.now() - datetime.timedelta(days=1))
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
                    # X.509 caps a name attribute at 64 characters; "(DEMO)" must stay visible.
                    x509.NameAttribute(
                        NameOID.COMMON_NAME, unit_name[-64:] if unit_name.endswith(")") else unit_name[:64]
                    ),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def pkcs12_bytes(cert, key, chain: list, password: str, *, friendly_name: str = "unit") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"),
        key,
        cert,
        chain or None,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


def random_password() -> str:
    return secrets.token_urlsafe(18)


# --- signing --------------------------------------------------------------------------------
def _outside_event_loop(fn):
    """Run `fn` where pyHanko's synchronous API may call asyncio.run(): in this thread, or in a
    helper thread when this one already runs an event loop (an async caller, Playwright's sync
    API in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


@dataclass(frozen=True)
class SignatureText:
    """What the signature dictionary says: who signed, in which capacity, for which unit."""

    unit: str
    signer_name: str
    signer_position: str


# The signer of a PKCS#12 file, kept per process: decrypting the file (PBKDF2) and parsing its
# certificates took a fifth of a signing. Keyed by the file's and the password's digests.
_SIGNERS: dict[str, object] = {}
_SIGNERS_MAX = 32
# Room kept for the CMS signature, in hex digits (two per byte): 12 KB, generous for an RSA-4096
# key and a three-certificate chain, doubled for a timestamp token. Reserving it saves pyHanko a
# dummy signing to measure it; when too small, pyHanko measures after all (see sign_pdf).
SIGNATURE_ROOM = 24 * 1024
SIGNATURE_ROOM_WITH_TIMESTAMP = 48 * 1024


def _signer(pkcs12_data: bytes, password: str):
    from pyhanko.sign import signers

    key = hashlib.sha256(pkcs12_data + b"\x00" + password.encode("utf-8")).hexdigest()
    signer = _SIGNERS.get(key)
    if signer is None:
        signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12_data, other_certs=[], passphrase=password.encode("utf-8") or None
        )
        if len(_SIGNERS) >= _SIGNERS_MAX:
            _SIGNERS.clear()
        _SIGNERS[key] = signer
    return signer


def sign_pdf(
    pdf: bytes,
    *,
    pkcs12_data: bytes,
    password: str,
    text: SignatureText,
    tsa_url: str = "",
) -> tuple[bytes, str]:
    """`pdf` with a PAdES signature of the PKCS#12's key; returns (signed bytes, profile name).

    B-B, or B-T with a timestamp from `tsa_url`. The signature's /Name is the signer, /Reason
    their position and the unit, /Location the unit (what PDF readers show of a signature)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps import HTTPTimeStamper

    signer = _signer(pkcs12_data, password)
    reason = f"{text.signer_position} — {text.unit}" if text.signer_position else text.unit
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        name=text.signer_name or text.unit,
        reason=reason,
        location=text.unit,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = HTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None
    room = SIGNATURE_ROOM_WITH_TIMESTAMP if timestamper else SIGNATURE_ROOM

    def sign(reserved: int | None) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
        return pdf_signer.sign_pdf(writer, bytes_reserved=reserved).getvalue()

    try:
        signed = _outside_event_loop(lambda: sign(room))
    except SigningError:
        # The signature did not fit the room kept for it (a very long chain): let pyHanko measure.
        signed = _outside_event_loop(lambda: sign(None))
    return signed, "PAdES-B-T" if timestamper else "PAdES-B-B"


# --- verification ---------------------------------------------------------------------------
class Verdict:
    UNCHANGED = "unchanged"  # the issued document, byte for byte
    CHANGED = "changed"  # signed by the unit, but not the bytes issued
    NOT_ISSUED = "not_issued"  # no signature of this unit's certificates
    UNREADABLE = "unreadable"  # not a PDF that can be read


@dataclass(frozen=True)
class VerificationResult:
    verdict: str
    sha256: str
    signer_subject: str = ""
    signature_intact: bool | None = None
    signature_trusted: bool | None = None
    signed_at: datetime.datetime | None = None


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def verify_pdf(data: bytes, *, issued_sha256: str, certificates: list) -> VerificationResult:
    """Tell whether `data` is the issued document, a changed copy of it, or not the unit's.

    `certificates` are the ward's SigningCertificate rows (every one it ever signed with): their
    CAs are the validator's only trust roots, and the signer must be one of them."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(data).hexdigest()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        return VerificationResult(Verdict.UNREADABLE, digest)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises many kinds of errors on damaged files
        logger.info("documents: an uploaded PDF could not be read", exc_info=True)
        return VerificationResult(
            Verdict.UNCHANGED if digest == issued_sha256 else Verdict.UNREADABLE, digest
        )

    ours = {c.fingerprint for c in certificates}
    roots, others = [], []
    for row in certificates:
        others.append(asn1_x509.Certificate.load(bytes(row.certificate_der)))
        for ca in load_chain(row.chain_pem):
            (roots if ca.issuer == ca.subject else others).append(_asn1(ca))
    best = VerificationResult(Verdict.NOT_ISSUED, digest)
    for signature in signatures:
        try:
            cert = signature.signer_cert
            fingerprint = hashlib.sha256(cert.dump()).hexdigest()
        except Exception:  # a signature whose certificate cannot be read is nobody's
            logger.info("documents: a signature without a readable certificate", exc_info=True)
            continue
        if fingerprint not in ours:
            continue
        try:
            context = ValidationContext(
                trust_roots=roots, other_certs=others, allow_fetching=False, revocation_mode="soft-fail"
            )
            status = _outside_event_loop(lambda: validate_pdf_signature(signature, context))  # noqa: B023
            intact, trusted = bool(status.intact and status.valid), bool(status.trusted)
            signed_at = status.signer_reported_dt
        except Exception:  # a damaged signature of our certificate: the file was changed
            logger.info("documents: a signature of the unit could not be validated", exc_info=True)
            intact, trusted, signed_at = False, False, None
        best = VerificationResult(
            Verdict.CHANGED,
            digest,
            signer_subject=cert.subject.human_friendly,
            signature_intact=intact,
            signature_trusted=trusted,
            signed_at=signed_at,
        )
    if digest == issued_sha256:
        return VerificationResult(
            Verdict.UNCHANGED,
            digest,
            signer_subject=best.signer_subject,
            signature_intact=best.signature_intact,
            signature_trusted=best.signature_trusted,
            signed_at=best.signed_at,
        )
    return best
