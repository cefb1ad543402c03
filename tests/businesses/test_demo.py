"""Demo businesses through seed_demo: realistic, idempotent, scalable."""

import pytest
from django.core.management import call_command

from businesses.models import Business, BusinessCategory
from businesses.text import fold
from wards.models import Ward

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_dien_bien_with_a_few_hundred_businesses_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    dien_bien = Ward.objects.get(code="DEMO-HN-DB")
    second = Ward.objects.get(code="DEMO-HN-NH")
    # the named businesses of the inspection stories are among the 300
    assert Business.objects.filter(ward=dien_bien).count() == 300
    assert Business.objects.filter(ward=second).count() == 20
    first_total = Business.objects.count()
    assert BusinessCategory.objects.filter(requires_security_certificate=True).count() >= 5
    sample = Business.objects.filter(ward=dien_bien).select_related("street", "residential_group")
    assert all(b.street.ward_id == dien_bien.pk for b in sample)
    assert all(b.search_text == b.compute_search_text() for b in sample)
    assert Business.objects.filter(ward=dien_bien, certificate_number__gt="", is_conditional=True).exists()
    assert Business.objects.filter(ward=dien_bien, street__name="Nguyễn Thái Học").exists()
    assert any(fold(b.name).startswith(("ca phe", "quan pho", "bun cha")) for b in sample)

    call_command("seed_demo")
    assert Business.objects.count() == first_total


def test_seed_demo_reaches_the_requested_total_across_wards(settings):
    settings.DEBUG = True
    call_command("seed_demo", wards=2, businesses=1000)
    assert Business.objects.count() == 1000
    generated = Ward.objects.filter(code__startswith="DEMO-GEN").order_by("code")
    per_ward = {w.code: Business.objects.filter(ward=w).count() for w in generated}
    assert list(per_ward) == ["DEMO-GEN-0001", "DEMO-GEN-0002"]
    assert all(count > 100 for count in per_ward.values()), per_ward
    call_command("seed_demo", wards=2, businesses=1000)
    assert Business.objects.count() == 1000
