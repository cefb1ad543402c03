"""The business history PDF and personal data (Decree 13/2023/NĐ-CP): masked unless the requester
revealed them, each full printout logged as a reveal on screen, the chairman's copy masked."""

import pytest
from django.urls import reverse

from businesses.models import PersonalDataAccess
from documents.models import DocumentJob
from documents.services import build_document
from tests.documents.helpers import pdftotext

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def karaoke(ward_a):
    return BusinessFactory(ward=ward_a, name="Karaoke Hoàng Diệu")


def _text(job, tmp_path) -> str:
    return " ".join(pdftotext(build_document(job), tmp_path).split())


def _ask(client, user, url):
    client.force_login(user)
    response = client.post(url)
    return response, DocumentJob.objects.order_by("-pk").first()


def test_the_history_prints_the_owners_cccd_and_phone_masked(client, alice, karaoke, tmp_path):
    response, job = _ask(client, alice, reverse("business_documents:history_pdf", args=[karaoke.pk]))
    assert response.status_code == 302
    text = _text(job, tmp_path)
    assert "0*********45" in text and "0*******89" in text
    assert "001085012345" not in text and "0912345689" not in text
    assert not PersonalDataAccess.objects.exists()  # nothing was shown in full


def test_an_officer_who_revealed_prints_them_in_full_and_it_is_logged(client, alice, karaoke, tmp_path):
    client.force_login(alice)
    page = client.post(reverse("businesses:reveal", args=[karaoke.pk])).content.decode()
    assert reverse("business_documents:history_full_pdf", args=[karaoke.pk]) in page
    response, job = _ask(client, alice, reverse("business_documents:history_full_pdf", args=[karaoke.pk]))
    assert response["Location"] == reverse("documents:detail", args=[job.pk])
    text = _text(job, tmp_path)
    assert "001085012345" in text and "0912345689" in text
    printed = PersonalDataAccess.objects.filter(purpose="print")
    assert sorted(printed.values_list("field", flat=True)) == ["owner_id_number", "owner_phone"]
    assert {(a.user, a.business, a.ward) for a in printed} == {(alice, karaoke, karaoke.ward)}


def test_the_chairmans_copy_stays_masked(client, charlie, karaoke, tmp_path):
    client.force_login(charlie)
    assert client.post(reverse("business_documents:history_full_pdf", args=[karaoke.pk])).status_code == 403
    assert not DocumentJob.objects.exists() and not PersonalDataAccess.objects.exists()
    _response, job = _ask(client, charlie, reverse("business_documents:history_pdf", args=[karaoke.pk]))
    text = _text(job, tmp_path)
    assert "001085012345" not in text and "0912345689" not in text


def test_a_full_printout_is_its_requesters_alone(client, alice, lena, bob, karaoke):
    _response, job = _ask(client, alice, reverse("business_documents:history_full_pdf", args=[karaoke.pk]))
    client.force_login(lena)  # a leader of the same ward: may ask for their own, not read alice's
    assert client.get(reverse("documents:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 404
    client.post(reverse("business_documents:history_full_pdf", args=[karaoke.pk]))
    own = DocumentJob.objects.exclude(pk=job.pk).get()
    assert own.requested_by == lena and own.kind == "business-history-full"
    client.force_login(bob)  # another ward
    assert client.post(reverse("business_documents:history_full_pdf", args=[karaoke.pk])).status_code in (
        403,
        404,
    )
