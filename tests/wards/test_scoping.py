import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.factories import StreetFactory, UserFactory
from wards.models import Street
from wards.scoping import get_for_user, scope_to_user

pytestmark = pytest.mark.django_db


def test_officer_sees_only_streets_of_own_ward(alice, ward_a, ward_b):
    mine = StreetFactory(ward=ward_a, name="Nguyễn Thái Học")
    StreetFactory(ward=ward_b, name="Đội Cấn")
    assert list(scope_to_user(Street.objects.all(), alice)) == [mine]


def test_officer_of_other_ward_gets_404_for_ward_a_object(bob, ward_a):
    street = StreetFactory(ward=ward_a)
    with pytest.raises(Http404):
        get_for_user(Street.objects.all(), bob, pk=street.pk)


def test_officer_gets_own_ward_object(alice, ward_a):
    street = StreetFactory(ward=ward_a)
    assert get_for_user(Street.objects.all(), alice, pk=street.pk) == street


def test_superuser_sees_every_ward(root, ward_a, ward_b):
    StreetFactory(ward=ward_a)
    StreetFactory(ward=ward_b)
    assert scope_to_user(Street.objects.all(), root).count() == 2


def test_user_without_ward_and_anonymous_see_nothing(ward_a):
    StreetFactory(ward=ward_a)
    homeless = UserFactory(ward=None)
    assert scope_to_user(Street.objects.all(), homeless).count() == 0
    assert scope_to_user(Street.objects.all(), AnonymousUser()).count() == 0


def test_malformed_pk_is_404_not_500(alice):
    with pytest.raises(Http404):
        get_for_user(Street.objects.all(), alice, pk="abc")


def test_ward_list_itself_is_scoped_with_self(alice, ward_a, ward_b):
    from wards.models import Ward

    assert list(scope_to_user(Ward.objects.all(), alice, ward_field="self")) == [ward_a]
