"""The next due actions are a pure function of the business's facts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from businesses.selectors import months_ago
from businesses.timeline import next_due_actions

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
TODAY = NOW.date()


def actions(**facts) -> list[str]:
    base = {
        "status": "active",
        "is_conditional": False,
        "certificate_number": "",
        "certificate_expiry": None,
        "last_inspected_at": NOW - timedelta(days=10),
    }
    base.update(facts)
    return [a.text for a in next_due_actions(**base, today=TODAY, now=NOW)]


def test_nothing_due_for_a_recently_inspected_ordinary_business():
    assert actions() == []


def test_expired_and_expiring_certificates_are_due():
    assert (
        "đã hết hạn ngày 27/11/2026"
        in actions(certificate_number="1", certificate_expiry=date(2026, 11, 27))[0]
    )
    assert (
        "hết hạn ngày 20/12/2026" in actions(certificate_number="1", certificate_expiry=date(2026, 12, 20))[0]
    )
    assert actions(certificate_number="1", certificate_expiry=date(2027, 6, 1)) == []


def test_missing_certificate_and_old_inspection_are_due():
    texts = actions(is_conditional=True, last_inspected_at=NOW - timedelta(days=200))
    assert len(texts) == 2
    assert "chưa có giấy chứng nhận đủ điều kiện về ANTT" in texts[0]
    assert "đến hạn kiểm tra" in texts[1]


def test_closed_business_has_nothing_due():
    assert actions(status="closed", last_inspected_at=None) == []


def test_months_ago_clamps_to_the_end_of_shorter_months():
    assert months_ago(datetime(2026, 3, 31, tzinfo=TZ), 1).date() == date(2026, 2, 28)
    assert months_ago(datetime(2026, 1, 15, tzinfo=TZ), 14).date() == date(2024, 11, 15)
