"""xlstatus's guard in front of xlwings Server (an ASGI middleware): it sets the address
links start with for each request."""

from __future__ import annotations

from xlstatus.server import udlevering


def base_url(scope) -> str:
    """The server's own address: XLWINGS_HOSTNAME (https), else the bound host."""
    from xlwings_server.config import settings

    if settings.hostname:
        return f"https://{settings.hostname}{settings.app_path}"
    host, port = scope.get("server") or ("127.0.0.1", 80)
    scheme = scope.get("scheme", "http")
    default = {"http": 80, "https": 443}.get(scheme)
    where = host if port in (None, default) else f"{host}:{port}"
    return f"{scheme}://{where}{settings.app_path}"


class Vagt:
    """ASGI middleware (see the module text)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = udlevering.BASE_URL.set(base_url(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            udlevering.BASE_URL.reset(token)
