"""Start the real xlwings Server (uvicorn) with xlstatus's project folder.

xlwings Server reads its settings from environment variables (XLWINGS_…) when it is
imported, so they are set here first; uvicorn's worker processes inherit them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlstatus.kerne.errors import XlstatusError
from xlstatus.server import ENV_GRUPPE, ENV_SAMMENLIGNING, ENV_UDTRAEK, PROJEKT, udlevering

LICENCE_ENV = "XLWINGS_LICENSE_KEY"
APP = "xlstatus.server.app:app"
DEFAULTS = {
    "XLWINGS_PROJECT_NAME": "xlstatus",
    "XLWINGS_FUNCTIONS_NAMESPACE": "XLSTATUS",
    "XLWINGS_ENABLE_SOCKETIO": "false",  # not used; and it would tie the server to 1 worker
    "XLWINGS_ENABLE_HOTRELOAD": "false",
    "XLWINGS_ENABLE_EXAMPLES": "false",
    # xlstatus' own add-in id (xlwings Server's default id is shared by all its users)
    "XLWINGS_MANIFEST_ID_PROD": "6c1d3f5e-2b7a-4c9e-9d41-5a8f0e7b2c13",
}


class StartFejl(XlstatusError):
    """The server cannot start (Danish reason)."""


@dataclass(frozen=True)
class Opsaetning:
    host: str = "127.0.0.1"
    port: int = 8000
    udtraek: Path | None = None
    workers: int = 1
    gruppe: str | None = None
    sammenligning: Path | None = None


def tjek_licens() -> None:
    """xlwings Server needs a licence key; say why in Danish when there is none."""
    if os.environ.get(LICENCE_ENV, "").strip():
        return
    raise StartFejl(
        "Serveren starter ikke: miljøvariablen XLWINGS_LICENSE_KEY er ikke sat.\n"
        "xlwings Server er licenseret som 'xlwings PRO-licens ELLER PolyForm Noncommercial "
        "1.0.0'. PolyForm nævner offentlige institutioner som tilladt formål, men "
        "leverandøren kalder interne værktøjer kommerciel brug. Kommunen skal derfor have "
        "leverandørens skriftlige bekræftelse (så sættes XLWINGS_LICENSE_KEY=noncommercial) "
        "eller købe en PRO-licens (så sættes nøglen fra xlwings). Se driftsvejledningen: "
        "kør xlstatus drift (afsnittet Licens)."
    )


def miljoe(op: Opsaetning) -> dict[str, str]:
    """The environment variables the server (and every worker) starts with."""
    env = {"XLWINGS_ON_SERVER": "true", "XLWINGS_PROJECT_DIR": str(PROJEKT)}
    for key, value in DEFAULTS.items():
        env[key] = os.environ.get(key, value)
    if op.udtraek is not None:
        path = op.udtraek.expanduser().resolve()
        if not path.exists():
            raise StartFejl(f"Udtrækket findes ikke: {path} (--udtraek).")
        env[ENV_UDTRAEK] = str(path)
    if op.sammenligning is not None:
        folder = op.sammenligning.expanduser().resolve()
        if not folder.is_dir():
            raise StartFejl(f"Sammenligningsmappen findes ikke: {folder} (--sammenligning).")
        env[ENV_SAMMENLIGNING] = str(folder)
    if op.gruppe:
        env[ENV_GRUPPE] = op.gruppe
    env[udlevering.ENV_TILSTAND] = str(udlevering.tilstand())  # one folder for all workers
    return env


def koer(op: Opsaetning, arbejdsbog: Callable[[], bytes] | None = None) -> None:
    """Check, set the environment and run uvicorn until stopped (Ctrl+C).

    `arbejdsbog()` makes the workbook the server hands out (`/Statusskema.xlsx`); it is
    written to the state folder every worker shares."""
    tjek_licens()
    if op.workers < 1:
        raise StartFejl(f"--workers skal være mindst 1 (fundet: {op.workers}).")
    os.environ.update(miljoe(op))
    try:
        import uvicorn
        import xlwings_server  # noqa: F401
    except ImportError:
        raise StartFejl(
            "xlwings Server er ikke installeret. Installér den med:\n"
            '  pip install "xlstatus[server]"'
        ) from None
    from xlstatus.server import noegler
    from xlstatus.skabelonfiler import describe

    try:
        keys = noegler.tjek("entraid" in os.environ.get("XLWINGS_AUTH_PROVIDERS", "").lower())
    except noegler.NoeglerFejl as exc:
        raise StartFejl(str(exc)) from None
    if arbejdsbog is not None:
        (udlevering.tilstand() / "Statusskema.xlsx").write_bytes(arbejdsbog())
    where = os.environ.get(ENV_UDTRAEK) or "intet (kun udtræk indsat i arbejdsbøgerne)"
    print(f"xlstatus server: udtræk {where}; skabeloner: {describe()}", flush=True)
    if keys:
        print(f"xlstatus server: {keys}", flush=True)
    _meld_klar(op)
    uvicorn.run(APP, host=op.host, port=op.port, workers=op.workers, proxy_headers=False)


def adresse(op: Opsaetning) -> str:
    host = os.environ.get("XLWINGS_HOSTNAME", "").strip()
    if host:
        return f"https://{host}"
    shown = "127.0.0.1" if op.host in ("0.0.0.0", "::", "") else op.host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{op.port}"


def _meld_klar(op: Opsaetning) -> None:
    """Print 'klar på …' once the server answers (a thread that asks it, for 5 minutes)."""
    import threading
    import time
    import urllib.request

    local = "127.0.0.1" if op.host in ("0.0.0.0", "") else op.host
    local = "[::1]" if local == "::" else (f"[{local}]" if ":" in local else local)
    probe = f"http://{local}:{op.port}/"

    def wait() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    if answer.status == 200:
                        url = adresse(op)
                        print(f"xlstatus server: klar på {url} (tilføjelsesprogram: "
                              f"{url}/manifest/download, vejledning: xlstatus drift)",
                              flush=True)  # fmt: skip
                        return
            except OSError:
                pass
            time.sleep(0.3)

    threading.Thread(target=wait, name="xlstatus-klar", daemon=True).start()
