"""#25.2: a record a leader signs comes back to the officer who made it, on /my/ and in the
notifications list, for 14 days; another officer does not see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.factories import UserFactory
from tests.violations.factories import BusinessFactory, ViolationTypeFactory, record_forms
from violations import services as violation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(alice, lena, ward_a):
    record_forms()
    ViolationTypeFactory(
        code="lan-chiem-via-he",
        decree="282/2025/NĐ-CP",
        article=8,
        clause=1,
        point="a",
        title="Để vật chiếm dụng lòng đường, vỉa hè",
    )
    occurred = timezone.now() - timedelta(hours=3)
    draft = violation_services.violation_create_draft(
        business=BusinessFactory(ward=ward_a, name="Cà phê Hoa Sữa", owner_name="Trần Văn Bình"),
        types=["lan-chiem-via-he"],
        occurred_at=occurred,
        discovered_at=occurred,
        made_at=occurred,
        made_place="Trước cửa cơ sở",
        description="Bày bàn ghế chiếm toàn bộ vỉa hè trước cửa quán.",
        created_by=alice,
        stage="violation_record",
        sanction="fine",
        fine_amount=400_000,
    )
    return violation_services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)


def _section(html: str, heading: str) -> str:
    start = html.index(heading)
    return html[start : html.index("</section>", start)]


def test_the_signed_record_comes_back_to_the_officer_who_made_it(client, alice, ward_a, signed):
    assert signed.number_display == "Số: 01/BB-VPHC"
    client.force_login(alice)
    for url in ("/my/", "/my/notifications/"):
        html = client.get(url).content.decode()
        returned = _section(html, "Đã ký / trả lại")
        assert "Số: 01/BB-VPHC" in returned and "Cà phê Hoa Sữa" in returned, url
        assert f'href="/violations/{signed.pk}/"' in returned

    olga = UserFactory(username="olga", ward=ward_a, role=Role.OFFICER)
    client.force_login(olga)
    html = client.get("/my/").content.decode()
    returned = _section(html, "Đã ký / trả lại")
    assert "Cà phê Hoa Sữa" not in returned and "Số: 01/BB-VPHC" not in returned


def test_after_14_days_it_leaves_the_list(alice, lena, signed):
    from dashboards.selectors_my import returned_to_me

    # A signed record is immutable (a database trigger), so the clock moves instead.
    assert [i.number for i in returned_to_me(alice, now=signed.signed_at + timedelta(days=13))] == [
        "Số: 01/BB-VPHC"
    ]
    assert returned_to_me(alice, now=signed.signed_at + timedelta(days=15)) == []
    # The leader who signed it gets nothing back: it was not theirs.
    assert returned_to_me(lena) == []


def test_a_signed_decision_on_the_officers_record_comes_back_too(client, alice, lena, signed):
    from violations import decisions
    from violations.competence import competence_rows
    from violations.models import CompetenceLimit

    for row in competence_rows():
        keys = {k: row.pop(k) for k in ("title", "domain", "valid_from")}
        CompetenceLimit.objects.get_or_create(**keys, defaults=row)
    draft = decisions.decision_create_draft(
        violation=signed, actor=lena, sanction="fine", fine_amount=400_000
    )
    decision = decisions.decision_sign(decision=draft, signed_by=lena, signer_title="police_head")
    assert decision.number_display
    client.force_login(alice)
    returned = _section(client.get("/my/").content.decode(), "Đã ký / trả lại")
    assert "Quyết định xử phạt vi phạm hành chính" in returned and decision.number_display in returned
    assert f'href="/violations/{signed.pk}/decision/"' in returned
