"""Backups of the database and the media files, restorable on a fresh machine.

A backup is a folder var/backups/<UTC timestamp>/ holding `database.dump` (pg_dump custom format)
or `database.sqlite3` (SQLite online backup), `media.tar.gz`, and `manifest.json` with checksums.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    args = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
    ]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup_create(*, target_root: Path | None = None) -> Path:
    db = connections["default"].settings_dict
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = (target_root or settings.VAR_DIR / "backups") / stamp
    target.mkdir(parents=True)
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        args, env = _pg_env(db)
        dump = target / "database.dump"
        subprocess.run(
            ["pg_dump", *args, "-Fc", "--no-owner", "-f", str(dump), db["NAME"]], env=env, check=True
        )
    elif vendor == "sqlite":
        dump = target / "database.sqlite3"
        source = sqlite3.connect(str(db["NAME"]))
        with sqlite3.connect(str(dump)) as dest:
            source.backup(dest)
        source.close()
    else:
        raise RuntimeError(f"backups are not supported for {vendor}")
    media = target / "media.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(media, "w:gz") as tar:
        if media_root.exists():
            tar.add(media_root, arcname="media")
    manifest = {
        "created": stamp,
        "vendor": vendor,
        "files": {p.name: _sha256(p) for p in (dump, media)},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return target


def backup_restore(*, source: Path) -> None:
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    for name, checksum in manifest["files"].items():
        if _sha256(source / name) != checksum:
            raise RuntimeError(
                f"{name} does not match its checksum: the backup is damaged; nothing restored."
            )
    vendor = connections["default"].vendor
    if vendor != manifest["vendor"]:
        raise RuntimeError(
            f"backup is from {manifest['vendor']}, this database is {vendor}; nothing restored."
        )
    db = connections["default"].settings_dict
    connections.close_all()
    if vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                db["NAME"],
                str(source / "database.dump"),
            ],
            env=env,
            check=True,
        )
    else:
        with (
            sqlite3.connect(str(source / "database.sqlite3")) as src,
            sqlite3.connect(str(db["NAME"])) as dest,
        ):
            src.backup(dest)
    # The restored database holds other rows under the same ids: no cached reference datum of the
    # one it replaced may be read (ward_police/refdata.py).
    from . import refdata

    refdata.bump(refdata.EPOCH)
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root.parent / f".restore-{manifest['created']}"
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        tar.extractall(staging, filter="data")
    if media_root.exists():
        shutil.rmtree(media_root)
    restored = staging / "media"
    if restored.exists():
        restored.rename(media_root)
    else:
        media_root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
