"""#25.9: the seeded checklists have dates in force. The COVID-19 checks stay in the 2021
editions the 2021 inspections used and are in no edition in force today; today's checklists
cover fire safety, conditional businesses, lodgings and sidewalks, and every critical item cites
its violation type (flagged for checking against the official text)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign
from inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, Inspection
from inspections.selectors import version_in_force
from violations.demo import DEMO_CONFIRMATION_NOTE
from violations.domains import Domain
from violations.services import violation_type_in_force

pytestmark = pytest.mark.django_db

COVID_WORDS = ("Mã QR", "khẩu trang", "họ tên, tuổi, địa chỉ, số điện thoại")


def _has_covid(version: ChecklistVersion) -> bool:
    items = ChecklistItem.objects.filter(section__version=version)
    return items.filter(section__domain=Domain.EPIDEMIC).exists() or any(
        w in q for q in items.values_list("question", flat=True) for w in COVID_WORDS
    )


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_covid_checks_are_only_in_the_2021_editions_that_2021_inspections_used(seeded):
    now = timezone.now()
    in_force_today = [version_in_force(t, now) for t in ChecklistTemplate.objects.all()]
    assert all(v is not None and v.status == "published" for v in in_force_today)
    assert not any(_has_covid(v) for v in in_force_today)

    story_day = timezone.make_aware(datetime.datetime(2021, 11, 1, 9, 0))
    general = ChecklistTemplate.objects.get(code="kiem-tra-chung")
    edition_2021 = version_in_force(general, story_day)
    assert edition_2021.status == "retired" and _has_covid(edition_2021)
    assert edition_2021.retired_at <= now and edition_2021.published_at.year == 2021
    # Every edition with COVID-19 checks is retired, and the ra quân of 1/11/2021 used them.
    covid_versions = [v for v in ChecklistVersion.objects.all() if _has_covid(v)]
    assert covid_versions and all(v.status == "retired" for v in covid_versions)
    story = Campaign.objects.get(plan_reference="Kế hoạch số 1751/KH-CABĐ-XDPT")
    story_inspections = Inspection.objects.filter(source=f"campaign:{story.pk}")
    assert story_inspections.exists()
    assert set(story_inspections.values_list("checklist_version__status", flat=True)) == {"retired"}
    # Today's inspections use the editions in force today.
    recent = Inspection.objects.filter(finished_at__gte=now - datetime.timedelta(days=90))
    assert recent.exists() and not recent.filter(checklist_version__status="retired").exists()


def test_todays_checklists_cover_the_wards_work_and_critical_items_cite_types_in_force(seeded):
    today = timezone.localdate()
    published = ChecklistVersion.objects.filter(status="published").select_related("template")
    names = {v.template.name for v in published}
    assert {
        "Kiểm tra an toàn phòng cháy, chữa cháy",
        "Kiểm tra cơ sở kinh doanh có điều kiện về ANTT",
        "Kiểm tra thông báo lưu trú",
        "Kiểm tra vỉa hè, trật tự đô thị",
    } <= names
    critical = ChecklistItem.objects.filter(is_critical=True).prefetch_related("violation_types")
    assert critical.exists()
    for item in critical:
        assert item.violation_types.exists(), item.question
    for item in critical.filter(section__version__status="published").select_related("section__version"):
        codes = {t.code for t in item.violation_types.all()}
        since = timezone.localdate(item.section.version.published_at)
        for day in (since, today):
            in_force = [violation_type_in_force(code=c, on=day) for c in codes]
            assert any(in_force), (item.question, day)
            # Flagged "to be checked", or confirmed by the demo only to show signing, saying it was
            # not checked (#25.7: a flagged entry cannot be cited in a signed MBB01).
            assert all(
                "đối chiếu" in t.verification_note
                and (t.needs_verification or t.verification_note == DEMO_CONFIRMATION_NOTE)
                for t in in_force
                if t
            )


def test_seeding_twice_adds_no_edition(seeded):
    before = ChecklistVersion.objects.count(), ChecklistItem.objects.count()
    call_command("seed_demo")
    assert (ChecklistVersion.objects.count(), ChecklistItem.objects.count()) == before


def test_a_database_seeded_before_gains_todays_edition_and_keeps_its_2021_one(db):
    from inspections.demo import seed_checklists
    from violations.demo import seed_catalogue

    from .factories import published_checklist

    seed_catalogue()
    old = published_checklist(
        code="kiem-tra-chung",
        items=[(Domain.EPIDEMIC, "Mã QR được niêm yết tại lối vào và khách quét mã khi vào", 2, False)],
    )
    seed_checklists()
    first, current = ChecklistVersion.objects.filter(template=old.template).order_by("number")
    assert first.pk == old.pk and first.status == "retired" and _has_covid(first)
    assert current.status == "published" and not _has_covid(current)
    assert version_in_force(old.template, timezone.now()) == current
