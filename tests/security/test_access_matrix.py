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
from tests.factories import StreetFactory, UserFactory

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
    download: bool = False  # answers with a file (Content-Disposition: attachment), not a page


PAGES: dict[str, Page] = {
    "home": Page(scoped=False),
    "healthz": Page(public=True, scoped=False),
    "set_language": Page(public=True, scoped=False, method="POST", post_data={"language": "vi"}),
    "accounts:login": Page(public=True, scoped=False),
    "accounts:logout": Page(public=True, scoped=False, method="POST"),
    # two-step verification: every logged-in user manages their own
    "accounts:security": Page(scoped=False),
    "accounts:otp_setup": Page(scoped=False),
    "accounts:otp_verify": Page(scoped=False),
    "accounts:otp_backup_codes": Page(scoped=False),
    "accounts:otp_disable": Page(scoped=False, method="POST"),
    "dashboards:home": Page(scoped=False),
    "wards:mine": Page(scoped=False),
    "wards:detail": Page(kwargs=lambda s: {"pk": s["ward"].pk}),
    "wards:street_new": Page(kwargs=lambda s: {"pk": s["ward"].pk}, roles=MANAGERS),
    # criteria: leaders and admins prepare and approve; officers and the chairman read
    "criteria:assessments": Page(scoped=False),
    "criteria:assessment_new": Page(scoped=False, roles=MANAGERS),
    "criteria:assessment_detail": Page(kwargs=lambda s: {"pk": s["assessment"].pk}),
    "criteria:assessment_refresh": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk}, roles=MANAGERS, method="POST"
    ),
    "criteria:assessment_submit": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk}, roles=MANAGERS, method="POST"
    ),
    "criteria:assessment_approve": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk}, roles=MANAGERS, method="POST"
    ),
    "criteria:assessment_return": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk}, roles=MANAGERS, method="POST"
    ),
    "criteria:score_edit": Page(
        kwargs=lambda s: {"pk": s["assessment"].pk, "score_pk": s["score"].pk}, roles=MANAGERS
    ),
    "criteria:evidence_download": Page(kwargs=lambda s: {"pk": s["evidence"].pk}, download=True),
    "criteria:evidence_remove": Page(
        kwargs=lambda s: {"pk": s["evidence"].pk}, roles=MANAGERS, method="POST"
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


@pytest.fixture
def samples(ward_a):
    leader = UserFactory(ward=ward_a, role=Role.LEADER)
    return {"ward": ward_a, "street": StreetFactory(ward=ward_a), **_criteria_samples(ward_a, leader)}


def _request(client, name, page, samples):
    url = reverse(name, kwargs=page.kwargs(samples))
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
    response = _request(client, name, page, samples)
    if role in page.roles:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PROTECTED if PAGES[n].scoped])
def test_other_ward_gets_404(client, ward_b, samples, name):
    page = PAGES[name]
    # The strongest non-admin role that may open the page, but of ward B.
    role = next(r for r in (Role.LEADER, Role.OFFICER, Role.CHAIRMAN) if r in page.roles)
    client.force_login(UserFactory(ward=ward_b, role=role))
    response = _request(client, name, page, samples)
    assert response.status_code == 404
