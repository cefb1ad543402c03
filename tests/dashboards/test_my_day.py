"""The landing pages: an officer's day (/my/), a leader's desk (/my/leader/), where each role
lands after logging in, and the deadline notifications (header count, list, e-mail digest).

alice is an officer of ward A, olga another officer of ward A, lena the leader of ward A,
charlie the chairman of ward A, bob an officer of ward B."""

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from businesses.models import Business
from businesses.models_public import FeedbackStatus
from dashboards import selectors_my
from dashboards.tasks import notifications_digest_task
from tests.businesses.factories import BusinessFactory, FeedbackFactory
from tests.campaigns.factories import active_campaign
from tests.dashboards.factories import commitment, inspection, local, violation
from tests.factories import TEST_PASSWORD, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def olga(ward_a):
    return UserFactory(username="olga", ward=ward_a, role=Role.OFFICER)


@pytest.fixture
def today():
    return timezone.localdate()


def week_end(day: dt.date) -> dt.date:
    return day + timedelta(days=6 - day.weekday())


def business(ward, name: str, **kwargs) -> Business:
    return BusinessFactory(ward=ward, name=name, **kwargs)


def now_at(day: dt.date) -> dt.datetime:
    return local(day, 9)


def campaign_today(leader, targets, **kwargs):
    today = timezone.localdate()
    return active_campaign(leader=leader, targets=targets, starts_on=today, ends_on=today, **kwargs)


def assign(campaign, business_obj, officer):
    from campaigns.services import campaign_targets_assign

    target = campaign.targets.get(business=business_obj)
    campaign_targets_assign(campaign=campaign, target_ids=[target.pk], officer=officer)
    return target


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- where people land ----------------------------------------------------------------------


def test_officer_logs_in_and_lands_on_my_day(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/my/"
    html = body(response)
    assert "<h1>Việc của tôi" in html
    assert "charset=utf-8" in response["Content-Type"]


def test_leader_logs_in_and_lands_on_the_leaders_desk(client, lena):
    response = client.post(LOGIN, {"username": "lena", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/my/leader/"
    assert "<h1>Việc của lãnh đạo" in body(response)


def test_chairman_keeps_the_dashboard(client, charlie):
    response = client.post(LOGIN, {"username": "charlie", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:home")


def test_a_next_address_still_wins_over_the_landing_page(client, alice):
    response = client.post(LOGIN + "?next=/violations/", {"username": "alice", "password": TEST_PASSWORD})
    assert response["Location"] == "/violations/"


@pytest.mark.parametrize("who", ["alice", "lena", "charlie"])
def test_the_dashboard_stays_reachable_for_every_role_of_the_ward(client, users, who):
    client.force_login(
        {"alice": users["officer"], "lena": users["leader"], "charlie": users["chairman"]}[who]
    )
    assert client.get("/dashboard/").status_code == 200


def test_the_chairman_may_not_open_an_officers_page_nor_an_officer_the_leaders(client, charlie, alice):
    client.force_login(charlie)
    assert client.get("/my/").status_code == 403
    client.force_login(alice)
    assert client.get("/my/leader/").status_code == 403


def test_the_menu_leads_an_officer_to_my_day(client, alice):
    client.force_login(alice)
    html = body(client.get("/businesses/"))
    assert '<a href="/my/">Việc của tôi</a>' in html


# --- the officer's day ----------------------------------------------------------------------


def test_todays_targets_assigned_to_the_officer_are_cards_with_one_inspect_button(client, alice, olga, lena):
    mine = business(alice.ward, "Quán Cà Phê Lê Trực")
    hers = business(alice.ward, "Karaoke Hoàng Diệu")
    campaign = campaign_today(lena, [mine, hers], officers=[alice, olga])
    assign(campaign, mine, alice)
    assign(campaign, hers, olga)

    client.force_login(alice)
    html = body(client.get("/my/"))
    cards = re.findall(r'<li class="my-card" data-target="\d+">(.*?)</li>', html, re.S)
    assert len(cards) == 1
    assert "Quán Cà Phê Lê Trực" in cards[0]
    assert "Karaoke Hoàng Diệu" not in html
    assert f'href="/inspections/new/?business={mine.pk}&amp;campaign={campaign.pk}"' in cards[0]
    assert cards[0].count(">Kiểm tra<") == 1


def test_a_target_already_inspected_leaves_the_cards(client, alice, lena):
    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    campaign = campaign_today(lena, [cafe], officers=[alice])
    target = assign(campaign, cafe, alice)
    target.inspection = inspection(cafe, alice, at=timezone.now())
    target.save(update_fields=["inspection"])

    client.force_login(alice)
    html = body(client.get("/my/"))
    assert 'class="my-card"' not in html
    assert "Đã kiểm tra 1 cơ sở" in html


def test_a_planned_or_past_campaign_puts_nothing_on_today(client, alice, lena):
    from tests.campaigns.factories import plan_campaign

    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    today = timezone.localdate()
    planned = plan_campaign(leader=lena, targets=[cafe], officers=[alice], starts_on=today, ends_on=today)
    assign(planned, cafe, alice)
    past = campaign_today(lena, [business(alice.ward, "Bar Trần Phú")], name="Đợt trước")
    assign(past, past.targets.get().business, alice)
    past.starts_on = past.ends_on = today - timedelta(days=1)
    past.save(update_fields=["starts_on", "ends_on"])
    client.force_login(alice)
    assert "Hôm nay không có cơ sở nào được giao cho đồng chí." in body(client.get("/my/"))


def test_my_drafts_count_down_to_their_legal_deadline(client, alice, olga, today):
    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    violation(cafe, alice, at=now_at(today), due=today + timedelta(days=2))
    violation(cafe, alice, at=now_at(today - timedelta(days=5)), due=today - timedelta(days=1))
    violation(cafe, olga, at=now_at(today), due=today)  # olga's, not alice's

    client.force_login(alice)
    html = body(client.get("/my/"))
    drafts = html.split('id="my-drafts-heading"')[1].split("</section>")[0]
    assert drafts.count('<li class="my-deadline') == 2
    assert "Còn 2 ngày" in drafts
    assert "Quá hạn 1 ngày" in drafts
    assert "Đến hạn hôm nay" not in drafts
    # the most urgent first
    assert drafts.index("Quá hạn 1 ngày") < drafts.index("Còn 2 ngày")


def test_commitments_of_my_inspections_due_this_week(client, alice, olga, today):
    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    bar = business(alice.ward, "Bar Nguyễn Thái Học")
    later = business(alice.ward, "Nhà nghỉ Chu Văn An")
    kept = business(alice.ward, "Tiệm vàng Trần Phú")
    hers = business(alice.ward, "Karaoke Hoàng Diệu")
    commitment(inspection(cafe, alice, at=timezone.now()), deadline=week_end(today))
    # olga recorded it, alice was among the inspectors
    shared = inspection(bar, olga, at=timezone.now())
    shared.inspectors.add(alice)
    commitment(shared, deadline=today)
    commitment(inspection(later, alice, at=timezone.now()), deadline=week_end(today) + timedelta(days=1))
    commitment(inspection(kept, alice, at=timezone.now()), deadline=today, kept=True)
    commitment(inspection(hers, olga, at=timezone.now()), deadline=today)

    client.force_login(alice)
    html = body(client.get("/my/"))
    section = html.split('id="my-commitments-heading"')[1].split("</section>")[0]
    assert "Cam kết của Quán Cà Phê Lê Trực" in section
    assert "Cam kết của Bar Nguyễn Thái Học" in section
    assert "Nhà nghỉ Chu Văn An" not in section
    assert "Tiệm vàng Trần Phú" not in section
    assert "Karaoke Hoàng Diệu" not in section


def test_commitments_on_the_streets_an_officer_answers_for_show_on_their_day(client, alice, olga, today):
    mine = StreetFactory(ward=alice.ward, name="Lê Trực")
    other = StreetFactory(ward=alice.ward, name="Trần Phú")
    alice.streets.add(mine)
    on_mine = business(alice.ward, "Quán Cà Phê Lê Trực", street=mine)
    on_other = business(alice.ward, "Karaoke Trần Phú", street=other)
    commitment(inspection(on_mine, olga, at=timezone.now()), deadline=today)  # olga inspected it
    commitment(inspection(on_other, olga, at=timezone.now()), deadline=today)

    client.force_login(alice)
    section = body(client.get("/my/")).split('id="my-commitments-heading"')[1].split("</section>")[0]
    assert "Cam kết của Quán Cà Phê Lê Trực" in section
    assert "Karaoke Trần Phú" not in section
    assert re.search(r"data-notification-count>1<", body(client.get("/my/notifications/count/")))


def test_an_administrator_may_give_an_officer_only_streets_of_their_ward(rf, root, alice, ward_b):
    from django.contrib import admin as django_admin

    from accounts.admin import UserAdmin
    from accounts.models import User

    own, foreign = StreetFactory(ward=alice.ward, name="Lê Trực"), StreetFactory(ward=ward_b, name="Đội Cấn")
    request = rf.get("/admin/")
    request.user = root
    form_class = UserAdmin(User, django_admin.site).get_form(request, alice, change=True)
    data = {
        "username": alice.username,
        "full_name": alice.full_name,
        "ward": alice.ward_id,
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "groups": list(alice.groups.values_list("pk", flat=True)),
    }
    refused = form_class(data={**data, "streets": [own.pk, foreign.pk]}, instance=alice)
    assert not refused.is_valid()
    assert refused.errors["streets"] == ["Chỉ chọn tuyến phố thuộc phường của người dùng."]
    accepted = form_class(data={**data, "streets": [own.pk]}, instance=alice)
    assert accepted.is_valid(), accepted.errors
    accepted.save()
    assert list(alice.streets.all()) == [own]


def test_another_wards_records_never_show(client, alice, bob, ward_b, today):
    theirs = business(ward_b, "Quán Cà Phê Ngọc Hà")
    violation(theirs, bob, at=now_at(today), due=today)
    commitment(inspection(theirs, bob, at=timezone.now()), deadline=today)
    client.force_login(alice)
    html = body(client.get("/my/?q=ngoc+ha"))
    assert "Ngọc Hà" not in html.split("<main")[1]
    assert "Không tìm thấy cơ sở nào" in html


def test_the_business_search_folds_accents_and_finds_addresses(client, alice, ward_b):
    street = StreetFactory(ward=alice.ward, name="Điện Biên Phủ")
    cafe = business(alice.ward, "Quán Cà Phê Nắng", street=street, house_number="48B")
    business(alice.ward, "Karaoke Hoàng Diệu")
    business(ward_b, "Quán Cà Phê Nắng Ngọc Hà")
    client.force_login(alice)
    for query in ("ca phe nang", "dien bien phu", "48B", "CA PHÊ NẮNG"):
        html = body(client.get("/my/", {"q": query}))
        assert "Tìm thấy 1 cơ sở" in html, query
        assert f'href="/inspections/new/?business={cafe.pk}"' in html
        assert "Ngọc Hà" not in html.split("<main")[1]


def test_the_page_has_the_big_inspect_button_and_the_outbox(client, alice):
    client.force_login(alice)
    html = body(client.get("/my/"))
    assert 'class="btn my-big-btn">Kiểm tra cơ sở</button>' in html
    assert '<label for="my-q">' in html and 'id="my-q"' in html
    assert "data-my-outbox" in html and 'href="/inspections/outbox/"' in html
    assert "js/outbox.js" in html and "js/my.js" in html


def test_my_day_reads_with_a_fixed_number_of_queries(
    client, alice, olga, lena, today, django_assert_max_num_queries
):
    def add_rows(n: int, tag: str):
        businesses = [business(alice.ward, f"Cơ sở {tag} {i}") for i in range(n)]
        campaign = campaign_today(lena, businesses, officers=[alice], name=f"Ra quân {tag}")
        for b in businesses:
            assign(campaign, b, alice)
            violation(b, alice, at=now_at(today), due=today + timedelta(days=1))
            insp = inspection(b, alice, at=timezone.now())
            insp.inspectors.add(olga)
            commitment(insp, deadline=today)

    add_rows(1, "A")
    client.force_login(alice)
    with django_assert_max_num_queries(20) as few:
        body(client.get("/my/?q=co+so"))
    add_rows(6, "B")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = body(client.get("/my/?q=co+so"))
    assert len(re.findall(r'class="my-card" data-target=', html)) == 7
    assert "Tìm thấy 7 cơ sở" in html


# --- the leader's desk ----------------------------------------------------------------------


def test_the_leaders_desk_lists_signatures_deadlines_overdue_and_feedback(
    client, lena, alice, bob, ward_b, today
):
    cafe = business(lena.ward, "Quán Cà Phê Lê Trực")
    violation(cafe, alice, at=now_at(today), due=today + timedelta(days=1))
    violation(cafe, alice, at=now_at(today - timedelta(days=6)), due=today - timedelta(days=3))
    violation(cafe, alice, at=now_at(today), due=today + timedelta(days=5))
    commitment(inspection(cafe, alice, at=timezone.now()), deadline=today - timedelta(days=1))
    FeedbackFactory(business=cafe, created_at=timezone.now() - timedelta(days=10))
    FeedbackFactory(
        business=cafe, status=FeedbackStatus.RESOLVED, created_at=timezone.now() - timedelta(days=10)
    )
    theirs = business(ward_b, "Karaoke Ngọc Hà")
    violation(theirs, bob, at=now_at(today), due=today)
    FeedbackFactory(business=theirs)

    client.force_login(lena)
    html = body(client.get("/my/leader/"))
    sections = {
        name: html.split(f'id="lead-{name}-heading"')[1].split("</section>")[0]
        for name in ("overdue", "soon", "sign", "feedback")
    }
    assert sections["sign"].count('<li class="my-deadline') == 3
    assert sections["overdue"].count('<li class="my-deadline') == 3  # a record, a commitment, feedback
    assert "Quá hạn 3 ngày" in sections["overdue"]
    assert "Cam kết của Quán Cà Phê Lê Trực" in sections["overdue"]
    assert sections["soon"].count('<li class="my-deadline') == 1
    assert "Còn 1 ngày" in sections["soon"]
    assert sections["feedback"].count('<li class="my-deadline') == 1
    assert "Ngọc Hà" not in html


def test_the_leaders_desk_reads_with_a_fixed_number_of_queries(
    client, lena, alice, today, django_assert_max_num_queries
):
    def add_rows(n: int):
        for i in range(n):
            b = business(lena.ward, f"Cơ sở {i}")
            violation(b, alice, at=now_at(today), due=today)
            commitment(inspection(b, alice, at=timezone.now()), deadline=today)
            FeedbackFactory(business=b, created_at=timezone.now() - timedelta(days=8))

    add_rows(1)
    client.force_login(lena)
    with django_assert_max_num_queries(20) as few:
        body(client.get("/my/leader/"))
    add_rows(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = body(client.get("/my/leader/"))
    assert html.split('id="lead-sign-heading"')[1].count('<li class="my-deadline') >= 7


# --- notifications --------------------------------------------------------------------------


def test_the_header_asks_for_the_count_without_costing_the_page_a_query(client, alice):
    client.force_login(alice)
    html = body(client.get("/businesses/"))
    assert 'hx-get="/my/notifications/count/"' in html
    assert 'href="/my/notifications/"' in html


def test_the_count_is_the_officers_own_deadlines(client, alice, olga, today):
    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    violation(cafe, alice, at=now_at(today), due=today + timedelta(days=2))  # due soon
    violation(cafe, alice, at=now_at(today), due=today + timedelta(days=3))  # not yet
    commitment(inspection(cafe, alice, at=timezone.now()), deadline=today - timedelta(days=2))  # overdue
    violation(cafe, olga, at=now_at(today), due=today)  # olga's
    FeedbackFactory(business=cafe, created_at=timezone.now() - timedelta(days=30))  # leaders'

    client.force_login(alice)
    badge = body(client.get("/my/notifications/count/"))
    assert re.search(r"data-notification-count>2<", badge)
    assert "hx-get" not in badge  # loaded once
    html = body(client.get("/my/notifications/"))
    assert "2 việc cần đồng chí xử lý" in html
    assert "Quá hạn 2 ngày" in html and "Còn 2 ngày" in html


def test_a_leader_is_notified_of_the_whole_wards_deadlines_and_feedback(
    client, lena, alice, bob, ward_b, settings, today
):
    settings.FEEDBACK_RESPONSE_DAYS = 7
    cafe = business(lena.ward, "Quán Cà Phê Lê Trực")
    violation(cafe, alice, at=now_at(today), due=today)
    FeedbackFactory(business=cafe, created_at=local(today - timedelta(days=6)))  # due tomorrow
    FeedbackFactory(business=cafe, created_at=local(today - timedelta(days=2)))  # due in 5 days
    theirs = business(ward_b, "Karaoke Ngọc Hà")
    violation(theirs, bob, at=now_at(today), due=today)
    FeedbackFactory(business=theirs, created_at=local(today - timedelta(days=20)))

    client.force_login(lena)
    assert re.search(r"data-notification-count>2<", body(client.get("/my/notifications/count/")))
    html = body(client.get("/my/notifications/"))
    assert "Phản ánh của người dân" in html and "Còn 1 ngày" in html
    assert "Ngọc Hà" not in html


def test_after_the_session_ends_the_header_keeps_its_link_instead_of_the_login_page(client):
    response = client.get("/my/notifications/count/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.content == b""
    assert client.get("/my/notifications/count/")["Location"].startswith("/accounts/login/")


def test_the_chairman_gets_no_count(client, charlie, alice, today):
    violation(business(alice.ward, "Quán A"), alice, at=now_at(today), due=today)
    client.force_login(charlie)
    assert "data-notification-count" not in body(client.get("/my/notifications/count/"))


def test_the_count_costs_one_query_per_kind_whatever_the_rows(
    client, lena, alice, today, django_assert_num_queries
):
    cafe = business(lena.ward, "Quán Cà Phê Lê Trực")
    for _ in range(5):
        violation(cafe, alice, at=now_at(today), due=today)
    client.force_login(lena)
    client.get("/my/notifications/count/")  # session and user warmed
    with django_assert_num_queries(3 + 3):  # session, user, roles + records, commitments, feedback
        client.get("/my/notifications/count/")


# --- the e-mail digest ----------------------------------------------------------------------


@pytest.fixture
def mailing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATIONS_EMAIL = True
    settings.SITE_BASE_URL = "https://capdienbien.example.vn"
    return settings


def test_the_digest_mails_each_officer_and_leader_their_deadlines_once_a_day(
    mailing, alice, olga, lena, bob, today
):
    alice.email, lena.email, olga.email, bob.email = "alice@x.vn", "lena@x.vn", "olga@x.vn", "bob@x.vn"
    for u in (alice, lena, olga, bob):
        u.save()
    cafe = business(alice.ward, "Quán Cà Phê Lê Trực")
    draft = violation(cafe, alice, at=now_at(today), due=today + timedelta(days=1))
    commitment(inspection(cafe, alice, at=timezone.now()), deadline=today - timedelta(days=2))
    FeedbackFactory(business=cafe, created_at=timezone.now() - timedelta(days=30))

    assert notifications_digest_task.delay().get() == 2  # alice and lena; olga and bob have none
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"alice@x.vn", "lena@x.vn"}
    alices = by_to["alice@x.vn"]
    assert alices.subject == f"Thời hạn ngày {today:%d/%m/%Y}: 2 việc cần xử lý"
    assert "Còn 1 ngày" in alices.body and "Quá hạn 2 ngày" in alices.body
    assert f"https://capdienbien.example.vn/violations/{draft.pk}/" in alices.body
    assert "Phản ánh" not in alices.body
    assert "Phản ánh của người dân" in by_to["lena@x.vn"].body
    assert "3 việc" in by_to["lena@x.vn"].subject

    # olga answers for the street: the commitment reaches her too.
    olga.streets.add(cafe.street)
    cache.clear()
    mail.outbox.clear()
    assert notifications_digest_task.delay().get() == 3
    assert "Cam kết của Quán Cà Phê Lê Trực" in {m.to[0]: m for m in mail.outbox}["olga@x.vn"].body

    assert notifications_digest_task.delay().get() == 0  # the same day again: nothing more
    assert len(mail.outbox) == 3


def test_no_digest_without_an_email_backend_configured(settings, alice, today):
    settings.NOTIFICATIONS_EMAIL = False
    alice.email = "alice@x.vn"
    alice.save()
    violation(business(alice.ward, "Quán A"), alice, at=now_at(today), due=today)
    assert notifications_digest_task.delay().get() == 0
    assert mail.outbox == []


def test_the_digest_reads_with_a_fixed_number_of_queries(
    mailing, ward_a, today, django_assert_max_num_queries
):
    def add(n: int, tag: str):
        for i in range(n):
            officer = UserFactory(
                username=f"cb-{tag}-{i}", ward=ward_a, role=Role.OFFICER, email=f"{tag}{i}@x.vn"
            )
            b = business(ward_a, f"Cơ sở {tag} {i}")
            violation(b, officer, at=now_at(today), due=today)
            commitment(inspection(b, officer, at=timezone.now()), deadline=today)

    add(1, "a")
    with django_assert_max_num_queries(10) as few:
        assert notifications_digest_task.delay().get() == 1
    cache.clear()
    mail.outbox.clear()
    add(5, "b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert notifications_digest_task.delay().get() == 6


def test_beat_runs_the_digest_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]
    assert entry["task"] == "dashboards.tasks.notifications_digest_task"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


def test_a_user_without_a_ward_sees_empty_pages(client, db):
    lost = UserFactory(username="lost", ward=None, role=Role.OFFICER)
    client.force_login(lost)
    assert "Hôm nay không có cơ sở nào" in body(client.get("/my/"))
    assert selectors_my.notification_count(lost) == 0


def test_the_demo_area_officer_answers_for_four_streets_once(ward_a):
    from accounts import demo as accounts_demo

    for name in ("Điện Biên Phủ", "Lê Trực", "Chu Văn An", "Hoàng Diệu", "Trần Phú"):
        StreetFactory(ward=ward_a, name=name)
    officer1 = UserFactory(username="officer1", ward=ward_a, role=Role.OFFICER)
    assert accounts_demo.seed_streets(users={"officer1": officer1}) == 1
    assert sorted(officer1.streets.values_list("name", flat=True)) == [
        "Chu Văn An",
        "Hoàng Diệu",
        "Lê Trực",
        "Điện Biên Phủ",
    ]
    officer1.streets.remove(*officer1.streets.filter(name="Hoàng Diệu"))
    assert accounts_demo.seed_streets(users={"officer1": officer1}) == 0  # an admin's change stays
    assert officer1.streets.count() == 3
