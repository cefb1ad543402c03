"""Registered metrics on factory data."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from businesses.models import BusinessStatus
from criteria import metrics
from criteria.periods import Period

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db

Q3 = Period(2025, 3)
END = date(2025, 9, 30)


def test_certificate_metric_counts_operating_conditional_businesses_of_the_ward(ward_a, ward_b):
    BusinessFactory(ward=ward_a, name="Karaoke Ánh Dương", certificate_expiry=END)
    BusinessFactory(ward=ward_a, name="Nhà nghỉ Hoa Hồng", certificate_expiry=END - timedelta(days=1))
    BusinessFactory(ward=ward_a, name="Cầm đồ Phú Quý", certificate_number="", certificate_expiry=None)
    BusinessFactory(
        ward=ward_a, name="Quán bar đã đóng", status=BusinessStatus.CLOSED, certificate_expiry=None
    )
    BusinessFactory(
        ward=ward_a, name="Tạp hóa", is_conditional=False, certificate_number="", certificate_expiry=None
    )
    BusinessFactory(ward=ward_b, name="Karaoke phường khác", certificate_expiry=None)

    figure = metrics.compute("conditional_certified", ward_a, Q3)

    assert (figure.numerator, figure.denominator) == (1, 3)
    assert figure.value == D("33.33")
    labels = [r.label for r in figure.records]
    assert labels == [
        "Cầm đồ Phú Quý (chưa có giấy chứng nhận)",
        "Nhà nghỉ Hoa Hồng (hết hạn ngày 29/09/2025)",
    ]
    assert "30/09/2025" in figure.description


def test_certificate_metric_without_conditional_businesses_is_no_data_not_zero(ward_a):
    figure = metrics.compute("conditional_certified", ward_a, Q3)
    assert figure.value is None and figure.denominator == 0


def test_every_metric_of_the_issue_is_registered_with_its_data_source():
    expected = {
        "conditional_certified", "businesses_inspected", "compliance_rate", "repeat_violators",
        "records_on_time", "overdue_records_commitments", "campaigns_held", "groups_without_violations",
        "feedback_first_response",
    }  # fmt: skip
    assert expected <= set(metrics.REGISTRY)
    assert metrics.PENDING_METRICS == {}
    assert metrics.get_metric("conditional_certified").unit == "%"


def test_source_keeps_the_records_behind_the_figure_for_the_gap_list(ward_a):
    expired = BusinessFactory(ward=ward_a, name="Karaoke hết hạn", certificate_expiry=date(2020, 1, 1))
    source = metrics.compute("conditional_certified", ward_a, Q3).as_source()
    assert source["records"] == [
        {"label": "Karaoke hết hạn (hết hạn ngày 01/01/2020)", "url": f"/businesses/{expired.pk}/"}
    ]
    assert source["more"] == 0
