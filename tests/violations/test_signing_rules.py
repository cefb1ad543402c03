"""What a signature freezes: Vietnamese whatever the signer's UI language, and only catalogue
entries an administrator confirmed against the official text (#25.7)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from documents.models import RegisterEntry
from violations import services
from violations.models import Status, Violation, ViolationType

pytestmark = pytest.mark.django_db


def test_a_leader_with_an_english_interface_freezes_a_vietnamese_legal_basis(client, make_draft, lena):
    draft = make_draft()
    client.force_login(lena)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"}, follow=True)
    assert "The record was signed" in page.content.decode()  # the interface is English
    stored = Violation.objects.get(pk=draft.pk)
    assert stored.status == Status.SIGNED
    assert "khoản 1 Điều 8 Nghị định 282/2025/NĐ-CP" in stored.legal_basis_snapshot
    assert "mức phạt đối với cá nhân 500.000đ–1.000.000đ" in stored.legal_basis_snapshot
    assert "Article" not in stored.legal_basis_snapshot and "fine for" not in stored.legal_basis_snapshot


def test_the_service_freezes_vietnamese_under_any_active_language(make_draft, lena):
    with translation.override("en"):
        signed = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    assert signed.legal_basis_snapshot.startswith("Để vật chiếm dụng lòng đường, vỉa hè: khoản 1 Điều 8")


def test_an_unconfirmed_catalogue_entry_blocks_signing_with_a_clear_message(
    client, make_draft, sidewalk, lena
):
    ViolationType.objects.filter(pk=sidewalk.pk).update(needs_verification=True)
    draft = make_draft()
    with pytest.raises(ValidationError) as caught:
        services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    assert "to be checked against the official text" in " ".join(caught.value.messages)
    client.force_login(lena)
    page = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"}, follow=True)
    html = page.content.decode()
    assert "Không thể ký biên bản này" in html and "Để vật chiếm dụng lòng đường, vỉa hè" in html
    # Nothing half-saved: still a draft, no number taken from the register.
    stored = Violation.objects.get(pk=draft.pk)
    assert (stored.status, stored.number, stored.legal_basis_snapshot) == (Status.DRAFT, None, "")
    assert not RegisterEntry.objects.exists()


def test_a_working_record_may_cite_an_entry_still_to_be_checked(make_draft, sidewalk, lena):
    # MBB02 records a meeting; it grounds no sanction, so the rule applies to MBB01 and decisions.
    ViolationType.objects.filter(pk=sidewalk.pk).update(needs_verification=True)
    draft = make_draft(stage="working_record", sanction="none", fine_amount=None)
    signed = services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    assert signed.status == Status.SIGNED


def test_an_administrator_confirms_an_entry_and_who_and_when_are_kept(
    client, make_draft, sidewalk, lena, root
):
    ViolationType.objects.filter(pk=sidewalk.pk).update(needs_verification=True)
    client.force_login(root)
    changelist = reverse("admin:violations_violationtype_changelist")
    client.post(changelist, {"action": "confirm_entries", "_selected_action": [sidewalk.pk]})
    stored = ViolationType.objects.get(pk=sidewalk.pk)
    assert (
        stored.needs_verification is False and stored.verified_by == root and stored.verified_at is not None
    )
    signed = services.violation_sign(violation=make_draft(), signed_by=lena, violator_signed=True)
    assert signed.status == Status.SIGNED

    client.post(changelist, {"action": "flag_entries", "_selected_action": [sidewalk.pk]})
    stored = ViolationType.objects.get(pk=sidewalk.pk)
    assert stored.needs_verification is True and stored.verified_by is None and stored.verified_at is None


def test_only_an_administrator_may_confirm_an_entry(sidewalk, lena):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.violation_type_confirm(violation_type=sidewalk, user=lena)


def test_the_admin_form_does_not_let_the_flag_be_unticked_by_hand(client, sidewalk, root):
    client.force_login(root)
    html = client.get(reverse("admin:violations_violationtype_change", args=[sidewalk.pk])).content.decode()
    assert 'name="needs_verification"' not in html


@pytest.mark.parametrize("stage", ["violation_record", "working_record"])
@pytest.mark.parametrize(
    "missing, expected",
    [
        ({"made_at": None}, "thời điểm lập biên bản"),
        ({"made_place": ""}, "địa điểm lập biên bản"),
        ({"made_at": None, "made_place": ""}, "thời điểm và địa điểm lập biên bản"),
    ],
)
def test_a_record_without_its_time_or_place_of_making_cannot_be_signed(
    client, make_draft, lena, stage, missing, expected
):
    # MBB01/MBB02 open with "Hôm nay, hồi … tại …": the time and place the officer made it on site.
    extra = {"sanction": "none", "fine_amount": None} if stage == "working_record" else {}
    draft = make_draft(stage=stage, **extra)
    # Drafts made before the form had these fields, or with one of them cleared.
    Violation.objects.filter(pk=draft.pk).update(**missing)
    client.force_login(lena)
    page = client.post(reverse("violations:sign", args=[draft.pk]), {"signature": "signed"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Không thể ký biên bản khi chưa có " + expected in html
    # Nothing saved: still a draft, no number drawn from the register, nothing frozen.
    stored = Violation.objects.get(pk=draft.pk)
    assert (stored.status, stored.number, stored.signed_at, stored.legal_basis_snapshot) == (
        Status.DRAFT,
        None,
        None,
        "",
    )
    assert not RegisterEntry.objects.exists()


def test_once_the_officer_enters_when_and_where_the_record_is_signed(client, make_draft, lena):
    draft = make_draft(made_at=None, made_place="")
    with pytest.raises(ValidationError):
        services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    services.violation_update_draft(
        violation=draft,
        actor=draft.created_by,
        types=["lan-chiem-via-he"],
        made_at=draft.discovered_at,
        made_place="Trước cửa quán",
    )
    draft = Violation.objects.get(pk=draft.pk)
    signed = services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    assert signed.status == Status.SIGNED and signed.number == 1


def test_a_reminder_has_no_time_of_making_to_require(make_draft, lena):
    draft = make_draft(stage="reminder", sanction="none", fine_amount=None)
    signed = services.violation_sign(violation=draft, signed_by=lena, violator_signed=True)
    assert signed.status == Status.SIGNED
