"""The helpers the list rows are written with escape and format as the templates did."""

from datetime import UTC, datetime

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
