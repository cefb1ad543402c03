"""Property-based tests: every form of the project, fed hostile text, answers with a page the
user can act on (never a 500) and saves all or nothing.

Each example runs inside a transaction that is rolled back, so examples do not see each other's
rows (and the login lockout counter starts at zero each time).
"""

from __future__ import annotations

import json
import os
import unicodedata
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from criteria import services as criteria_services
from criteria.models import Assessment, AssessmentScore, CriteriaSet, Criterion, Evidence
from criteria.periods import Period
from tests.criteria.factories import published_set
from wards.models import Street

from .strategies import hostile_text, vietnamese, vietnamese_nfd

pytestmark = pytest.mark.django_db

# Modest by default so the suite stays fast; HYPOTHESIS_EXAMPLES=1000 for a deeper search.
FAST = hsettings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NUL_MESSAGE = "ký tự NUL"


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def assert_answered_clearly(response, *, saved: bool) -> str:
    """The response is a redirect (saved) or the form again with an error, or the 400 page for
    a NUL byte; never a server error."""
    event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics shows the mix
    body = response.content.decode() if response.status_code != 302 else ""
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 400:
        assert NUL_MESSAGE in body
    if response.status_code == 200:
        assert 'class="errorlist' in body or "msg-error" in body or 'class="error-summary"' in body, body[
            :2000
        ]
    assert saved == (response.status_code == 302)
    return body


# --- login -----------------------------------------------------------------------------------


@FAST
@given(username=hostile_text, password=hostile_text)
def test_login_form_never_fails_on_hostile_input(client, alice, username, password):
    with rolled_back():
        response = client.post(reverse("accounts:login"), {"username": username, "password": password})
        assert_answered_clearly(response, saved=False)
        assert "_auth_user_id" not in client.session


# --- wards: street form ------------------------------------------------------------------------


@FAST
@given(name=hostile_text)
def test_street_form_saves_a_clean_name_or_says_why_not(client, lena, ward_a, name):
    client.force_login(lena)
    url = reverse("wards:street_new", args=[ward_a.pk])
    with rolled_back():
        before = Street.objects.count()
        response = client.post(url, {"name": name})
        stripped = unicodedata.normalize("NFC", name).strip()
        acceptable = "\x00" not in name and 0 < len(stripped) <= 160
        assert_answered_clearly(response, saved=acceptable)
        if acceptable:
            assert Street.objects.count() == before + 1
            street = Street.objects.latest("pk")
            assert street.name == " ".join(stripped.split())
            assert unicodedata.is_normalized("NFC", street.name)
        else:
            assert Street.objects.count() == before
        if "\x00" in name:
            assert response.status_code == 400


@FAST
@given(name=vietnamese.filter(lambda s: s.strip() and unicodedata.normalize("NFD", s) != s))
def test_a_decomposed_name_is_the_same_street_as_the_composed_one(client, lena, ward_a, name):
    client.force_login(lena)
    url = reverse("wards:street_new", args=[ward_a.pk])
    with rolled_back():
        assert client.post(url, {"name": name}).status_code == 302
        response = client.post(url, {"name": unicodedata.normalize("NFD", name)})
        assert response.status_code == 200
        assert "Phường này đã có phố mang tên này" in response.content.decode()
        assert Street.objects.filter(ward=ward_a).count() == 1


# --- criteria: assessment creation ---------------------------------------------------------------


@pytest.fixture
def criteria_set(db):
    return published_set()


maybe_valid = {
    "period_kind": st.one_of(st.sampled_from(["quarter", "year"]), hostile_text),
    "year": st.one_of(st.integers(1990, 2110).map(str), hostile_text, st.integers().map(str)),
    "quarter": st.one_of(st.sampled_from(["1", "2", "3", "4", ""]), hostile_text),
}


valid_period = {
    "period_kind": st.sampled_from(["quarter", "year"]),
    "year": st.integers(2024, 2030).map(str),
    "quarter": st.sampled_from(["1", "2", "3", "4"]),
}


@FAST
@given(
    data=st.one_of(st.fixed_dictionaries(valid_period), st.fixed_dictionaries(maybe_valid)),
    set_choice=st.one_of(st.just("valid"), hostile_text),
)
def test_assessment_form_creates_a_whole_assessment_or_nothing(client, lena, criteria_set, data, set_choice):
    client.force_login(lena)
    data = {**data, "criteria_set": criteria_set.pk if set_choice == "valid" else set_choice}
    criteria_count = Criterion.objects.filter(group__criteria_set=criteria_set).count()
    with rolled_back():
        response = client.post(reverse("criteria:assessment_new"), data)
        # "Saved" is what the database holds, so a redirect without a row (or a row behind an
        # error page) fails assert_answered_clearly.
        saved = Assessment.objects.exists()
        assert_answered_clearly(response, saved=saved)
        if saved:
            assessment = Assessment.objects.get()
            assert response["Location"] == reverse("criteria:assessment_detail", args=[assessment.pk])
            assert assessment.scores.count() == criteria_count
        else:
            assert Assessment.objects.count() == 0
            assert AssessmentScore.objects.count() == 0


# --- criteria: score with evidence upload ----------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

file_names = st.one_of(
    st.builds(lambda s, ext: s + ext, vietnamese, st.sampled_from([".pdf", ".PDF", ".png", ".exe", ""])),
    st.builds(lambda s: s + ".pdf", vietnamese_nfd),
    st.builds(lambda s: s + ".pdf", hostile_text),
)
file_bodies = st.one_of(st.just(PDF), st.just(PNG), st.binary(max_size=64), st.just(b""))


@pytest.fixture
def draft_score(lena, criteria_set):
    assessment = criteria_services.assessment_create(
        ward=lena.ward, period=Period(2025, 3), criteria_set=criteria_set, user=lena
    )
    return assessment.scores.get(criterion__code="1.1")


@FAST
@given(
    points=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["8,5", "10", "0"]),
        hostile_text,
    ),
    comment=hostile_text,
    files=st.lists(st.tuples(file_names, file_bodies), max_size=3),
)
def test_score_form_saves_score_and_files_together_or_nothing(
    client, lena, draft_score, settings, tmp_path_factory, points, comment, files
):
    settings.MEDIA_ROOT = media = tmp_path_factory.mktemp("media")
    client.force_login(lena)
    url = reverse("criteria:score_edit", args=[draft_score.assessment_id, draft_score.pk])
    # A browser sends a base name; names with no base name ("/", "..") never reach a view (Django's
    # multipart parser drops them), and SimpleUploadedFile refuses to build them.
    sendable = [(name, body) for name, body in files if os.path.basename(name) not in ("", ".", "..")]
    uploads = [SimpleUploadedFile(name, body) for name, body in sendable]
    with rolled_back():
        response = client.post(url, {"points": points, "comment": comment, "files": uploads})
        stored = [p for p in media.rglob("*") if p.is_file()]
        score = AssessmentScore.objects.get(pk=draft_score.pk)
        # "Saved" is what the database holds: the score carries its scorer once the form is saved.
        saved = score.scored_by_id == lena.pk
        assert_answered_clearly(response, saved=saved)
        if saved:
            assert Evidence.objects.filter(score=score).count() == len(sendable) == len(stored)
            assert score.comment == unicodedata.normalize("NFC", comment).strip()
            for evidence in Evidence.objects.filter(score=score):
                assert evidence.original_name and evidence.original_name.isprintable()
        else:
            assert Evidence.objects.count() == 0
            assert stored == []
            assert score.points is None and score.comment == ""


# --- criteria: set import in the admin ---------------------------------------------------------------


def _export(criteria_set: CriteriaSet) -> dict:
    return criteria_services.criteria_sets_export([criteria_set])


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    hostile_text,
    st.sampled_from(["2024-01-01", "01/01/2024", "NaN", "1e999", "-5"]),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@st.composite
def mutated_exports(draw, base: dict) -> dict:
    """A real export with a few values (anywhere in the tree) replaced by hostile ones."""
    payload = json.loads(json.dumps(base))
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((*path, key))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                paths.append((*path, i))
                walk(value, (*path, i))

    walk(payload, ())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        value = draw(json_values)
        try:  # an earlier replacement may have removed this path
            target = payload
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (TypeError, IndexError, KeyError):
            continue
    return payload


@pytest.fixture
def export_payload(criteria_set):
    payload = _export(criteria_set)
    # Imported under a new name, so a faithful copy is accepted as a new draft.
    payload["sets"][0]["name"] = "Bộ tiêu chí nhập thử"
    return payload


def test_a_faithful_export_imports_as_a_new_draft(client, root, export_payload):
    client.force_login(root)
    file = SimpleUploadedFile("bo-tieu-chi.json", json.dumps(export_payload).encode())
    response = client.post(reverse("admin:criteria_criteriaset_import"), {"file": file})
    assert response.status_code == 302
    imported = CriteriaSet.objects.get(name="Bộ tiêu chí nhập thử")
    assert Criterion.objects.filter(group__criteria_set=imported).count() == 3


@FAST
@given(data=st.data())
def test_set_import_creates_a_whole_set_or_nothing(client, root, export_payload, data):
    client.force_login(root)
    payload = data.draw(mutated_exports(export_payload))
    url = reverse("admin:criteria_criteriaset_import")
    with rolled_back():
        sets_before = CriteriaSet.objects.count()
        criteria_before = Criterion.objects.count()
        file = SimpleUploadedFile("bo-tieu-chi.json", json.dumps(payload).encode())
        response = client.post(url, {"file": file})
        event(f"HTTP {response.status_code}")
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert 'class="errorlist' in response.content.decode()
            assert (CriteriaSet.objects.count(), Criterion.objects.count()) == (sets_before, criteria_before)
        else:
            assert CriteriaSet.objects.count() == sets_before + 1


@FAST
@given(junk=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_set_import_of_a_file_that_is_not_an_export_says_so(client, root, criteria_set, junk):
    client.force_login(root)
    with rolled_back():
        before = CriteriaSet.objects.count()
        response = client.post(
            reverse("admin:criteria_criteriaset_import"), {"file": SimpleUploadedFile("x.json", junk)}
        )
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
        assert CriteriaSet.objects.count() == before


def test_set_import_with_a_nul_character_is_refused_clearly(client, root, export_payload):
    client.force_login(root)
    export_payload["sets"][0]["groups"][0]["name"] = "An ninh\x00trật tự"
    file = SimpleUploadedFile("bo-tieu-chi.json", json.dumps(export_payload).encode())
    response = client.post(reverse("admin:criteria_criteriaset_import"), {"file": file})
    assert response.status_code == 200
    assert "ký tự NUL" in response.content.decode()
    assert not CriteriaSet.objects.filter(name="Bộ tiêu chí nhập thử").exists()


# --- accounts: two-step verification forms ---------------------------------------------------------


@FAST
@given(code=hostile_text)
def test_verification_and_enrolment_forms_refuse_hostile_codes_clearly(client, lena, code):
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(lena)
    with rolled_back():
        # Enrolment: nothing is turned on by a code that is not the app's.
        client.get(reverse("accounts:otp_setup"))
        response = client.post(reverse("accounts:otp_setup"), {"code": code})
        assert_answered_clearly(response, saved=False)
        assert not TOTPDevice.objects.exists()
    with rolled_back():
        # Verification: a user with a device stays held at the code step.
        TOTPDevice.objects.create(user=lena, name="app", confirmed=True)
        device = lena.staticdevice_set.create(name="backup", confirmed=True)
        StaticToken.objects.create(device=device, token="abcd2345")
        client.force_login(lena)
        response = client.post(reverse("accounts:otp_verify"), {"code": code})
        if code.replace(" ", "").replace("-", "").lower() != "abcd2345":
            assert_answered_clearly(response, saved=False)
            assert client.get(reverse("dashboards:home")).status_code == 302
