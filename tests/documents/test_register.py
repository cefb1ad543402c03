"""The register of document numbers (documents.register): one gapless sequence per ward, kind
and year, printed with at least two digits."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from documents.layout import document_number
from documents.models import RegisterCounter, RegisterEntry, RegisterKind
from documents.register import register_entry_for, register_issue

DAY = datetime.date(2026, 3, 5)


def issue(ward, signer, obj, kind=RegisterKind.INSPECTION_RECORD, **kw):
    kw.setdefault("year", DAY.year)
    return register_issue(
        ward=ward, kind=kind, issued_on=DAY, title="Biên bản kiểm tra", signer=signer, obj=obj, **kw
    )


def test_numbers_print_with_at_least_two_digits():
    assert document_number(1, "BB-KT") == "01/BB-KT"
    assert document_number(9, "BB-KT") == "09/BB-KT"
    assert document_number(10, "BB-KT") == "10/BB-KT"
    assert document_number(123, "QĐ-XPHC") == "123/QĐ-XPHC"
    assert document_number(None, "BB-KT") == ""


@pytest.mark.django_db
def test_each_kind_ward_and_year_has_its_own_sequence(ward_a, ward_b, lena, bob):
    first = issue(ward_a, lena, lena)
    second = issue(ward_a, lena, ward_a)
    other_kind = issue(ward_a, lena, lena, kind=RegisterKind.CAMPAIGN_REPORT)
    other_ward = issue(ward_b, bob, bob)
    next_year = issue(ward_a, lena, ward_b, year=2027)

    assert (first.number, second.number) == (1, 2)
    assert other_kind.number == 1 and other_kind.symbol == "BC-RQ"
    assert other_ward.number == 1
    assert next_year.number == 1
    assert first.number_text == "01/BB-KT"
    stored = RegisterEntry.objects.get(pk=second.pk)
    assert (stored.ward, stored.kind, stored.year, stored.number, stored.issued_on, stored.signer) == (
        ward_a,
        RegisterKind.INSPECTION_RECORD,
        2026,
        2,
        DAY,
        lena,
    )
    assert stored.record == ward_a
    assert register_entry_for(ward_a, RegisterKind.INSPECTION_RECORD) == stored
    assert register_entry_for(ward_a, RegisterKind.MBB01) is None
    assert (
        RegisterCounter.objects.get(ward=ward_a, kind=RegisterKind.INSPECTION_RECORD, year=2026).last_number
        == 2
    )


@pytest.mark.django_db
def test_a_rolled_back_signing_gives_its_number_back(ward_a, lena):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(ward_a, lena, lena)
        raise RuntimeError("the signing failed after numbering")
    assert not RegisterEntry.objects.exists()
    assert issue(ward_a, lena, lena).number == 1


@pytest.mark.django_db
def test_a_record_cannot_take_a_second_number_of_the_same_kind(ward_a, lena):
    from django.db import IntegrityError

    issue(ward_a, lena, lena)
    with pytest.raises(IntegrityError), transaction.atomic():
        issue(ward_a, lena, lena)
    assert RegisterEntry.objects.filter(content_type=ContentType.objects.get_for_model(lena)).count() == 1


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(ward_a, lena):
    with pytest.raises(ValueError):
        issue(ward_a, lena, lena, kind="memo")
    assert not RegisterCounter.objects.exists()
