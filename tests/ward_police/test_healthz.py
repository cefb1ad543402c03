from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"] == "ok"
    assert "broker" in data


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("ward_police.views.connection.ensure_connection", side_effect=OperationalError("down")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_reports_an_unreachable_broker_without_failing(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["broker"] == "error"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
