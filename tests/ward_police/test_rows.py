"""The helpers the list rows are written with escape and format as the templates did."""

from datetime import UTC, datetime

import pytest
from django.utils.html import escape as django_escape
from django.utils.safestring import mark_safe
from django.utils.translation import override

from businesses.models import BusinessStatus
from ward_police.rows import choice_labels, escape, local, pk_url


def test_escape_is_the_templates_escape_and_keeps_safe_html():
    text = """Quán <b>"Ông Bảy"</b> & 'con'"""
    assert (
        escape(text)
        == django_escape(text)
        == ("Quán &lt;b&gt;&quot;Ông Bảy&quot;&lt;/b&gt; &amp; &#x27;con&#x27;")
    )
    assert escape(mark_safe("<em>đã duyệt</em>")) == "<em>đã duyệt</em>"
    assert escape(None) == "" and escape(12) == "12"


def test_choice_labels_pk_urls_and_local_times():
    with override("vi"):
        assert choice_labels(BusinessStatus.choices)["suspended"] == "Tạm ngừng"
    assert pk_url("businesses:detail")(105) == "/businesses/105/"
    # 17:30 UTC is 00:30 the next day in Hà Nội.
    assert local(datetime(2026, 3, 2, 17, 30, tzinfo=UTC), "%d/%m/%Y %H:%M") == "03/03/2026 00:30"
    assert local(None, "%d/%m/%Y") == ""


def test_a_pages_local_formatter_shows_what_local_and_the_date_filter_show():
    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone

    from ward_police.rows import local_formatter

    shown = local_formatter("%d/%m/%Y %H:%M")
    for moment in (datetime(2026, 3, 2, 17, 30, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, tzinfo=UTC)):
        assert shown(moment) == local(moment, "%d/%m/%Y %H:%M")
        assert shown(moment) == date_filter(timezone.localtime(moment), "d/m/Y H:i")
    assert shown(None) == ""
    with pytest.raises(ValueError):
        shown(datetime(2026, 3, 2, 17, 30))
