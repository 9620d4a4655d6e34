"""Start the real xlwings Server (uvicorn) with xlstatus's project folder.

xlwings Server reads its settings from environment variables (XLWINGS_…) when it is
imported, so they are set here first; uvicorn's worker processes inherit them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlstatus.kerne.errors import XlstatusError
from xlstatus.server import ENV_GRUPPE, ENV_SAMMENLIGNING, ENV_UDTRAEK, PROJEKT

LICENCE_ENV = "XLWINGS_LICENSE_KEY"
APP = "xlwings_server.main:main_app"
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
        "eller købe en PRO-licens (så sættes nøglen fra xlwings) – se docs/drift.md."
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
    return env


def koer(op: Opsaetning) -> None:
    """Check, set the environment and run uvicorn until stopped (Ctrl+C)."""
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
    from xlstatus.skabelonfiler import describe

    where = os.environ.get(ENV_UDTRAEK) or "intet (kun udtræk indsat i arbejdsbøgerne)"
    print(f"xlstatus server: udtræk {where}; skabeloner: {describe()}", flush=True)
    uvicorn.run(
        APP,
        host=op.host,
        port=op.port,
        workers=op.workers,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
