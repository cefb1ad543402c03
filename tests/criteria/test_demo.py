"""seed_demo installs the illustrative criteria set and scored assessments, once."""

import pytest
from django.core.management import call_command

from criteria.models import Assessment, AssessmentScore, AssessmentStatus, CriteriaSet, Criterion, Evidence

pytestmark = pytest.mark.django_db

MODELS = [CriteriaSet, Criterion, Assessment, AssessmentScore, Evidence]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_demo_installs_the_illustrative_set_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first

    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.is_published
    assert "Minh họa — không phải văn bản chính thức" in criteria_set.decision_reference
    names = list(criteria_set.groups.values_list("name", flat=True))
    for expected in [
        "Xây dựng lực lượng",
        "Bảo đảm an ninh trật tự",
        "Văn minh đô thị",
        "Phong trào toàn dân bảo vệ an ninh Tổ quốc",
        "Cơ sở vật chất, ứng dụng công nghệ",
        "Sự hài lòng của nhân dân",
    ]:
        assert expected in names
    must_hold = Criterion.objects.filter(group__criteria_set=criteria_set, must_hold=True, kind="pass_fail")
    assert must_hold.count() == 6
    assert "04/2022/QĐ-TTg" in must_hold.first().group.name


def test_demo_ward_has_an_approved_quarter_and_a_draft_held_back_by_a_must_hold_failure(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    approved, draft = Assessment.objects.order_by("year", "quarter")
    assert approved.status == AssessmentStatus.APPROVED and approved.classification == "Đạt"
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.total > approved.total
    assert (draft.classification, draft.meets_standard) == ("Chưa đạt", False)

    from accounts.models import User

    client.force_login(User.objects.get(username="chairman1"))
    body = client.get(draft.get_absolute_url()).content.decode()
    assert "Có tiêu chí bắt buộc không đạt" in body
    assert "Minh họa — không phải văn bản chính thức" in body
