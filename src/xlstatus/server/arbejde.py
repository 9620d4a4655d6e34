"""Heavy work off the event loop: Opdater, Klargør til udvalg and the cell functions run
in a bounded thread pool (`XLSTATUS_SERVER_TRAADE`, default 2 per worker), so the task
pane, the manifest and the static files answer while they run; requests beyond the pool
wait in its queue."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from concurrent.futures import ThreadPoolExecutor

ENV_TRAADE = "XLSTATUS_SERVER_TRAADE"
STANDARD_TRAADE = 2
_POOL: list[ThreadPoolExecutor] = []


def traade() -> int:
    value = os.environ.get(ENV_TRAADE, "").strip()
    return max(int(value), 1) if value.isdigit() else STANDARD_TRAADE


def pool() -> ThreadPoolExecutor:
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(traade(), thread_name_prefix="xlstatus"))
    return _POOL[0]


async def i_traad(func, *args, **kwargs):
    """Run func in the pool (with the request's context variables) and wait for it."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool(), call)


def asynkron(func):
    """An async copy of a cell function that runs it in the pool (same metadata)."""

    @functools.wraps(func)
    async def run(*args):
        return await i_traad(func, *args)

    return run
