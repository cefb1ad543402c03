"""Set-up from a fresh clone (issue #26.15): `make run` serves where it says and points the posters
there, installs only the runtime dependencies, and the project carries its own documentation."""

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_PUBLIC_BASE_URL = "from django.conf import settings; print(settings.PUBLIC_BASE_URL)"
DEV_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-playwright",
    "playwright",
    "ruff",
    "factory-boy",
    "polib",
}
MAKE, BASH, GIT = (shutil.which(tool) or tool for tool in ("make", "bash", "git"))


def _env(**overrides) -> dict[str, str]:
    drop = {"PUBLIC_BASE_URL", "SERVED_URL", "DJANGO_SETTINGS_MODULE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(overrides)
    return env


def _make_dry_run(*args: str) -> str:
    """What make would run (-n) if every target were out of date (-B): nothing is executed."""
    done = subprocess.run(
        [MAKE, "-n", "-B", *args], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _serve_line(port: str) -> str:
    lines = [line for line in _make_dry_run("run", f"PORT={port}").splitlines() if "runserver" in line]
    assert len(lines) == 1, lines
    return lines[0]


def _public_base_url_under(serve_line: str, **env) -> str:
    """Runs `make run`'s own serving command with runserver swapped for a settings probe."""
    command = re.sub(
        r"manage\.py runserver \S+", f"manage.py shell -c {shlex.quote(PRINT_PUBLIC_BASE_URL)}", serve_line
    )
    done = subprocess.run(
        [BASH, "-c", command], cwd=ROOT, env=_env(**env), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_make_run_on_another_port_points_the_posters_at_that_port():
    line = _serve_line("8101")
    assert "runserver 127.0.0.1:8101" in line
    assert _public_base_url_under(line) == "http://127.0.0.1:8101"


def test_an_explicit_public_base_url_wins_over_the_served_address():
    line = _serve_line("8101")
    explicit = "https://anninh.example.gov.vn"
    assert _public_base_url_under(line, PUBLIC_BASE_URL=explicit) == explicit


def test_make_run_installs_the_runtime_dependencies_and_make_test_adds_the_dev_extra():
    run = _make_dry_run("run")
    assert "pip install --quiet -e .\n" in run and ".[dev]" not in run
    assert 'pip install --quiet -e ".[dev]"' in _make_dry_run("test")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {re.split(r"[=<>\[]", d)[0].lower() for d in project["dependencies"]}
    dev = {re.split(r"[=<>\[]", d)[0].lower() for d in project["optional-dependencies"]["dev"]}
    assert not runtime & DEV_TOOLS and dev >= DEV_TOOLS
    # seed_demo, which `make run` runs on a fresh database, draws its people with Faker.
    assert "faker" in runtime


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run([GIT, "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60, check=True)
    paths = []
    for name in listed.stdout.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file() and path.suffix not in {".mo", ".png", ".ico", ".pdf", ".woff2", ".ttf"}:
            paths.append(path)
    return paths


def test_no_tracked_file_links_outside_the_repository_to_the_shared_notes():
    needle = "../" + "shared"  # split, so this file does not match itself
    offenders = [
        str(path.relative_to(ROOT))
        for path in _tracked_text_files()
        if needle in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert offenders == []


def test_the_documentation_links_resolve_inside_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert {p.name for p in pages} >= {"README.md", "architecture.md", "domain.md"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme and "(docs/domain.md)" in readme
    assert "HOST" in readme and "PORT" in readme
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            if not re.match(r"[a-z]+:", target):
                assert (page.parent / target).resolve().is_file(), f"{page.name} links to {target}"
