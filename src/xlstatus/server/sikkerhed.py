"""What a workbook may make the server do.

A workbook is data from a user's PC: an extract path typed on Indstillinger or in a cell
function is only read when it lies inside the server's extract folder (no `..`, no link
out of it), messages echo at most a shortened value with CPR-like numbers masked, and
with Entra ID sign-in on, only members of the configured group may run Opdater.
"""

from __future__ import annotations

import os
from pathlib import Path

from xlstatus.kerne.errors import WorkbookError, mask_cpr
from xlstatus.server import ENV_GRUPPE, ENV_SAMMENLIGNING, ENV_UDTRAEK

MAX_SHOWN = 40


def kort(value: object, limit: int = MAX_SHOWN) -> str:
    """A value as messages may show it: CPR-like numbers masked, at most `limit` chars."""
    text = mask_cpr(" ".join(str(value).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def udtraek_sti() -> Path | None:
    """The server's extract (`--udtraek`): a folder or one .xlsx, or None."""
    value = os.environ.get(ENV_UDTRAEK, "").strip()
    return Path(value) if value else None


def tilladt_sti(typed: str | Path) -> Path:
    """The file or folder a workbook names, if the server may read it; else WorkbookError.

    Relative paths are taken from the server's extract folder. Allowed: that folder and
    what lies inside it after resolving every link (or exactly the configured file)."""
    root = udtraek_sti()
    shown = kort(typed)
    if root is None:
        raise WorkbookError(
            f"Serveren læser ikke udtræk fra stier i arbejdsbogen ({shown}): der er ingen "
            "udtræksmappe sat op på serveren. Slet stien på arket Indstillinger, eller bed "
            "IT om at starte serveren med --udtraek. Intet er ændret."
        )
    raw = Path(str(typed).strip().strip('"'))
    if ".." in raw.parts:
        raise _refused(shown)
    base = root if root.is_dir() else root.parent
    candidate = raw if raw.is_absolute() else base / raw
    real_root, real = root.resolve(), candidate.resolve()
    inside = real == real_root if not root.is_dir() else real.is_relative_to(real_root)
    if not inside:
        raise _refused(shown)
    return real


def sammenligning_sti(typed: str) -> Path | None:
    """The comparison folder of a server run: the server's own (`--sammenligning`) when the
    Indstillinger row is empty, a folder inside it when one is typed; None: no folder set up
    and none typed (the sheet is left alone). Like the extract: no `..`, no link out."""
    value = os.environ.get(ENV_SAMMENLIGNING, "").strip()
    root = Path(value) if value else None
    text = str(typed or "").strip().strip('"')
    if not text:
        return root
    shown = kort(text)
    if root is None:
        raise WorkbookError(
            f"Serveren læser ikke sammenligningstal fra stier i arbejdsbogen ({shown}): der "
            "er ingen sammenligningsmappe sat op på serveren. Slet stien i rækken "
            "'Sammenligning' på arket Indstillinger, eller bed IT om at starte serveren med "
            "--sammenligning. Intet er ændret."
        )
    raw = Path(text)
    candidate = raw if raw.is_absolute() else root / raw
    if ".." in raw.parts or not candidate.resolve().is_relative_to(root.resolve()):
        raise WorkbookError(
            f"Mappen '{shown}' ligger ikke i serverens sammenligningsmappe, så serveren læser "
            "den ikke. Slet stien i rækken 'Sammenligning' på arket Indstillinger (så bruges "
            "serverens egen mappe), eller skriv en undermappe af den. Intet er ændret."
        )
    return candidate.resolve()


def _refused(shown: str) -> WorkbookError:
    return WorkbookError(
        f"Stien '{shown}' ligger ikke i serverens udtræksmappe, så serveren læser den ikke. "
        "Slet stien på arket Indstillinger (så bruges serverens eget udtræk), eller skriv "
        "et filnavn i udtræksmappen. Intet er ændret."
    )


def maa_opdatere(user: object, sign_in: bool) -> None:
    """With sign-in on and a group configured, only its members may run Opdater."""
    group = os.environ.get(ENV_GRUPPE, "").strip()
    if not sign_in or not group:
        return
    claims = getattr(user, "claims", {}) or {}
    member = group in (claims.get("groups") or []) or group in (getattr(user, "roles", []) or [])
    if not member:
        name = kort(getattr(user, "name", None) or "du")
        raise WorkbookError(
            f"{name} er ikke med i gruppen, der må opdatere statusskemaerne. Bed IT om "
            "adgang. Intet er ændret."
        )


def bruger(user: object, sign_in: bool) -> str:
    """The Log's user: the signed-in person, else that the update came via the server."""
    if sign_in:
        name = getattr(user, "name", None) or getattr(user, "email", None)
        if name:
            return f"{kort(name, 60)} (via serveren)"
    return "via serveren (ingen login)"
