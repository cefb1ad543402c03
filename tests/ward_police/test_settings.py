"""Settings load in every run mode; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], "
    "s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE)"
)


def run_python(code_or_args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CACHE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_embedded_default_uses_sqlite_under_var_and_runs_tasks_in_process():
    result = run_python(PROBE, DJANGO_SETTINGS_MODULE="ward_police.settings.dev")
    assert result.returncode == 0, result.stderr
    engine, _age, _checks, eager, language, tz = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert (language, tz) == ("vi", "Asia/Ho_Chi_Minh")


def test_postgres_url_gives_persistent_checked_connections_and_a_broker_disables_eager_tasks():
    result = run_python(
        PROBE,
        DJANGO_SETTINGS_MODULE="ward_police.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ward_police",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    engine, age, checks, eager, *_ = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert int(age) > 0 and checks == "True"
    assert eager == "False"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    if expected == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_production_settings_without_secret_key_fail_with_a_clear_message():
    result = run_python(
        PROBE, DJANGO_SETTINGS_MODULE="ward_police.settings.production", ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_without_allowed_hosts_fail_with_a_clear_message():
    result = run_python(
        PROBE, DJANGO_SETTINGS_MODULE="ward_police.settings.production", SECRET_KEY="x" * 30 + "y" * 30
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_shares_the_cache_between_processes():
    """The reference data's versions are bumped in the cache by the writing process: with a
    worker beside the web processes, production's cache is the broker's Redis unless CACHE_URL
    names one; the embedded mode keeps local memory."""
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.CACHES['default'])"
    key = "k7#Qz9!vLm2@Rt5$Wx8^Yb3&Nc6*Pd1(Fg4)Hj0_Ks-Ua+Ve=Xi[Zo]"
    common = {"DJANGO_SETTINGS_MODULE": "ward_police.settings.production", "SECRET_KEY": key}
    env = {**common, "ALLOWED_HOSTS": "example.org"}
    full = run_python(probe, **env, CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert full.returncode == 0, full.stderr
    assert "RedisCache" in full.stdout and "redis://127.0.0.1:6379/0" in full.stdout
    named = run_python(
        probe,
        **{**env, "CACHE_URL": "redis://127.0.0.1:6379/3"},
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert "redis://127.0.0.1:6379/3" in named.stdout
    embedded = run_python(probe, **env)
    assert embedded.returncode == 0, embedded.stderr
    assert "LocMemCache" in embedded.stdout


@pytest.mark.slow
def test_production_deploy_check_is_clean():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="ward_police.settings.production",
        SECRET_KEY="k7#Qz9!vLm2@Rt5$Wx8^Yb3&Nc6*Pd1(Fg4)Hj0_Ks-Ua+Ve=Xi[Zo]",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_dates_and_numbers_follow_vietnamese_conventions():
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        out = Template("{% load humanize %}{{ d|date:'SHORT_DATE_FORMAT' }} {{ n|intcomma }}").render(
            Context({"d": date(2021, 11, 1), "n": 2500000})
        )
    assert out == "01/11/2021 2.500.000"
    assert settings.USE_TZ is True
