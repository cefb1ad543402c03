import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from wards.models import ResidentialGroup, Street, Ward

pytestmark = pytest.mark.django_db

MODELS = [Ward, Street, ResidentialGroup, User]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_demo_twice_leaves_the_same_row_counts(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["Ward"] == 2 and first["User"] == 6


def test_seed_demo_creates_the_contract_users_in_their_wards(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    dien_bien = Ward.objects.get(name="Phường Điện Biên")
    for username, role in [
        ("leader1", Role.LEADER),
        ("officer1", Role.OFFICER),
        ("officer2", Role.OFFICER),
        ("chairman1", Role.CHAIRMAN),
    ]:
        user = User.objects.get(username=username)
        assert user.ward == dien_bien
        assert user.role == role
        assert user.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="officer_b").ward.name == "Phường Ngọc Hà"
    streets = set(dien_bien.streets.values_list("name", flat=True))
    assert {"Điện Biên Phủ", "Nguyễn Thái Học", "Hoàng Diệu", "Hùng Vương"} <= streets


def test_seed_demo_scales_wards(settings):
    settings.DEBUG = True
    call_command("seed_demo", wards=3)
    assert Ward.objects.count() == 5


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert Ward.objects.count() == 0
    call_command("seed_demo", force=True)
    assert Ward.objects.count() == 2


def test_generated_wards_get_staff_so_bulk_inspections_reach_them(settings):
    from inspections.models import Inspection

    settings.DEBUG = True
    call_command("seed_demo", wards=2, businesses=1200, inspections=3000)
    generated = Ward.objects.filter(code__startswith="DEMO-GEN")
    for ward in generated:
        assert User.objects.filter(ward=ward).count() == 2
        for user in User.objects.filter(ward=ward):
            assert user.check_password(settings.DEMO_PASSWORD)
        assert Inspection.objects.filter(business__ward=ward).exists()
    call_command("seed_demo", wards=2)
    assert User.objects.filter(ward__in=generated).count() == 4


def test_at_scale_owners_sign_commitments_and_citizens_send_feedback(settings):
    from django.utils import timezone

    from businesses.demo import BULK_FEEDBACK_MESSAGES
    from businesses.models import Feedback
    from inspections.demo import BULK_PERSON_PRESENT
    from inspections.models import Commitment, Inspection

    settings.DEBUG = True
    call_command("seed_demo", wards=2, businesses=2000, inspections=4000)
    bulk = Inspection.objects.filter(person_present_name=BULK_PERSON_PRESENT)
    not_passed = bulk.exclude(result="passed")
    commitments = Commitment.objects.filter(inspection__in=bulk)
    # About 60 % of the reminded or failed inspections end with a signed commitment, none of the passed.
    assert 0.45 * not_passed.count() < commitments.count() < 0.75 * not_passed.count()
    assert not commitments.filter(inspection__result="passed").exists()
    today = timezone.localdate()
    overdue = commitments.filter(fulfilled_at__isnull=True, deadline__lt=today).count()
    past = commitments.filter(deadline__lt=today).count()
    assert 0 < overdue < 0.15 * past  # most are kept; a few are overdue on the dashboards
    assert commitments.filter(refused_to_sign=True).exclude(witness_name="").exists()
    # About one feedback for every 40 generated businesses, most of them resolved.
    feedback = Feedback.objects.filter(message__in=[m for _c, m in BULK_FEEDBACK_MESSAGES])
    assert 20 < feedback.count() < 90
    assert feedback.filter(status="resolved").count() > feedback.count() / 2
    assert not feedback.filter(status="resolved", resolved_at__isnull=True).exists()
    # A second run adds neither.
    n_commitments, n_feedback = commitments.count(), feedback.count()
    call_command("seed_demo", wards=2, businesses=2000, inspections=4000)
    assert (commitments.count(), feedback.count()) == (n_commitments, n_feedback)
