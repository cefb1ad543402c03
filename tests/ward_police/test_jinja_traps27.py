"""Jinja2's traps, each as the site would meet it (ward_police/jinja_env.py, docs/rendering-and-caching.md).

Tests run with JINJA2_STRICT (settings/test.py): an undefined variable raises, and so does printing
a datetime, a date, a float, a Decimal or a method without the filter that shows it the ward's way.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from jinja2 import UndefinedError

from ward_police.jinja_env import UnformattedValue, environment

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_the_site_pages_are_rendered_by_jinja2_and_the_documents_by_django_templates():
    from django.template.loader import get_template

    assert type(get_template("businesses/business_list.html")).__module__ == "django.template.backends.jinja2"
    assert type(get_template("violations/violation_record_pdf.html")).__module__ == "django.template.backends.django"


def test_a_missing_variable_fails_in_tests_instead_of_printing_nothing():
    with pytest.raises(UndefinedError):
        render("{{ business.nmae }}", business={"name": "Cà phê Sương"})
    with pytest.raises(UndefinedError):
        render("{% if feedbak %}x{% endif %}")


def test_a_method_printed_without_its_call_fails():
    class Row:
        def get_status_display(self):
            return "Đang hoạt động"

    with pytest.raises(UnformattedValue, match=r"with \(\)"):
        render("{{ row.get_status_display }}", row=Row())
    assert render("{{ row.get_status_display() }}", row=Row()) == "Đang hoạt động"


def test_default_fires_on_undefined_only_unless_asked_for_empty_values_too():
    # Django's `default` fired on "" and None; Jinja2's only on an undefined value.
    assert render('{{ name|default("—") }}', name="") == ""
    assert render('{{ name|default("—", true) }}', name="") == "—"
    assert render('{{ name|default("—", true) }}', name=None) == "—"


def test_the_header_shows_the_username_when_the_full_name_is_empty(client, alice):
    alice.full_name = ""
    alice.save()
    client.force_login(alice)
    html = client.get(reverse("businesses:list")).content.decode()
    assert f"<span>{alice.username}" in html


def test_a_dict_key_named_items_is_shadowed_by_the_method():
    data = {"items": ["a", "b"]}
    assert render("{{ data['items']|join(',') }}", data=data) == "a,b"
    with pytest.raises(UnformattedValue):  # data.items is dict.items, not the list
        render("{{ data.items }}", data=data)


def test_the_error_summary_lists_each_field_in_error(client):
    # The summary's macro reads the errors under the key "items" with ["items"], not .items.
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    assert '<div class="error-summary" role="alert"' in html
    assert html.count('<a href="#id_username">') == 1


def test_datetimes_show_in_the_ward_time_zone_only_through_the_filter():
    late = dt.datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 00:30 on the 5th in Điện Biên
    assert render('{{ t|date("d/m/Y H:i") }}', t=late) == "05/12/2026 00:30"
    assert render("{{ t|date }}", t=late) == "05/12/2026"
    assert render("{{ (t|localtime).tzinfo }}", t=late) == str(ZoneInfo("Asia/Ho_Chi_Minh"))
    with pytest.raises(UnformattedValue, match=r"\|date"):
        render("{{ t }}", t=late)
    with pytest.raises(UnformattedValue):
        render("{{ d }}", d=dt.date(2026, 12, 5))


def test_outside_tests_a_raw_datetime_still_prints_in_local_time():
    env = environment(strict=False, autoescape=True)
    late = dt.datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    assert env.from_string("{{ t }}").render(t=late) == "05/12/2026 00:30"
    with translation.override("vi"):
        assert env.from_string("{{ x }}").render(x=Decimal("2500000.5")) == "2.500.000,5"


def test_numbers_are_localised_only_through_a_filter():
    with translation.override("vi"):
        assert render("{{ n|number }}", n=2500000) == "2.500.000"
        assert render("{{ n|floatformat(1) }}", n=12.25) == "12,3"
        assert render("{{ n|money }}", n=2500000) == "2.500.000đ"
        with pytest.raises(UnformattedValue, match="number"):
            render("{{ n }}", n=12.5)


def test_new_style_gettext_formats_names_and_needs_a_double_percent_for_a_literal_one():
    with translation.override("vi"):
        assert render('{{ _("Businesses") }}') == "Cơ sở kinh doanh"
        assert render('{{ _("%(n)s%% done", n=40) }}') == "40% done"
    with translation.override("en"):
        assert render('{{ ngettext("%(num)s business", "%(num)s businesses", 3) }}') == "3 businesses"
        assert render('{{ ngettext("%(num)s business", "%(num)s businesses", 1) }}') == "1 business"


def test_translations_are_escaped_and_django_safe_strings_are_not_escaped_twice():
    from django.utils.safestring import mark_safe

    assert render("{{ v }}", v="<b>Hùng</b>") == "&lt;b&gt;Hùng&lt;/b&gt;"
    assert render("{{ v }}", v=mark_safe("<b>Hùng</b>")) == "<b>Hùng</b>"
    assert render('{{ _("%(name)s", name=v) }}', v="<i>") == "&lt;i&gt;"


@override_settings(LANGUAGE_CODE="vi")
def test_a_page_is_in_vietnamese_with_correct_diacritics(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in html
