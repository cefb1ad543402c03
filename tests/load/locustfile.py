"""Locust users for tests/load/test_load.py: each logs in as one of the ward's users and reads
the ward's pages. Any status other than 2xx, and any page that bounced to the login form, is a
failure. Configured by the test through the environment (LOAD_USERS, LOAD_PASSWORD, LOAD_PATHS).
"""

import itertools
import os
import re

from locust import HttpUser, between, task

USERS = itertools.cycle(os.environ["LOAD_USERS"].split(","))
PASSWORD = os.environ["LOAD_PASSWORD"]
PATHS = os.environ["LOAD_PATHS"].split(",")


class WardUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": next(USERS), "password": PASSWORD},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def _read(self, path: str) -> None:
        with self.client.get(path, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.error or ''}")

    @task(6)
    def pages(self) -> None:
        for path in PATHS:
            self._read(path)

    @task(1)
    def health(self) -> None:
        self._read("/healthz/")

    @task(1)
    def stylesheet(self) -> None:
        self._read("/static/css/app.css")
