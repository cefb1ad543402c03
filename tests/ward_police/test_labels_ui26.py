"""One English word, two Vietnamese meanings: each use says the right one (pgettext)."""

import pytest
from django.urls import reverse

from businesses.models import BusinessStatus
from campaigns.models import CampaignStatus

pytestmark = pytest.mark.django_db


def test_the_campaign_name_is_labelled_as_a_campaign_name_not_a_persons(client, lena):
    client.force_login(lena)
    html = client.get(reverse("campaigns:create")).content.decode()
    assert '<label for="id_name">Tên đợt ra quân' in html
    assert "Họ tên" not in html


def test_closed_says_closed_down_for_a_business_and_finished_for_a_campaign():
    assert str(BusinessStatus.CLOSED.label) == "Đã đóng cửa"
    assert str(CampaignStatus.CLOSED.label) == "Đã kết thúc"


def test_the_feedback_inbox_heads_its_columns_with_subject_and_message(client, lena):
    client.force_login(lena)
    html = client.get(reverse("feedback:list")).content.decode()
    assert "Vấn đề phản ánh" in html
    assert "Nội dung phản ánh" not in html
