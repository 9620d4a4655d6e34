"""A parsed extract kept per process, so the server (Opdater) and the cell functions read a
FACIT extract once, not once per request or per cell.

An entry is keyed by the identity of every file it came from (path, size, `mtime_ns`,
`ctime_ns`, inode) and of the alias file, so a file changed in place – the folder's own
mtime unchanged – is read again. The entries are bounded in memory: the setting
`XLSTATUS_UDTRAEK_CACHE_MB` (default 1024; 0 turns the cache off) caps the sum of their
estimated sizes, the least recently used going first. A bad extract is never kept: its
errors are raised again, read afresh, on the next call.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from xlstatus.kerne.model import TABLES, Extract
from xlstatus.skabelonfiler import ALIAS_FILE, template_file

ENV = "XLSTATUS_UDTRAEK_CACHE_MB"
DEFAULT_MB = 1024

_entries: OrderedDict[tuple, tuple[Extract, int]] = OrderedDict()
_lock = threading.Lock()
_reading: dict[tuple, threading.Lock] = {}  # one reader per key; the others wait for it
stats = {"hits": 0, "reads": 0}


def limit_bytes() -> int:
    """The memory bound from the setting (a bad value: the default)."""
    try:
        mb = float(os.environ.get(ENV, DEFAULT_MB))
    except ValueError:
        mb = DEFAULT_MB
    return max(0, int(mb * 1024 * 1024))


def _file_identity(p: Path) -> tuple:
    st = p.stat()
    return (p.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def identity(path: Path) -> tuple:
    """What changes when the extract at `path` changes: each file of a folder (or the file)."""
    try:
        if path.is_dir():
            files = sorted(f for f in path.iterdir() if f.is_file())
            return tuple(_file_identity(f) for f in files)
        return (_file_identity(path),)
    except OSError:
        return ()


def size_of(extract: Extract) -> int:
    """The extract's estimated size in memory (its tables, text included)."""
    return int(sum(extract.table(t).memory_usage(deep=True).sum() for t in TABLES))


def clear() -> None:
    with _lock:
        _entries.clear()


def read_extract_cached(
    path: str | Path,
    tables: set[str] | None = None,
    needed_by: dict[str, str] | None = None,
) -> Extract:
    """`udtraek.laes.read_extract`, kept while the files stay as they are."""
    from xlstatus.udtraek.laes import read_extract

    p = Path(path)
    limit = limit_bytes()
    if not limit:
        stats["reads"] += 1
        return read_extract(p, tables, needed_by)
    key = (
        str(p.absolute()),
        frozenset(tables or ()),
        tuple(sorted((needed_by or {}).items())),
        identity(p),
        identity(template_file(ALIAS_FILE)),
    )
    with _lock:
        found = _lookup(key)
        if found is not None:
            return found
        reading = _reading.setdefault(key, threading.Lock())
    with reading:
        with _lock:
            found = _lookup(key)
        if found is not None:
            return found
        try:
            stats["reads"] += 1
            extract = read_extract(p, tables, needed_by)
            _store(key, extract, limit)
        finally:
            with _lock:
                _reading.pop(key, None)
    return extract


def _lookup(key: tuple) -> Extract | None:
    """The kept extract for key, now the most recently used (call with the lock held)."""
    entry = _entries.get(key)
    if entry is None:
        return None
    _entries.move_to_end(key)
    stats["hits"] += 1
    return entry[0]


def _store(key: tuple, extract: Extract, limit: int) -> None:
    size = size_of(extract)
    with _lock:
        stale = [k for k in _entries if k[:3] == key[:3]]  # older versions of the same files
        for k in stale:
            del _entries[k]
        if size > limit:
            return
        _entries[key] = (extract, size)
        while sum(s for _, s in _entries.values()) > limit:
            _entries.popitem(last=False)
