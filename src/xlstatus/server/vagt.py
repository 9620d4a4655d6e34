"""xlstatus's guard in front of xlwings Server (an ASGI middleware), in this order:

1. forwarded headers (`X-Forwarded-For`, `-Proto`, `-Host`) count only from a configured
   proxy (`XLSTATUS_SERVER_PROXYER`); from anyone else they are removed;
2. a `Host` that is neither `XLWINGS_HOSTNAME` nor the address the server was reached
   on gets 400 (so no foreign name gets into the manifest or a link);
3. the address links start with is set for the request (`udlevering.BASE_URL`);
4. everything that returns figures or files (scripts, cell functions, task-pane data,
   the committee copy's links, the workbook download) needs sign-in – when it is on –
   and the one access rule (`sikkerhed.adgang`), checked before any body is read;
5. a body is read only up to the limit (`XLSTATUS_SERVER_MAKS_MB`, default 50 MB):
   a larger `Content-Length` or stream gets 413 before (or as soon as) it passes it.
All answers in Danish, as plain text."""

from __future__ import annotations

import ipaddress
import logging
import os

from xlstatus.kerne.errors import XlstatusError, vist
from xlstatus.server import sikkerhed, udlevering

ENV_MAKS_MB = "XLSTATUS_SERVER_MAKS_MB"
ENV_PROXYER = "XLSTATUS_SERVER_PROXYER"
STANDARD_MAKS_MB = 50
FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"forwarded")
BODY_METHODS = {"POST", "PUT", "PATCH"}
PROTECTED = ("/xlwings/custom-scripts-call/", "/xlwings/custom-functions-call", "/udvalg/",
             "/xlstatus/", "/Statusskema.xlsx")  # fmt: skip

logger = logging.getLogger("xlstatus.server")

FOR_STOR = (
    "Forespørgslen er for stor: over {limit} MB (serverens grænse, XLSTATUS_SERVER_MAKS_MB). "
    "Er et stort udtræk indsat på arket FACIT-udtræk, så slet det og lad serveren bruge sit "
    "eget udtræk (eller bed IT hæve grænsen). Intet er ændret."
)
UKENDT_VAERT = (
    "Forespørgslen bruger et værtsnavn, serveren ikke kender. Brug serverens adresse "
    "(IT: sæt XLWINGS_HOSTNAME). Intet er ændret."
)
IKKE_LOGGET_IND = (
    "Du er ikke logget ind, eller dit login kunne ikke godkendes. Luk opgaveruden, åbn den "
    "igen og log ind med din arbejdskonto. Intet er ændret."
)
INGEN_NOEGLER = (
    "Login kan ikke kontrolleres lige nu: serveren kan ikke hente Entra ID's nøgler. "
    "Prøv igen senere, eller kontakt IT (se 'xlstatus drift', afsnittet om login). "
    "Intet er ændret."
)


def maks_bytes() -> int:
    value = os.environ.get(ENV_MAKS_MB, "").strip()
    try:
        mb = float(value) if value else STANDARD_MAKS_MB
    except ValueError:
        mb = STANDARD_MAKS_MB
    return int(mb * 1024 * 1024)


def proxyer() -> list:
    """The proxies whose forwarded headers are trusted (addresses or networks)."""
    out = []
    for part in os.environ.get(ENV_PROXYER, "").replace(";", ",").split(","):
        if part.strip():
            try:
                out.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                logger.warning("XLSTATUS_SERVER_PROXYER: ikke en adresse: %s", vist(part, None, 60))
    return out


def _trusted(peer: str | None, nets: list) -> bool:
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in net for net in nets)


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return ""


def forwarded(scope) -> dict:
    """The scope with forwarded headers applied (trusted proxy) or removed (anyone else)."""
    peer = (scope.get("client") or (None, None))[0]
    headers = list(scope.get("headers") or [])
    if not _trusted(peer, proxyer()):
        kept = [(k, v) for k, v in headers if k not in FORWARDED]
        return {**scope, "headers": kept} if len(kept) != len(headers) else scope
    scope = dict(scope)
    hops = [h.strip() for h in _header(scope, b"x-forwarded-for").split(",") if h.strip()]
    if hops:
        scope["client"] = (hops[-1], 0)  # the hop the proxy itself saw
    proto = _header(scope, b"x-forwarded-proto").strip().lower()
    if proto in ("http", "https"):
        scope["scheme"] = proto
    # xlwings Server reads X-Forwarded-For itself: leave only the hop the proxy saw
    scope["headers"] = [(k, v) for k, v in headers if k != b"x-forwarded-for"]
    if hops:
        scope["headers"].append((b"x-forwarded-for", hops[-1].encode("latin-1")))
    return scope


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(scope) -> bool:
    """The Host header names this server: XLWINGS_HOSTNAME, or the address it was reached on."""
    from xlwings_server.config import settings

    host = _host_name(_header(scope, b"host"))
    allowed = set()
    if settings.hostname:
        allowed.add(_host_name(settings.hostname))
    local = str((scope.get("server") or ("", None))[0] or "").lower()
    if local:
        allowed.add(local)
        if local in ("127.0.0.1", "::1"):
            allowed.add("localhost")
    return host in allowed


def base_url(scope) -> str:
    """The server's own address: XLWINGS_HOSTNAME (https), else the address it was reached on."""
    from xlwings_server.config import settings

    if settings.hostname:
        return f"https://{settings.hostname}{settings.app_path}"
    host, port = scope.get("server") or ("127.0.0.1", 80)
    scheme = scope.get("scheme", "http")
    default = {"http": 80, "https": 443}.get(scheme)
    host = f"[{host}]" if ":" in str(host) else host
    where = host if port in (None, default) else f"{host}:{port}"
    return f"{scheme}://{where}{settings.app_path}"


def protected(path: str) -> bool:
    from xlwings_server.config import settings

    path = path.removeprefix(settings.app_path)
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PROTECTED)


async def _signed_in(scope) -> tuple[int, str] | None:
    """Sign-in and the access rule, before anything is read: None, or (status, text)."""
    from fastapi import HTTPException
    from xlwings_server import dependencies as dep
    from xlwings_server.config import settings

    if not settings.auth_providers:
        return None
    try:
        user = await dep.authenticate(
            token_string=_header(scope, b"authorization"),
            auth_provider=_header(scope, b"auth-provider") or None,
        )
    except HTTPException as exc:
        return (401 if exc.status_code in (401, 403) else exc.status_code), IKKE_LOGGET_IND
    except Exception as exc:  # the key set cannot be had (no internet, …)
        logger.error("Login kan ikke kontrolleres: %s", vist(exc, None, 300))
        return 503, INGEN_NOEGLER
    try:
        sikkerhed.adgang(user, True)
    except XlstatusError as exc:
        return 403, str(exc)
    return None


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit`."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        body = message.get("body", b"")
        size += len(body)
        if size > limit:
            return None
        chunks.append(body)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def svar(send, status: int, text: str) -> None:
    """A plain Danish text answer."""
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode()), (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Vagt:
    """ASGI middleware (see the module text)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = forwarded(scope)
        if not host_allowed(scope):
            await svar(send, 400, UKENDT_VAERT)
            return
        if protected(scope.get("path", "")) and scope.get("method") != "OPTIONS":
            refused = await _signed_in(scope)
            if refused is not None:
                await svar(send, *refused)
                return
        if scope.get("method") in BODY_METHODS:
            receive = await self._bounded(scope, receive, send)
            if receive is None:
                return
        token = udlevering.BASE_URL.set(base_url(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            udlevering.BASE_URL.reset(token)

    async def _bounded(self, scope, receive, send):
        """A receive that replays the body read within the limit; None when answered 413."""
        limit = maks_bytes()
        too_big = FOR_STOR.format(limit=round(limit / 1024 / 1024))
        length = _header(scope, b"content-length").strip()
        if length.isdigit() and int(length) > limit:
            await svar(send, 413, too_big)
            return None
        body = await _read_body(receive, limit)
        if body is None:
            await svar(send, 413, too_big)
            return None
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay
