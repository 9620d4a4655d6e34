"""Saving a workbook file safely, and the locks around it.

- `check_lock` refuses a workbook that Excel or LibreOffice has open (their lock files
  `~$Name.xlsx` / `.~lock.Name.xlsx#`) or that is read-only (by its mode bits, so also
  when run as root);
- `OpdaterLaas` is xlstatus's own lock for a whole read–modify–write: an OS lock
  (`fcntl.flock` / `msvcrt.locking`) on `.Name.xlsx.xlstatus-laas` beside the workbook,
  released by the OS when the process dies. A second run waits `LAAS_VENT` seconds
  (environment variable XLSTATUS_LAAS_VENT), then stops with "Arbejdsbogen opdateres
  allerede af …" (user and host from the lock file). Taking it removes temporary files
  that killed runs left behind;
- `save_atomic` writes a uniquely named temporary file beside the real file (a symlink is
  followed), copies the previous version to `Name.backup.xlsx` and renames the new one into
  place, keeping the file's mode; a file with several hard links is rewritten in place
  (after the backup) so every link sees the new version. Parts openpyxl drops but that
  need no understanding (`customXml/`, `docMetadata/`: SharePoint properties, sensitivity
  labels) are copied back into the saved file.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import io
import os
import posixpath
import shutil
import socket
import stat
import sys
import tempfile
import time
import weakref
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from xlstatus.kerne.errors import WorkbookError

LAAS_VENT = 10.0  # seconds a second run waits for the first (XLSTATUS_LAAS_VENT overrides)
LAAS_BYTE = 1 << 20  # Windows: the byte locked (beyond the owner text, which stays readable)
TMP_MARK = ".xlstatus-tmp"
KEPT_PREFIXES = ("customXml/", "docMetadata/")
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

# --------------------------------------------------------------------------- Excel's locks


def _excel_owner(lock: Path) -> str:
    """The user name in Excel's owner file (~$Name.xlsx): a length byte, then the name."""
    try:
        data = lock.read_bytes()
        n = data[0]
        name = data[1 : 1 + n].decode("cp1252").strip()
        return name or "en anden bruger"
    except (OSError, IndexError, UnicodeDecodeError):
        return "en anden bruger"


def _libreoffice_owner(lock: Path) -> str:
    try:
        fields = lock.read_text(encoding="utf-8", errors="replace").split(",")
        return (
            fields[0].strip() or (fields[2].strip() if len(fields) > 2 else "") or "en anden bruger"
        )
    except OSError:
        return "en anden bruger"


def read_only(path: Path) -> bool:
    """No write bit at all (chmod 0444, Windows' read-only attribute) – root included."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_IMODE(mode) & 0o222 or not os.access(path, os.W_OK)


def check_lock(path: Path) -> None:
    """A WorkbookError (exit 1) when the workbook is open in Excel/LibreOffice or read-only."""
    path = Path(path)
    excel = [path.with_name("~$" + path.name)]
    if len(path.stem) > 2:
        excel.append(path.with_name("~$" + path.name[2:]))
    for lock in excel:
        if lock.exists():
            raise WorkbookError(
                f"Arbejdsbogen {path.name} er åben i Excel (låst af {_excel_owner(lock)}). "
                f"Luk den og prøv igen. (Er den ikke åben, så slet låsefilen {lock.name}.)"
            )
    lo = path.with_name(f".~lock.{path.name}#")
    if lo.exists():
        raise WorkbookError(
            f"Arbejdsbogen {path.name} er åben i LibreOffice (låst af {_libreoffice_owner(lo)}). "
            f"Luk den og prøv igen. (Er den ikke åben, så slet låsefilen {lo.name}.)"
        )
    if path.exists() and read_only(path):
        raise WorkbookError(
            f"Arbejdsbogen {path.name} er skrivebeskyttet og kan ikke opdateres. Intet er "
            "ændret. Fjern skrivebeskyttelsen (eller luk den i Excel) og prøv igen."
        )
    folder = target(path).parent
    if not os.access(folder, os.W_OK):
        raise WorkbookError(
            f"Mappen {folder} er skrivebeskyttet, så arbejdsbogen kan ikke gemmes der."
        )


def permission_error(path: Path) -> WorkbookError:
    return WorkbookError(
        f"Arbejdsbogen {Path(path).name} kan ikke gemmes: den er åben i Excel eller et andet "
        "program, eller filen er skrivebeskyttet. Luk den og prøv igen."
    )


def target(path: Path) -> Path:
    """The real file behind a (chain of) symbolic link(s); the path itself otherwise."""
    return Path(os.path.realpath(path))


# --------------------------------------------------------------------------- our own lock


def lock_path(path: Path) -> Path:
    real = target(path)
    return real.with_name(f".{real.name}.xlstatus-laas")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, LAAS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, LAAS_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _still_there(fd: int, lock: Path) -> bool:
    """POSIX: is the locked file still the one at the path (not removed by its last owner)?"""
    if sys.platform == "win32":
        return True  # an open file cannot be removed there
    try:
        a, b = os.fstat(fd), os.stat(lock)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "ukendt"


def owner_text() -> str:
    return f"{current_user()} på {socket.gethostname() or 'en ukendt computer'}"


def _owner(lock: Path) -> str:
    """Who holds the lock, as its owner wrote it: 'bruger på computer (siden kl. 08:01)'."""
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    if not lines or not lines[0].strip():
        return "en anden kørsel af xlstatus"
    since = f" (siden kl. {lines[1].strip()})" if len(lines) > 1 and lines[1].strip() else ""
    return lines[0].strip() + since


def laas_vent() -> float:
    """How long a second run waits: XLSTATUS_LAAS_VENT (seconds) or LAAS_VENT."""
    try:
        return max(0.0, float(os.environ["XLSTATUS_LAAS_VENT"].replace(",", ".")))
    except (KeyError, ValueError):
        return LAAS_VENT


_held: weakref.WeakValueDictionary[str, OpdaterLaas] = weakref.WeakValueDictionary()


class OpdaterLaas:
    """xlstatus's lock on one workbook for a whole read–modify–write (see the module text).

    Re-entrant within one process: a nested holder (the save inside a held run) shares the
    outer holder's lock."""

    def __init__(self, path: Path, vent: float | None = None) -> None:
        self.path = Path(path)
        self.lock = lock_path(self.path)
        self.vent = laas_vent() if vent is None else vent
        self.fd: int | None = None
        self.nested = False

    def __enter__(self) -> OpdaterLaas:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        key = str(self.lock)
        outer = _held.get(key)
        if outer is not None and outer.fd is not None:
            self.nested = True
            return
        deadline = time.monotonic() + self.vent
        while True:
            fd = self._open()
            if _try_lock(fd):
                if _still_there(fd, self.lock):
                    break
                _unlock(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise WorkbookError(
                    f"Arbejdsbogen {self.path.name} opdateres allerede af "
                    f"{_owner(self.lock)}. Vent, til den er færdig, og prøv igen. "
                    "Intet er ændret."
                )
            time.sleep(0.1)
        self.fd = fd
        _held[key] = self
        self._write_owner()
        remove_leftovers(self.path)

    def _open(self) -> int:
        try:
            return os.open(self.lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as exc:
            raise WorkbookError(
                f"Arbejdsbogen {self.path.name} kan ikke låses til opdatering: låsefilen "
                f"{self.lock.name} kan ikke oprettes i mappen {self.lock.parent}. Intet er ændret."
            ) from exc

    def _write_owner(self) -> None:
        assert self.fd is not None
        text = f"{owner_text()}\n{datetime.now():%H:%M}\n{os.getpid()}\n"
        with contextlib.suppress(OSError):
            os.lseek(self.fd, 0, os.SEEK_SET)
            os.ftruncate(self.fd, 0)
            os.write(self.fd, text.encode("utf-8"))

    def release(self) -> None:
        if self.nested or self.fd is None:
            self.nested = False
            return
        fd, self.fd = self.fd, None
        _held.pop(str(self.lock), None)
        with contextlib.suppress(OSError):
            self.lock.unlink()  # while still locked: a waiter re-checks the path
        _unlock(fd)
        with contextlib.suppress(OSError):
            os.close(fd)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def _is_leftover(name: str, real: Path) -> bool:
    return name.startswith(f".{real.stem}{TMP_MARK}") and name.endswith(real.suffix)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove temporary files of this workbook left by killed runs (call with the lock)."""
    real = target(path)
    removed = []
    with contextlib.suppress(OSError):
        for name in os.listdir(real.parent):
            if _is_leftover(name, real):
                p = real.parent / name
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed.append(p)
    return removed


# --------------------------------------------------------------------------- kept parts


def _kept_rels(xml: bytes, base: str) -> list[ElementTree.Element]:
    """Relationships in a .rels part that point into the kept folders."""
    out = []
    for rel in ElementTree.fromstring(xml):
        t = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        part = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(base, t))
        if part.startswith(KEPT_PREFIXES):
            out.append(rel)
    return out


def _add_rels(xml: bytes, rels: list[ElementTree.Element]) -> bytes:
    ElementTree.register_namespace("", RELS_NS)
    root = ElementTree.fromstring(xml)
    ids = {r.get("Id") for r in root}
    have = {(r.get("Type"), r.get("Target")) for r in root}
    for rel in rels:
        if (rel.get("Type"), rel.get("Target")) in have:
            continue
        new = ElementTree.SubElement(root, f"{{{RELS_NS}}}Relationship", dict(rel.attrib))
        n = 1
        while new.get("Id") in ids:
            new.set("Id", f"rIdXl{n}")
            n += 1
        ids.add(new.get("Id"))
    return ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _add_types(xml: bytes, original: bytes, parts: list[str]) -> bytes:
    ElementTree.register_namespace("", TYPES_NS)
    root = ElementTree.fromstring(xml)
    old = ElementTree.fromstring(original)
    defaults = {d.get("Extension", "").lower() for d in root if d.tag.endswith("Default")}
    overrides = {o.get("PartName") for o in root if o.tag.endswith("Override")}
    wanted = {"/" + p for p in parts}
    for el in old:
        if el.tag.endswith("Override") and el.get("PartName") in wanted - overrides:
            root.append(el)
        elif el.tag.endswith("Default"):
            ext = el.get("Extension", "").lower()
            if ext not in defaults and any(p.lower().endswith("." + ext) for p in parts):
                root.append(el)
    return ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _kept_from(original: Path):
    """(relationships by .rels part, kept parts' bytes, [Content_Types].xml) or None."""
    with zipfile.ZipFile(original) as old:
        names = old.namelist()
        parts = [n for n in names if n.startswith(KEPT_PREFIXES)]
        if not parts:
            return None
        sources = {"_rels/.rels": "", "xl/_rels/workbook.xml.rels": "xl"}
        rels = {k: _kept_rels(old.read(k), base) for k, base in sources.items() if k in names}
        kept = {n: old.read(n) for n in parts}
        return rels, kept, old.read("[Content_Types].xml")


def keep_parts(original: Path, data: bytes) -> bytes:
    """Copy `customXml/` and `docMetadata/` parts (and their relationships and content
    types) from the original file into openpyxl's output, which drops them. An unreadable
    original (`ny --erstat` over a broken file) has nothing to keep."""
    try:
        found = _kept_from(original)
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, zlib.error):
        return data
    if found is None:
        return data
    rels, kept, types = found
    parts = list(kept)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as new,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        present = set(new.namelist())
        for info in new.infolist():
            body = new.read(info.filename)
            if rels.get(info.filename):
                body = _add_rels(body, rels[info.filename])
            elif info.filename == "[Content_Types].xml":
                body = _add_types(body, types, parts)
            z.writestr(info, body)
        for name, body in kept.items():
            if name not in present:
                z.writestr(name, body)
    return out.getvalue()


# --------------------------------------------------------------------------- saving


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backup{path.suffix}")


def workbook_bytes(wb) -> bytes:
    """openpyxl's output in memory."""
    if wb.vba_archive is not None:
        # openpyxl would write a sheet's notes over the drawing of another sheet's (a
        # duplicate zip entry); the drawings hold only notes (check_preservable refuses
        # form controls), so let it draw them afresh.
        for ws in wb.worksheets:
            ws.legacy_drawing = None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_in_place(path: Path, data: bytes) -> None:
    """Hard links: the same file (inode) gets the new bytes, so every name sees them."""
    with open(path, "r+b") as f:
        f.truncate(0)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _install(tmp: Path, real: Path, data: bytes, backup: bool) -> Path | None:
    """Put the complete temporary file in place of the real one (see the module text)."""
    if not real.exists():
        os.chmod(tmp, _new_file_mode())
        os.replace(tmp, real)
        return None
    st = os.stat(real)
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.chown(tmp, st.st_uid, st.st_gid)
    kept = None
    if backup:
        kept = backup_path(real)
        shutil.copy2(real, kept)
    if st.st_nlink > 1:
        _write_in_place(real, data)
    else:
        os.replace(tmp, real)
    return kept


def save_atomic(wb, path: Path, backup: bool = True) -> Path | None:
    """Save via a temporary file and a rename (holding the lock); the previous file becomes
    the backup, whose path is returned."""
    path = Path(path)
    real = target(path)
    with OpdaterLaas(path):
        if real.exists() and read_only(real):
            check_lock(path)  # the Danish read-only message
        data = workbook_bytes(wb)
        if real.exists():
            data = keep_parts(real, data)
        tmp: Path | None = None
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{real.stem}{TMP_MARK}-", suffix=real.suffix, dir=real.parent
            )
            tmp = Path(name)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            return _install(tmp, real, data, backup)
        except PermissionError as exc:
            raise permission_error(path) from exc
        except OSError as exc:
            raise save_error(path, exc) from exc
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def save_error(path: Path, exc: OSError) -> WorkbookError:
    why = (
        "disken er fuld"
        if exc.errno == errno.ENOSPC
        else f"filsystemet meldte fejl nr. {exc.errno}"
    )
    return WorkbookError(
        f"Arbejdsbogen {Path(path).name} kunne ikke gemmes ({why}). Arbejdsbogen er som før "
        "(eller som i backup-filen). Prøv igen, når fejlen er rettet."
    )


__all__ = [
    "LAAS_VENT",
    "OpdaterLaas",
    "backup_path",
    "check_lock",
    "keep_parts",
    "lock_path",
    "permission_error",
    "read_only",
    "remove_leftovers",
    "save_atomic",
    "target",
]
