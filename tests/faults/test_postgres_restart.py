"""PostgreSQL restarted under a running gunicorn: the next requests succeed without restarting
the app, because connections are health-checked before reuse (CONN_HEALTH_CHECKS in base.py).

The database is a throwaway PostgreSQL instance started by the test (never the shared one).
"""

import pytest

from .processes import Browser, ThrowawayPostgres, app_env, manage, postgres_bin_dir, start_gunicorn

pytestmark = pytest.mark.slow

PASSWORD = "Mat-khau-thu-2026"
CREATE_USER = (
    "from wards.models import Ward; from accounts.services import user_create; "
    "w = Ward.objects.create(name='Phường Điện Biên', code='A-DB', province='Thành phố Hà Nội'); "
    f"user_create(username='officer1', password='{PASSWORD}', role='officer', ward=w)"
)


@pytest.fixture(scope="module")
def postgres():
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    server = ThrowawayPostgres(bin_dir)
    try:
        server.init()
        server.start()
        server.create_database("wp_fault")
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="module")
def web(postgres, tmp_path_factory):
    env = app_env(postgres.url("wp_fault"))
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", CREATE_USER, env=env)
    server = start_gunicorn(env, workers=2, log=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")
    yield server
    server.stop()


def _officer(web) -> Browser:
    browser = Browser(web.base_url)
    assert browser.log_in("officer1", PASSWORD).status == 302
    return browser


def test_requests_succeed_right_after_postgres_restarts(postgres, web):
    browser = _officer(web)
    # Both workers hold an open database connection.
    for _ in range(8):
        assert browser.get("/wards/").status == 200
    workers = web.worker_pids()

    postgres.restart()

    statuses = [browser.get("/wards/").status for _ in range(10)]
    assert statuses == [200] * 10
    assert "Phường Điện Biên" in browser.get("/wards/").body
    assert web.process.poll() is None and web.worker_pids() == workers  # no restart of the app
    assert "Traceback" not in web.log.read_text()


def test_while_postgres_is_down_healthz_says_so_and_pages_come_back_after(postgres, web):
    browser = _officer(web)
    balancer = Browser(web.base_url)  # the load balancer's probe carries no session
    assert balancer.get("/healthz/").status == 200
    postgres.stop()
    try:
        down = balancer.get("/healthz/")
        assert down.status == 503
        assert '"database": "error"' in down.body
        # A page says the service is unavailable, in Vietnamese, without a traceback.
        page = browser.get("/dashboard/")
        assert page.status == 500
        assert "Traceback" not in page.body and 'lang="vi"' in page.body
    finally:
        postgres.start()
    assert [balancer.get("/healthz/").status for _ in range(4)] == [200] * 4
    assert [browser.get("/dashboard/").status for _ in range(4)] == [200] * 4
