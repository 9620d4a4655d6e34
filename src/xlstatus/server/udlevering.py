"""The committee copy's files as capability links: `…/udvalg/<secret>/<file name>`.

`publish(files, user)` (what `excel.koer_klargoer` calls on the server) writes the files
into a folder of the server's state directory that every worker shares (never the
extract folder), under an unguessable secret, with who may fetch them and when they
expire. Any worker serves them (`hent`) to that user until they expire; then the
folder is deleted (at the next publish or fetch in any worker, and by a timer in the
worker that made them)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import quote

from xlstatus.kerne.errors import WorkbookError

ENV_TILSTAND = "XLSTATUS_SERVER_TILSTAND"  # the state folder the workers share
ENV_MINUTTER = "XLSTATUS_SERVER_LINK_MINUTTER"  # how long a link lives
STANDARD_MINUTTER = 10
PREFIX = "/udvalg"
META = ".link.json"
SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
# a file name as the workbook gives it (spaces, æøå, parentheses), never a path
NAME = re.compile(r"^(?!\.)[^/\\:*?\"<>|\x00-\x1f\x7f]{1,150}\.(xlsx|pdf)$")
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}

# the address the links start with (set per request by xlstatus.server.app)
BASE_URL: ContextVar[str] = ContextVar("xlstatus_base_url", default="")


def tilstand() -> Path:
    """The state folder (created, only for the server's account)."""
    value = os.environ.get(ENV_TILSTAND, "").strip()
    root = Path(value) if value else Path(tempfile.gettempdir()) / f"xlstatus-server-{_uid()}"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else "w"


def _folder() -> Path:
    folder = tilstand() / "udvalg"
    folder.mkdir(exist_ok=True, mode=0o700)
    return folder


def minutter() -> float:
    value = os.environ.get(ENV_MINUTTER, "").strip()
    try:
        return max(float(value), 0.01) if value else STANDARD_MINUTTER
    except ValueError:
        return STANDARD_MINUTTER


def publish(files: list[tuple[str, bytes]], user: str | None) -> list[str]:
    """Store the files under a new secret for `user`; the links to them."""
    ryd()
    secret = secrets.token_urlsafe(32)
    folder = _folder() / secret
    folder.mkdir(mode=0o700)
    names = []
    for name, data in files:
        if not NAME.match(name) or ".." in name:
            raise WorkbookError(f"Filnavnet kan ikke udleveres: {name!r}.")
        (folder / name).write_bytes(data)
        names.append(name)
    lifetime = minutter() * 60
    meta = {"bruger": user or "", "udloeber": time.time() + lifetime, "filer": names}
    (folder / META).write_text(json.dumps(meta), encoding="utf-8")
    timer = threading.Timer(lifetime + 1, ryd)
    timer.daemon = True
    timer.start()
    base = BASE_URL.get()
    return [f"{base}{PREFIX}/{secret}/{quote(name)}" for name in names]


def hent(secret: str, name: str, user: str | None) -> tuple[Path, str] | None:
    """The file behind a link (path, media type) for `user`, or None (unknown, expired,
    another user's)."""
    ryd()
    if not SECRET.match(secret) or not NAME.match(name) or ".." in name:
        return None
    folder = _folder() / secret
    meta = _meta(folder)
    if meta is None or name not in meta.get("filer", []):
        return None
    if not secrets.compare_digest(str(meta.get("bruger", "")), user or ""):
        return None
    path = folder / name
    return (path, MEDIA[path.suffix]) if path.is_file() else None


def _meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if float(meta.get("udloeber", 0)) < time.time():
        return None
    return meta


def ryd() -> None:
    """Delete every expired (or broken) link folder."""
    try:
        folders = list(_folder().iterdir())
    except OSError:
        return
    for folder in folders:
        if folder.is_dir() and _meta(folder) is None:
            # a folder being written has no meta yet: give it a minute
            try:
                young = time.time() - folder.stat().st_mtime < 60
            except OSError:
                continue
            if not young or (folder / META).exists():
                shutil.rmtree(folder, ignore_errors=True)
