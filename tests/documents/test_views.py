"""Pages: the status page (HTML, htmx fragment, JSON), the download, and the POST endpoints."""

import pytest
from django.urls import reverse

from documents.models import DocumentJob, DocumentStatus

from .factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def ready_job(alice, ward_a, ask):
    return DocumentJob.objects.get(pk=ask(alice, ward_a.pk).pk)


@pytest.fixture
def waiting_job(alice, ward_a):
    return DocumentJob.objects.create(
        kind="test-ward-sheet",
        object_id=ward_a.pk,
        ward=ward_a,
        version="w",
        title="Phiếu thử nghiệm",
        filename="phieu-thu.pdf",
        requested_by=alice,
        progress=40,
        status=DocumentStatus.RENDERING,
    )


def test_status_page_of_a_document_being_made_shows_progress_and_polls(login, alice, waiting_job):
    response = login(alice).get(reverse("documents:detail", args=[waiting_job.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đang tạo" in html and "40%" in html
    assert '<progress id="document-progress-bar-' in html and 'value="40"' in html
    assert 'data-hx-trigger="every 2s"' in html  # data-hx-*: valid HTML, read by htmx alike
    assert "Tải tệp PDF" not in html
    assert "style=" not in html and "<style" not in html


def test_htmx_polls_get_only_the_progress_fragment(login, alice, waiting_job):
    response = login(alice).get(reverse("documents:detail", args=[waiting_job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="document-job-')
    assert "<html" not in html and "Đang tạo" in html


def test_a_finished_document_stops_polling_and_offers_the_download(login, alice, ready_job):
    html = login(alice).get(reverse("documents:detail", args=[ready_job.pk])).content.decode()
    assert "Xong" in html and "Tải tệp PDF" in html
    assert 'hx-trigger="every' not in html
    assert reverse("documents:download", args=[ready_job.pk]) in html


def test_status_is_json_when_asked_for_json(login, alice, ready_job):
    response = login(alice).get(
        reverse("documents:detail", args=[ready_job.pk]), HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert data["status"] == "done" and data["status_label"] == "Xong" and data["progress"] == 100
    assert data["download_url"] == reverse("documents:download", args=[ready_job.pk])
    assert data["checksum"] == ready_job.checksum


def test_a_failed_document_shows_its_message(login, alice, ward_a, ask):
    from . import kinds

    kinds.BEHAVIOUR["permanent"] = "Biên bản chưa có chữ ký của người vi phạm."
    job = ask(alice, ward_a.pk)
    html = login(alice).get(reverse("documents:detail", args=[job.pk])).content.decode()
    assert "Lỗi" in html and "Biên bản chưa có chữ ký của người vi phạm." in html
    assert 'hx-trigger="every' not in html


def test_download_gives_the_pdf_with_an_ascii_file_name(login, alice, ready_job):
    response = login(alice).get(reverse("documents:download", args=[ready_job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{ready_job.filename}"'
    assert ready_job.filename.isascii() and ready_job.filename.endswith(".pdf")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_downloading_a_document_not_ready_yet_goes_back_to_its_status(login, alice, waiting_job):
    response = login(alice).get(reverse("documents:download", args=[waiting_job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[waiting_job.pk])


def test_an_officer_of_another_ward_gets_404_for_the_job_and_the_file(login, bob, ready_job):
    client = login(bob)
    assert client.get(reverse("documents:detail", args=[ready_job.pk])).status_code == 404
    assert (
        client.get(
            reverse("documents:detail", args=[ready_job.pk]), HTTP_ACCEPT="application/json"
        ).status_code
        == 404
    )
    assert client.get(reverse("documents:download", args=[ready_job.pk])).status_code == 404


def test_the_chairman_of_the_ward_may_read_and_download(login, charlie, ready_job):
    assert login(charlie).get(reverse("documents:download", args=[ready_job.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client, ready_job):
    for name in ("documents:detail", "documents:download"):
        response = client.get(reverse(name, args=[ready_job.pk]))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_posting_for_a_business_history_redirects_to_its_status_page(
    login, alice, ward_a, django_capture_on_commit_callbacks
):
    business = BusinessFactory(ward=ward_a)
    url = reverse("business_documents:history_pdf", args=[business.pk])
    assert url == f"/businesses/{business.pk}/history.pdf"
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
    second = client.post(url)
    job = DocumentJob.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("documents:detail", args=[job.pk])
    assert job.status == DocumentStatus.DONE and job.requested_by == alice


def test_the_request_endpoint_wants_post_login_and_the_right_ward(client, login, bob, ward_a):
    business = BusinessFactory(ward=ward_a)
    url = reverse("business_documents:history_pdf", args=[business.pk])
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    client = login(bob)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404
    assert client.post(reverse("business_documents:history_pdf", args=[999999])).status_code == 404
    assert not DocumentJob.objects.exists()


def test_status_page_needs_few_queries(login, alice, ready_job, django_assert_max_num_queries):
    client = login(alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("documents:detail", args=[ready_job.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert ready_job.title in body
    assert reverse("documents:download", args=[ready_job.pk]) in body


def test_status_page_of_a_document_whose_requester_was_deleted_shows_a_dash(login, alice, lena, waiting_job):
    waiting_job.requested_by = None
    waiting_job.save(update_fields=["requested_by"])
    html = login(lena).get(reverse("documents:detail", args=[waiting_job.pk])).content.decode()
    assert "<dd>—</dd>" in html
    assert "Phiếu thử nghiệm" in html
