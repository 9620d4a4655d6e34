"""Entra ID's key set (JWKS) without internet: from a file (`XLSTATUS_SERVER_NOEGLER`),
else downloaded as xlwings Server does and kept in the state folder, so a server that
loses its internet connection keeps checking sign-ins with the last key set it had.

xlwings Server validates tokens itself (audience, issuer, expiry, signature); this
module only decides where the keys come from. `tjek()` runs at start: when sign-in is
on and no key set can be had, the server does not start and says why in Danish."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from xlstatus.kerne.errors import XlstatusError
from xlstatus.server import udlevering

ENV_NOEGLER = "XLSTATUS_SERVER_NOEGLER"
CACHE = "entraid-noegler.json"


class NoeglerFejl(XlstatusError):
    """The key set cannot be had (Danish reason)."""


def fra_fil() -> Path | None:
    value = os.environ.get(ENV_NOEGLER, "").strip()
    return Path(value).expanduser() if value else None


def laes(path: Path) -> dict:
    """A JWKS file ({"keys": [...]}), or NoeglerFejl."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NoeglerFejl(
            f"Nøglefilen til Entra ID-login ({path.name}, XLSTATUS_SERVER_NOEGLER) kan ikke "
            f"læses: {type(exc).__name__}. Hent den igen (se 'xlstatus drift')."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise NoeglerFejl(
            f"Nøglefilen {path.name} (XLSTATUS_SERVER_NOEGLER) er ikke et JWKS-nøglesæt "
            "({\"keys\": [...]}). Hent den igen (se 'xlstatus drift')."
        )
    return data


def _cache() -> Path:
    return udlevering.tilstand() / CACHE


async def _fil_eller_cache():
    """xlwings Server's hook (`auth.entraid.jwks.get_jwks_json`): the file's key set,
    or None (then xlwings downloads it, through `_hent`)."""
    path = fra_fil()
    return laes(path) if path is not None else None


def _hent(download):
    """Wrap xlwings Server's download: keep what it got; without internet use the cache."""

    async def get():
        try:
            data = await download()
        except Exception:
            cached = _cache()
            if cached.is_file():
                return laes(cached)
            raise
        with contextlib.suppress(OSError):
            _cache().write_text(json.dumps(data), encoding="utf-8")
        return data

    return get


def aktiver() -> None:
    """Put the file/cache behind xlwings Server's Entra ID key set."""
    from xlwings_server.auth import entraid
    from xlwings_server.auth.entraid import jwks

    jwks.get_jwks_json = _fil_eller_cache
    if not getattr(entraid.get_jwks_json_default, "_xlstatus", False):
        wrapped = _hent(entraid.get_jwks_json_default)
        wrapped._xlstatus = True  # type: ignore[attr-defined]
        entraid.get_jwks_json_default = wrapped


def tjek(entraid: bool) -> str:
    """At start, with Entra ID on: where the key set comes from, or NoeglerFejl (Danish)."""
    if not entraid:
        return ""
    path = fra_fil()
    if path is not None:
        keys = laes(path)["keys"]
        return f"Entra ID-nøgler fra {path} ({len(keys)} nøgler)"
    import asyncio

    from xlwings_server.auth import entraid as xlwings_entraid

    aktiver()
    try:
        asyncio.run(xlwings_entraid.get_jwks_json_default())
    except Exception:
        raise NoeglerFejl(
            "Serveren starter ikke: login med Entra ID er slået til, men serveren kan ikke "
            "hente Entra ID's nøgler (ingen forbindelse til login.microsoftonline.com), og "
            "der er hverken en nøglefil eller en gemt kopi. Giv serveren adgang til "
            "internettet, eller hent nøglesættet på en anden maskine og sæt "
            "XLSTATUS_SERVER_NOEGLER til filen (se 'xlstatus drift')."
        ) from None
    return f"Entra ID-nøgler fra Microsoft (en kopi gemmes i {_cache()})"
