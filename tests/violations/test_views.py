import re
from datetime import timedelta
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ResidentialGroupFactory, StreetFactory
from tests.page_reading import linked_pks
from violations import services
from violations.models import Status, Violation

from .factories import BusinessFactory

LIST = "/violations/"  # a record's page is /violations/<pk>/


def login(client, user):
    client.force_login(user)
    return client


# --- ward isolation, anonymous, chairman -------------------------------------------------------
def all_pages(v):
    return [
        ("get", reverse("violations:detail", args=[v.pk])),
        ("get", reverse("violations:edit", args=[v.pk])),
        ("post", reverse("violations:sign", args=[v.pk])),
        ("post", reverse("violations:transfer", args=[v.pk])),
        ("post", reverse("violations:remedied", args=[v.pk])),
        ("post", reverse("violations:amend", args=[v.pk])),
        ("post", reverse("violations:delete", args=[v.pk])),
        ("post", reverse("violations:evidence-add", args=[v.pk])),
    ]


def test_an_officer_of_another_ward_gets_404_on_every_page_of_a_record(client, make_draft, bob):
    draft = make_draft()
    login(client, bob)
    for method, url in all_pages(draft):
        assert getattr(client, method)(url).status_code == 404, url
    assert draft.pk not in linked_pks(client.get(reverse("violations:list")), LIST)
    assert Violation.objects.get(pk=draft.pk).status == Status.DRAFT


def test_anonymous_visitors_go_to_the_login_page(client, make_draft):
    draft = make_draft()
    for url in [
        reverse("violations:list"),
        reverse("violations:repeat"),
        reverse("violations:detail", args=[draft.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_chairman_reads_but_cannot_write(client, make_draft, charlie):
    draft = make_draft()
    login(client, charlie)
    assert client.get(reverse("violations:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("violations:create")).status_code == 403
    for method, url in all_pages(draft)[1:]:
        assert getattr(client, method)(url).status_code == 403, url
    assert Violation.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_officer_cannot_sign(client, make_draft, alice):
    draft = make_draft()
    login(client, alice)
    response = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"})
    assert response.status_code == 403
    page = client.get(reverse("violations:detail", args=[draft.pk]))
    assert "Ký biên bản" not in page.content.decode()


# --- drafting and signing through the pages ----------------------------------------------------
def test_an_officer_drafts_a_violation(client, alice, cafe, sidewalk, forms):
    login(client, alice)
    now = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    response = client.post(
        reverse("violations:create"),
        {
            "business": cafe.pk,
            "violator_kind": "individual",
            "types": ["lan-chiem-via-he"],
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": now.strftime("%Y-%m-%dT%H:%M"),
            "description": "Bày bàn ghế trên vỉa hè.",
            "stage": "",
            "sanction": "none",
        },
    )
    violation = Violation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "violations:detail", args=[violation.pk]
    )
    assert violation.created_by == alice and violation.ward == cafe.ward and violation.stage == "reminder"
    page = client.get(response["Location"]).content.decode()
    assert "Cà phê Hoa Sữa" in page and "Nhắc nhở" in page


def test_a_fine_above_the_limit_at_the_reminder_stage_is_refused_with_a_clear_message(
    client, alice, cafe, sidewalk
):
    login(client, alice)
    now = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("violations:create"),
        {
            "business": cafe.pk,
            "violator_kind": "individual",
            "types": ["lan-chiem-via-he"],
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": now.strftime("%Y-%m-%dT%H:%M"),
            "description": "Bày bàn ghế trên vỉa hè.",
            "stage": "reminder",
            "sanction": "fine",
            "fine_amount": "600000",
        },
    )
    assert response.status_code == 200
    assert "biên bản vi phạm hành chính (MBB01)" in response.content.decode()
    assert not Violation.objects.exists()


def test_a_leader_signs_and_the_number_is_shown(client, make_draft, lena):
    draft = make_draft()
    login(client, lena)
    response = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"}, follow=True)
    assert "Số: 01/BB-VPHC" in response.content.decode()
    assert Violation.objects.get(pk=draft.pk).status == Status.SIGNED


def test_a_refusal_without_a_witness_is_refused_and_nothing_changes(client, make_draft, lena):
    draft = make_draft()
    login(client, lena)
    response = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "refused"})
    assert response.status_code == 400
    assert "người chứng kiến" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.number is None


def test_a_signed_record_cannot_be_edited_from_its_page(client, signed, lena):
    login(client, lena)
    response = client.get(reverse("violations:edit", args=[signed.pk]))
    assert response.status_code == 302
    assert "Sửa bản nháp" not in client.get(reverse("violations:detail", args=[signed.pk])).content.decode()


def test_an_amendment_through_the_pages_keeps_both_records(client, signed, lena):
    login(client, lena)
    response = client.post(
        reverse("violations:amend", args=[signed.pk]), {"reason": "Ghi sai giờ phát hiện."}
    )
    amendment = Violation.objects.get(supersedes=signed)
    assert response["Location"] == reverse("violations:edit", args=[amendment.pk])
    client.post(reverse("violations:sign", args=[amendment.pk]), {"signature": "signed"})
    old_page = client.get(reverse("violations:detail", args=[signed.pk])).content.decode()
    assert "Đã thay thế" in old_page and "Ghi sai giờ phát hiện." in old_page and "Số: 02/BB-VPHC" in old_page


# --- the admin -------------------------------------------------------------------------------
def test_the_admin_cannot_change_or_delete_a_signed_record(client, signed, root):
    login(client, root)
    change = reverse("admin:violations_violation_change", args=[signed.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="description"' not in page.content.decode()
    client.post(change, {"description": "Sửa trong trang quản trị"})
    response = client.post(reverse("admin:violations_violation_delete", args=[signed.pk]), {"post": "yes"})
    assert response.status_code == 403
    signed.refresh_from_db()
    assert signed.description.startswith("Bày bàn ghế")


# --- list, filters, query budget -----------------------------------------------------------
def test_the_list_filters_overdue_and_repeat(client, make_draft, lena, alice, decide):
    overdue = make_draft(occurred_at=timezone.now() - timedelta(days=10))
    fresh = make_draft()
    login(client, alice)
    listed = linked_pks(client.get(reverse("violations:list"), {"overdue": "on"}), LIST)
    assert listed == [overdue.pk]
    signed = services.violation_sign(violation=fresh, signed_by=lena, violator_signed=True)
    decide(signed, lena)
    repeat = make_draft(stage=None, sanction="none", fine_amount=None)
    listed = linked_pks(client.get(reverse("violations:list"), {"repeat": "on"}), LIST)
    assert listed == [repeat.pk]
    page = client.get(reverse("violations:list"), {"status": "draft"}).content.decode()
    assert "quá hạn" in page


def test_each_row_shows_number_time_violator_place_type_stage_status_and_deadline(
    client, make_draft, lena, alice, ward_a
):
    from tests.factories import ResidentialGroupFactory

    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 5")
    # 17:15 UTC is 00:15 the next day in Hà Nội: the list shows the local time.
    when = timezone.now().replace(hour=17, minute=15, second=0, microsecond=0) - timedelta(days=20)
    overdue = make_draft(occurred_at=when, residential_group=group)
    signed = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    repeat = make_draft(stage=None, sanction="none", fine_amount=None)
    person = make_draft(business=None, ward=ward_a, person_name='Người <b>"lạ"</b>', place="Ngõ 7")
    login(client, alice)
    page = client.get(reverse("violations:list")).content.decode()
    rows = {
        int(pk): cells
        for pk, cells in (
            (re.search(r'href="/violations/(\d+)/"', row).group(1), re.findall(r"<td>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr>\s*(<td><a.*?)</tr>", page, re.S)
        )
    }
    assert set(rows) == {overdue.pk, signed.pk, repeat.pk, person.pk}
    number, happened, violator, types, stage, status, due = rows[overdue.pk]
    assert f">Bản nháp #{overdue.pk}</a>" in number
    assert happened == timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
    assert timezone.localtime(when).strftime("%H:%M") == "00:15"
    assert (
        violator
        == 'Cà phê Hoa Sữa<br><span class="help">'
        + escape(overdue.street.name if overdue.street else overdue.place)
        + " · Tổ dân phố số 5</span>"
    )
    assert types == "Để vật chiếm dụng lòng đường, vỉa hè"
    assert stage == "Biên bản vi phạm hành chính (MBB01)"
    assert status == '<span class="badge status-draft">Bản nháp</span>'
    assert due == overdue.due_date.strftime("%d/%m/%Y") + ' <span class="badge badge-err">quá hạn</span>'
    number, *_, status, due = rows[signed.pk]
    assert f">{signed.number_display}</a>" in number and signed.number_display.startswith("Số: ")
    # A signed MBB01 waits for its decision: the column shows the Điều 66 deadline.
    signed.refresh_from_db()
    assert status == '<span class="badge status-signed">Đã ký</span>'
    assert due == signed.decision_due_date.strftime("%d/%m/%Y")
    # The same behaviour recorded before with no decision: vi phạm nhiều lần, not tái phạm.
    assert rows[repeat.pk][4].endswith(' <span class="badge badge-warn">vi phạm nhiều lần</span>')
    assert "quá hạn" not in rows[repeat.pk][6]
    violator, stage = rows[person.pk][2], rows[person.pk][4]
    # Escaped (Jinja2's autoescape writes " as &#34;): the name shows as typed, never as markup.
    assert violator == 'Người &lt;b&gt;&#34;lạ&#34;&lt;/b&gt;<br><span class="help">Ngõ 7</span>'
    assert "tái phạm" not in stage
    empty = client.get(reverse("violations:list"), {"status": "remedied"}).content.decode()
    assert '<tr><td colspan="7">Không có vi phạm nào phù hợp.</td></tr>' in empty


def test_the_new_record_button_shows_for_those_who_may_draft_and_not_for_the_chairman(
    client, alice, lena, charlie
):
    new = f'href="{reverse("violations:create")}"'
    for user, shown in ((alice, True), (lena, True), (charlie, False)):
        login(client, user)
        page = client.get(reverse("violations:list")).content.decode()
        assert (new in page and "Lập vi phạm mới" in page) is shown, user.username
    login(client, charlie)
    assert client.get(reverse("violations:create")).status_code == 403


def test_the_list_keeps_a_fixed_query_budget(
    client, make_draft, alice, ward_a, django_assert_max_num_queries, committed
):
    for n in range(12):
        make_draft(business=BusinessFactory(ward=ward_a, name=f"Quán số {n}"))
    with committed():
        pass
    login(client, alice)
    client.get(reverse("violations:list"), {"domain": "urban_order"})
    # session, user, count, page, items (roles, streets and groups, types: from the cache)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("violations:list"), {"domain": "urban_order"})
    assert len(linked_pks(response, LIST)) == 12


def test_repeat_violators_of_the_ward_are_listed(client, make_draft, lena, alice, bob, decide):
    first = make_draft(occurred_at=timezone.now() - timedelta(days=30))
    decide(services.violation_sign(violation=first, signed_by=lena, violator_signed=True), lena)
    latest = make_draft(stage=None, sanction="none", fine_amount=None)
    old = make_draft(  # outside the 12 months
        occurred_at=timezone.now() - timedelta(days=400), stage=None, sanction="none", fine_amount=None
    )
    assert latest.is_repeat and old.pk
    login(client, alice)
    page = client.get(reverse("violations:repeat")).content.decode()
    assert "Cà phê Hoa Sữa" in page
    # Records of the last 12 months, of them repeats, and the latest one's day.
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page.split("<tbody>")[1], re.S)
    assert cells[2:6] == ["2", "1", "0", timezone.localtime(latest.occurred_at).strftime("%d/%m/%Y")]
    client.logout()
    login(client, bob)
    assert "Cà phê Hoa Sữa" not in client.get(reverse("violations:repeat")).content.decode()


# --- audit history --------------------------------------------------------------------------
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit history is kept by PostgreSQL triggers"
)
def test_the_history_records_who_signed(client, make_draft, lena):
    draft = make_draft()
    login(client, lena)
    client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"})
    from violations.selectors import violation_history

    entries = violation_history(draft)
    assert [e.label for e in entries] == ["insert", "update"]
    assert entries[0].user.username == "alice"
    assert entries[1].user == lena and entries[1].changes["status"] == ["draft", "signed"]
    page = client.get(reverse("violations:detail", args=[draft.pk])).content.decode()
    assert "Lịch sử" in page and str(lena) in page


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit history is kept by PostgreSQL triggers"
)
def test_business_and_catalogue_changes_are_audited_with_the_user(client, cafe, sidewalk, root):
    from violations.audit import audit_context
    from violations.selectors import business_history, violation_type_history

    with audit_context(root):
        cafe.owner_name = "Trần Thị Cúc"
        cafe.save()
        sidewalk.fine_individual_max = 1_200_000
        sidewalk.save()
    assert business_history(cafe)[-1].user == root
    assert business_history(cafe)[-1].changes["owner_name"] == ["Trần Văn Bình", "Trần Thị Cúc"]
    assert violation_type_history(sidewalk)[-1].user == root


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the notice is for the embedded SQLite database")
def test_on_sqlite_the_history_panel_says_why_it_is_empty(client, signed, lena):
    login(client, lena)
    page = client.get(reverse("violations:detail", args=[signed.pk])).content.decode()
    assert "không lưu lịch sử" in page


def _options(html: str, select_name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {select_name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


def test_violation_list_shows_the_records_street_and_group(client, make_draft, alice, ward_a):
    street = StreetFactory(ward=ward_a, name="Phùng Hưng")
    group = ResidentialGroupFactory(ward=ward_a, name="Tổ dân phố số 7")
    make_draft(
        business=None, ward=ward_a, person_name="Nguyễn Văn An", street=street, residential_group=group
    )
    client.force_login(alice)
    html = client.get(reverse("violations:list")).content.decode()
    assert '<span class="help">Phùng Hưng · Tổ dân phố số 7</span>' in html
    assert ("", "Tất cả") in _options(html, "street") and (str(street.pk), "Phùng Hưng") in _options(
        html, "street"
    )
    assert (str(group.pk), "Tổ dân phố số 7") in _options(html, "residential_group")


def test_the_type_filter_offers_each_code_once_with_its_latest_title_and_new_types_at_once(client, alice):
    from .factories import ViolationTypeFactory

    ViolationTypeFactory(
        code="on-ao", title="Gây ồn ào (cũ)", valid_from=timezone.localdate() - timedelta(days=900)
    )
    ViolationTypeFactory(
        code="on-ao", title="Gây ồn ào sau 22 giờ", valid_from=timezone.localdate() - timedelta(days=9)
    )
    login(client, alice)
    page = client.get(reverse("violations:list")).content.decode()
    select = re.search(r'<select name="type"[^>]*>(.*?)</select>', page, re.S)[1]
    assert re.findall(r'<option value="on-ao"[^>]*>([^<]*)</option>', select) == ["Gây ồn ào sau 22 giờ"]
    ViolationTypeFactory(code="xa-rac", title="Xả rác nơi công cộng")  # added in the admin meanwhile
    page = client.get(reverse("violations:list")).content.decode()
    assert '<option value="xa-rac">Xả rác nơi công cộng</option>' in page


def test_rows_keep_each_records_cited_types_in_order(make_draft, alice, committed):
    from violations import selectors
    from violations.models import ViolationItem
    from wards.places import PagePlaces

    drafts = [make_draft() for _ in range(3)]
    values = list(
        selectors.violation_list(alice)
        .filter(pk__in=[d.pk for d in drafts])
        .values_list(*selectors.ROW_COLUMNS)
    )
    expected = {
        d.pk: tuple(ViolationItem.objects.filter(violation=d).values_list("violation_type__title", flat=True))
        for d in drafts
    }
    rows = selectors.violation_rows_of(values, PagePlaces(alice))
    assert {row.pk: row.item_titles for row in rows} == expected
    assert all(expected.values())
    # The titles from the cache (one query for the page's cited types), renamed in the admin.
    with committed():
        pass
    selectors.violation_rows_of(values, PagePlaces(alice))
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.violation_rows_of(values, PagePlaces(alice))
    assert len(queries) == 1 and {row.pk: row.item_titles for row in rows} == expected
    cited = ViolationItem.objects.filter(violation=drafts[0]).first().violation_type
    with committed():
        cited.title = "Tên mới của hành vi"
        cited.save()
    rows = selectors.violation_rows_of(values, PagePlaces(alice))
    assert "Tên mới của hành vi" in rows[[r.pk for r in rows].index(drafts[0].pk)].item_titles
