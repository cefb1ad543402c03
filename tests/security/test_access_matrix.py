"""Every URL of the project × every role × own ward / other ward.

The URL list comes from the URLconf itself, so a new page without an entry in PAGES fails
`test_every_url_is_described` instead of being forgotten. PAGES and the `samples` fixture are
also what tests/browser/test_every_page_browser.py walks in Chromium, so an entry here puts a
new page under both the access checks and the CSP/console check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLResolver, get_resolver, reverse

from accounts.roles import Role
from tests.factories import ResidentialGroupFactory, StreetFactory, UserFactory

ALL = frozenset(Role.values)
WRITERS = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
MANAGERS = frozenset({Role.LEADER, Role.ADMIN})


@dataclass(frozen=True)
class Page:
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda s: {}
    public: bool = False  # no login needed
    roles: frozenset[str] = ALL  # roles that may open it (others: 403)
    scoped: bool = True  # has a ward-A object in the URL: another ward gets 404
    method: str = "GET"  # POST-only actions are checked with POST
    post_data: dict[str, Any] = field(default_factory=dict)
    # For objects only their creator may open (e.g. a pending import): kwargs for a given user.
    for_user: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None
    download: bool = False  # answers with a file (an attachment, or an image shown inline), not a page
    # What a role that may use the page gets when it is not the page itself (200): the address it
    # is sent to, built from the samples and the user once the request is answered (a new
    # document's status page, the record an action was taken on, the role's landing page); or,
    # for an action posted without its form data, a 400 that says what is missing. A page that
    # sends an allowed user anywhere else fails.
    goes_to: Callable[[dict[str, Any], Any], str] | None = None
    refused_without_data: bool = False


def _to(name: str, key: str | None = None, *, fragment: str = "") -> Callable[[dict[str, Any], Any], str]:
    """The address of `name` for the sample `key` (none: a URL without arguments)."""
    return lambda s, user: reverse(name, args=[s[key].pk] if key else []) + fragment


def _landing(s: dict[str, Any], user) -> str:
    """Where "/" sends each role: officers to their day, leaders to their desk, others to the dashboard."""
    if user.has_role(Role.LEADER):
        return reverse("my:leader")
    return reverse("my:day") if user.has_role(Role.OFFICER) else reverse("dashboards:home")


def _new_document(kind: str, key: str | None = None) -> Callable[[dict[str, Any], Any], str]:
    """The status page of the newest document job of `kind` (for the sample `key`)."""

    def url(s: dict[str, Any], user) -> str:
        from documents.models import DocumentJob

        jobs = DocumentJob.objects.filter(kind=kind, ward=s["ward"])
        if key:
            jobs = jobs.filter(object_id=s[key].pk)
        return reverse("documents:detail", args=[jobs.latest("pk").pk])

    return url


PAGES: dict[str, Page] = {
    "home": Page(scoped=False, goes_to=_landing),
    "healthz": Page(public=True, scoped=False),
    "set_language": Page(public=True, scoped=False, method="POST", post_data={"language": "vi"}),
    "accounts:login": Page(public=True, scoped=False),
    "accounts:logout": Page(public=True, scoped=False, method="POST"),
    # two-step verification: every logged-in user manages their own
    "accounts:security": Page(scoped=False),
    "accounts:otp_setup": Page(scoped=False),
    # without a device there is no code to ask for and no backup code to show
    "accounts:otp_verify": Page(scoped=False, goes_to=_to("home")),
    "accounts:otp_backup_codes": Page(scoped=False, goes_to=_to("accounts:security")),
    "accounts:otp_disable": Page(scoped=False, method="POST", goes_to=_to("accounts:security")),
    "dashboards:home": Page(scoped=False),
    # city view: superusers and holders of dashboards.view_city_dashboard; every role prints its ward
    "dashboards:city": Page(scoped=False, roles=frozenset({Role.ADMIN})),
    "dashboards:pdf": Page(scoped=False, method="POST", goes_to=_new_document("ward-dashboard")),
    # the station's leaders issue the numbered report sent upward (#25.5); not the administrator
    "dashboards:issue_report": Page(
        scoped=False, method="POST", roles=frozenset({Role.LEADER}), goes_to=_new_document("upward-report")
    ),
    "dashboards:overdue_commitments": Page(scoped=False),
    "wards:mine": Page(scoped=False),
    # landing pages (/my/): an officer's day (leaders inspect too), a leader's desk, notifications
    "my:day": Page(scoped=False, roles=frozenset({Role.OFFICER, Role.LEADER})),
    "my:leader": Page(scoped=False, roles=frozenset({Role.LEADER})),
    "my:notifications": Page(scoped=False),
    "my:notification_badge": Page(scoped=False),
    "wards:detail": Page(kwargs=lambda s: {"pk": s["ward"].pk}),
    "wards:street_new": Page(kwargs=lambda s: {"pk": s["ward"].pk}, roles=MANAGERS),
    # businesses: officers and leaders write; only they reveal personal data; leaders read the log
    "businesses:list": Page(scoped=False),
    "businesses:create": Page(scoped=False, roles=WRITERS),
    "businesses:export": Page(scoped=False, download=True),
    "businesses:import": Page(scoped=False, roles=WRITERS),
    "businesses:import_template": Page(scoped=False, download=True),
    "businesses:import_preview": Page(
        kwargs=lambda s: {"pk": s["business_import"].pk},
        for_user=lambda s, user: {"pk": _business_import(s["ward"], user).pk},
        roles=WRITERS,
    ),
    "businesses:access_log": Page(scoped=False, roles=MANAGERS),
    "businesses:detail": Page(kwargs=lambda s: {"pk": s["business"].pk}),
    "businesses:edit": Page(kwargs=lambda s: {"pk": s["business"].pk}, roles=WRITERS),
    "businesses:reveal": Page(
        kwargs=lambda s: {"pk": s["business"].pk},
        roles=frozenset({Role.OFFICER, Role.LEADER}),
        method="POST",
        post_data={"field": "owner_phone"},
    ),
    # documents: every user of the ward may ask for a printout and download it
    "business_documents:history_pdf": Page(
        kwargs=lambda s: {"pk": s["business"].pk},
        method="POST",
        goes_to=_new_document("business-history", "business"),
    ),
    # the unmasked copy: only officers and leaders of the ward, who could reveal the data on screen
    "business_documents:history_full_pdf": Page(
        kwargs=lambda s: {"pk": s["business"].pk},
        roles=frozenset({Role.OFFICER, Role.LEADER}),
        method="POST",
        goes_to=_new_document("business-history-full", "business"),
    ),
    "register:list": Page(scoped=False, roles=MANAGERS),
    "violations:pdf": Page(
        kwargs=lambda s: {"pk": s["violation"].pk},
        method="POST",
        goes_to=_new_document("violation-record", "violation"),
    ),
    "inspections:pdf": Page(
        kwargs=lambda s: {"pk": s["inspection"].pk},
        method="POST",
        goes_to=_new_document("inspection-report", "inspection"),
    ),
    "inspections:commitment_pdf": Page(
        kwargs=lambda s: {"pk": s["inspection"].pk},
        method="POST",
        goes_to=_new_document("commitment", "inspection"),
    ),
    "criteria:assessment_pdf": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk},
        method="POST",
        goes_to=_new_document("criteria-assessment", "assessment"),
    ),
    # QR posters: everyone of the ward prints; only leaders withdraw a business's public code
    "business_documents:poster": Page(
        kwargs=lambda s: {"pk": s["business"].pk},
        method="POST",
        goes_to=_new_document("business-poster-a4", "business"),
    ),
    "business_documents:poster_png": Page(kwargs=lambda s: {"pk": s["business"].pk}, download=True),
    "business_documents:withdraw_code": Page(kwargs=lambda s: {"pk": s["business"].pk}, roles=MANAGERS),
    "business_documents:posters": Page(scoped=False),
    "business_documents:street_posters": Page(
        kwargs=lambda s: {"pk": s["street"].pk},
        method="POST",
        goes_to=_new_document("street-posters-a4", "street"),
    ),
    "business_documents:group_posters": Page(
        kwargs=lambda s: {"pk": s["group"].pk},
        method="POST",
        goes_to=_new_document("group-posters-a4", "group"),
    ),
    # the public page behind the QR code (no login) and the ward's feedback inbox
    "public:code": Page(public=True, scoped=False),
    "public:business": Page(
        public=True, scoped=False, kwargs=lambda s: {"token": s["business"].public_token}
    ),
    # #29: the public verification of an issued document (no login, no personal data)
    "verify:code": Page(public=True, scoped=False),
    "verify:document": Page(public=True, scoped=False, kwargs=lambda s: {"code": s["issued_document"].code}),
    "public:feedback_sent": Page(
        public=True, scoped=False, kwargs=lambda s: {"token": s["business"].public_token}
    ),
    "feedback:list": Page(scoped=False),
    "feedback:detail": Page(kwargs=lambda s: {"pk": s["feedback"].pk}),
    "feedback:update": Page(
        kwargs=lambda s: {"pk": s["feedback"].pk},
        roles=WRITERS,
        method="POST",
        post_data={"status": "in_progress", "response_note": "Đã tiếp nhận"},
        goes_to=_to("feedback:detail", "feedback"),
    ),
    "feedback:photo": Page(kwargs=lambda s: {"pk": s["feedback"].pk}, download=True),
    "documents:detail": Page(kwargs=lambda s: {"pk": s["document_job"].pk}),
    # the sample job is not rendered yet: its download sends the user to its status page
    "documents:download": Page(
        kwargs=lambda s: {"pk": s["document_job"].pk},
        download=True,
        goes_to=_to("documents:detail", "document_job"),
    ),
    # inspections: officers and leaders record; the chairman reads
    "inspections:list": Page(scoped=False),
    "inspections:new": Page(scoped=False, roles=WRITERS),
    "inspections:detail": Page(kwargs=lambda s: {"pk": s["inspection"].pk}),
    "inspections:signature": Page(kwargs=lambda s: {"pk": s["inspection"].pk}, download=True),
    "inspections:commitment_kept": Page(
        kwargs=lambda s: {"pk": s["inspection"].pk},
        roles=WRITERS,
        method="POST",
        goes_to=_to("inspections:detail", "inspection", fragment="#commitment"),
    ),
    "inspections:photo": Page(kwargs=lambda s: {"pk": s["inspection_photo"].pk}, download=True),
    "inspections:photo_thumb": Page(kwargs=lambda s: {"pk": s["inspection_photo"].pk}, download=True),
    "inspections:outbox": Page(scoped=False, roles=WRITERS),
    # the phone's queue posts here; a POST without form data is refused with a JSON 400
    "inspections:sync": Page(scoped=False, roles=WRITERS, method="POST", refused_without_data=True),
    # the installable app: no personal data, needed before login (the worker updates itself)
    "pwa:service_worker": Page(public=True, scoped=False),
    "pwa:manifest": Page(public=True, scoped=False),
    # criteria: leaders and admins prepare; only a leader of the ward (the station's head or a
    # deputy) approves or returns, never the administrator; officers and the chairman read
    "criteria:assessments": Page(scoped=False),
    "criteria:assessment_new": Page(scoped=False, roles=MANAGERS),
    "criteria:assessment_detail": Page(kwargs=lambda s: {"pk": s["assessment"].pk}),
    "criteria:assessment_refresh": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("criteria:assessment_detail", "assessment"),
    ),
    "criteria:assessment_submit": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("criteria:assessment_detail", "assessment"),
    ),
    "criteria:assessment_approve": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk},
        roles=frozenset({Role.LEADER}),
        method="POST",
        goes_to=_to("criteria:assessment_detail", "assessment"),
    ),
    "criteria:assessment_return": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk},
        roles=frozenset({Role.LEADER}),
        method="POST",
        goes_to=_to("criteria:assessment_detail", "assessment"),
    ),
    "criteria:score_edit": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk, "score_pk": s["score"].pk}, roles=MANAGERS
    ),
    "criteria:evidence_download": Page(kwargs=lambda s: {"pk": s["evidence"].pk}, download=True),
    # violations: officers draft, leaders sign/transfer/amend, the chairman reads
    "violations:list": Page(scoped=False),
    "violations:create": Page(scoped=False, roles=WRITERS),
    "violations:repeat": Page(scoped=False),
    "violations:detail": Page(kwargs=lambda s: {"pk": s["violation"].pk}),
    "violations:edit": Page(kwargs=lambda s: {"pk": s["violation"].pk}, roles=WRITERS),
    "violations:sign": Page(
        kwargs=lambda s: {"pk": s["violation"].pk}, roles=MANAGERS, method="POST", refused_without_data=True
    ),
    "violations:transfer": Page(
        kwargs=lambda s: {"pk": s["violation"].pk}, roles=MANAGERS, method="POST", refused_without_data=True
    ),
    "violations:remedied": Page(
        kwargs=lambda s: {"pk": s["violation"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("violations:detail", "violation"),
    ),
    "violations:amend": Page(
        kwargs=lambda s: {"pk": s["violation"].pk}, roles=MANAGERS, method="POST", refused_without_data=True
    ),
    "violations:delete": Page(
        kwargs=lambda s: {"pk": s["violation"].pk},
        roles=WRITERS,
        method="POST",
        goes_to=_to("violations:list"),
    ),
    "violations:evidence-add": Page(
        kwargs=lambda s: {"pk": s["violation"].pk}, roles=WRITERS, method="POST", refused_without_data=True
    ),
    "violations:evidence": Page(
        kwargs=lambda s: {"pk": s["violation"].pk, "evidence_pk": s["evidence_photo"].pk}, download=True
    ),
    # the sanction decision of a signed record: leaders and admins draft, sign and record its
    # execution; everyone of the ward reads and prints it
    "violations:decision": Page(kwargs=lambda s: {"pk": s["decided_violation"].pk}),
    "violations:decision-create": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        goes_to=_to("violations:decision", "decided_violation"),  # it has its decision already
    ),
    "violations:decision-pdf": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        method="POST",
        goes_to=_new_document("sanction-decision", "decided_violation"),
    ),
    "violations:decision-delete": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("violations:detail", "decided_violation"),
    ),
    "violations:extend-deadline": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("violations:detail", "decided_violation"),
    ),
    "violations:decision-sign": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        refused_without_data=True,
    ),
    "violations:decision-serve": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        refused_without_data=True,
    ),
    "violations:decision-pay": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        refused_without_data=True,
    ),
    "violations:decision-enforce": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        refused_without_data=True,
    ),
    "violations:decision-appeal": Page(
        kwargs=lambda s: {"pk": s["decided_violation"].pk},
        roles=MANAGERS,
        method="POST",
        refused_without_data=True,
    ),
    # campaigns: leaders and admins plan and move the status; everyone of the ward reads the board
    "campaigns:list": Page(scoped=False),
    "campaigns:create": Page(scoped=False, roles=MANAGERS),
    "campaigns:detail": Page(kwargs=lambda s: {"pk": s["campaign"].pk}),
    "campaigns:progress": Page(kwargs=lambda s: {"pk": s["campaign"].pk}),
    # what a phone keeps of the board for use offline (JSON for the service worker)
    "campaigns:offline_pages": Page(kwargs=lambda s: {"pk": s["campaign"].pk}),
    "campaigns:targets": Page(kwargs=lambda s: {"pk": s["campaign"].pk}, roles=MANAGERS),
    "campaigns:edit": Page(kwargs=lambda s: {"pk": s["campaign"].pk}, roles=MANAGERS),
    "campaigns:assign": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("campaigns:targets", "campaign"),
    ),
    "campaigns:targets_remove": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("campaigns:targets", "campaign"),
    ),
    "campaigns:force": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("campaigns:detail", "campaign"),
    ),
    "campaigns:force_remove": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        roles=MANAGERS,
        method="POST",
        post_data={"force_type": "youth_union"},
        goes_to=_to("campaigns:detail", "campaign"),
    ),
    "campaigns:start": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=_to("campaigns:detail", "campaign"),
    ),
    # GET: the confirmation that says how many targets are left; POST closes
    "campaigns:close": Page(kwargs=lambda s: {"pk": s["campaign"].pk}, roles=MANAGERS),
    "campaigns:report": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        method="POST",
        goes_to=_new_document("campaign-report", "campaign"),
    ),
    "campaigns:posters": Page(
        kwargs=lambda s: {"pk": s["campaign"].pk},
        method="POST",
        post_data={"size": "a4"},
        goes_to=_new_document("campaign-posters-a4", "campaign"),
    ),
    "criteria:evidence_remove": Page(
        kwargs=lambda s: {"pk": s["evidence"].pk},
        roles=MANAGERS,
        method="POST",
        goes_to=lambda s, user: reverse("criteria:score_edit", args=[s["assessment"].pk, s["score"].pk]),
    ),
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns == "admin":  # Django's admin has its own staff checks, tested separately
                continue
            yield from _walk(pattern.url_patterns, ns)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_is_described():
    missing = [name for name in URL_NAMES if name not in PAGES]
    assert missing == [], f"add these URL names to PAGES in {__file__}"


def _criteria_samples(ward, user) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from criteria import services as criteria_services
    from criteria.models import AssessmentScore, Evidence
    from criteria.periods import Period
    from tests.criteria.factories import published_set

    assessment = criteria_services.assessment_create(
        ward=ward, period=Period(2025, 3), criteria_set=published_set(), user=user
    )
    score = AssessmentScore.objects.filter(assessment=assessment, criterion__code="1.1").get()
    criteria_services.score_update(
        score=score,
        user=user,
        points=1,
        comment="Minh chứng",
        files=[
            SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
        ],
    )
    return {"assessment": assessment, "score": score, "evidence": Evidence.objects.get(score=score)}


def _violation_samples(ward, user) -> dict[str, Any]:
    import io
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from tests.violations.factories import BusinessFactory, ViolationTypeFactory, record_forms
    from violations import services as violation_services

    record_forms()
    ViolationTypeFactory(code="lan-chiem-via-he")
    occurred = timezone.now() - timedelta(hours=2)
    violation = violation_services.violation_create_draft(
        business=BusinessFactory(ward=ward),
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        made_at=occurred,
        made_place="Trước cửa cơ sở",
        description="Bày bàn ghế chiếm vỉa hè.",
        created_by=user,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    photo = violation_services.evidence_add(
        violation=violation,
        image=SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg"),
        caption="Vỉa hè",
        uploaded_by=user,
    )
    return {"violation": violation, "evidence_photo": photo}


def _decision_samples(ward, officer, leader) -> dict[str, Any]:
    """A signed violation record (MBB01) with a draft sanction decision."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.violations.factories import BusinessFactory
    from violations import decisions
    from violations import services as violation_services

    occurred = timezone.now() - timedelta(hours=3)
    record = violation_services.violation_create_draft(
        business=BusinessFactory(ward=ward),
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        made_at=occurred,
        made_place="Trước cửa cơ sở",
        description="Bày hàng hóa lấn chiếm lòng đường.",
        created_by=officer,
        stage="violation_record",
        sanction="fine",
        fine_amount=450_000,
    )
    record = violation_services.violation_sign(violation=record, signed_by=leader, violator_signed=True)
    decisions.decision_create_draft(violation=record, actor=leader, sanction="fine", fine_amount=450_000)
    return {"decided_violation": record}


def _inspection_samples(ward, user, business) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.images import process_photo, process_signature
    from inspections.models import Photo
    from inspections.services import CommitmentInput, PhotoInput
    from tests.inspections.factories import image_bytes, published_checklist, record, signature_data_url

    version = published_checklist()
    photo = process_photo(SimpleUploadedFile("anh.jpg", image_bytes(), content_type="image/jpeg"))
    inspection = record(
        business=business,
        version=version,
        officer=user,
        photos=[PhotoInput(image=photo)],
        commitment=CommitmentInput(
            text="Cam kết dọn vỉa hè", signature_png=process_signature(signature_data_url())
        ),
    )
    return {"inspection": inspection, "inspection_photo": Photo.objects.get(inspection=inspection)}


@pytest.fixture
def samples(ward_a):
    leader = UserFactory(ward=ward_a, role=Role.LEADER)
    officer = UserFactory(ward=ward_a, role=Role.OFFICER)
    from businesses.documents import BUSINESS_HISTORY
    from documents.services import document_request
    from tests.businesses.factories import BusinessFactory

    business = BusinessFactory(ward=ward_a)
    return {
        "ward": ward_a,
        "street": StreetFactory(ward=ward_a),
        "group": ResidentialGroupFactory(ward=ward_a),
        "feedback": _feedback_with_photo(business),
        "business": business,
        "document_job": document_request(kind=BUSINESS_HISTORY, object_id=business.pk, user=officer),
        "business_import": _business_import(ward_a, officer),
        **_criteria_samples(ward_a, leader),
        **_violation_samples(ward_a, officer),
        **_decision_samples(ward_a, officer, leader),
        **_inspection_samples(ward_a, officer, business),
        "campaign": _campaign(leader, business),
        "issued_document": _issued_document(ward_a, leader, business),
    }


def _issued_document(ward, leader, business):
    """A numbered document with its verification code (not signed: the page needs only the row)."""
    import datetime

    from documents.issuing import issued_document_for
    from documents.models import RegisterKind
    from documents.register import register_issue

    entry = register_issue(
        ward=ward,
        kind=RegisterKind.INSPECTION_RECORD,
        year=2026,
        issued_on=datetime.date(2026, 3, 5),
        title="Biên bản kiểm tra",
        signer=leader,
        obj=business,
    )
    return issued_document_for(entry)


def _campaign(leader, business):
    from tests.campaigns.factories import plan_campaign

    return plan_campaign(leader=leader, targets=[business])


def _feedback_with_photo(business):
    import io

    from PIL import Image

    from businesses.feedback import FeedbackInput, feedback_submit

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return feedback_submit(
        business=business,
        data=FeedbackInput(category="noise", message="Quán hát karaoke quá khuya.", photo=buffer.getvalue()),
    )


def _business_import(ward, user):
    from businesses.services import business_import_upload

    return business_import_upload(user=user, ward=ward, file_name="co-so.csv", content=b"Ten co so\n")


def _request(client, name, page, samples, user=None):
    kwargs = page.for_user(samples, user) if page.for_user and user is not None else page.kwargs(samples)
    url = reverse(name, kwargs=kwargs)
    return client.post(url, page.post_data) if page.method == "POST" else client.get(url)


PROTECTED = [name for name in URL_NAMES if name in PAGES and not PAGES[name].public]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PROTECTED)
def test_anonymous_user_is_sent_to_login(client, samples, name):
    response = _request(client, name, PAGES[name], samples)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", PROTECTED)
def test_each_role_of_the_ward_gets_what_its_role_allows(client, ward_a, samples, name, role):
    page = PAGES[name]
    user = UserFactory(ward=ward_a, role=role, is_superuser=role == Role.ADMIN)
    client.force_login(user)
    response = _request(client, name, page, samples, user)
    if role not in page.roles:
        assert response.status_code == 403
    elif page.refused_without_data:
        # an action posted without its form data is refused with a message, not a crash
        assert response.status_code == 400 and response.content
    elif page.goes_to is not None:
        assert response.status_code == 302, response.status_code
        assert response["Location"] == page.goes_to(samples, user)
    else:
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        if page.download:
            assert not response["Content-Type"].startswith("text/html"), response["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PROTECTED if PAGES[n].scoped])
def test_other_ward_gets_404(client, ward_b, samples, name):
    page = PAGES[name]
    # The strongest non-admin role that may open the page, but of ward B.
    role = next(r for r in (Role.LEADER, Role.OFFICER, Role.CHAIRMAN) if r in page.roles)
    client.force_login(UserFactory(ward=ward_b, role=role))
    response = _request(client, name, page, samples)
    assert response.status_code == 404
