"""`xlstatus sammenligning hent` (sammenligning.md §3): the configured tables from the
Jobindsats API (version 3) and Statistikbanken's API, saved unchanged in one folder.

- Jobindsats: GET `<JOBINDSATS_API_URL>data/<id>?format=json&period.<type>=…&
  hierarchy._nykom=*` with `Authorization: Bearer <JOBINDSATS_API_NOEGLE>`; the key comes
  only from the environment and is never written anywhere.
- Statistikbanken: POST `<STATBANK_API_URL>data` with `{"table", "format": "CSV", "lang":
  "da", "variables": [{"code": "OMRÅDE", "values": ["*"]}, {"code": "Tid", "values":
  […]}]}` (no key).

A table id in capitals (`AUF01`) is Statistikbanken's, any other (`ptv_a02`) Jobindsats'.
Each answer is checked with the readers of `kerne.sammenligning` before it is kept, saved
as `<id>.json` / `<id>.csv`, and `kilde.json` says what was asked for and when. The folder
is written whole in a temporary folder beside it and renamed into place: on any error
(missing key, HTTP 401/403/429, time-out, no network, a bad answer) nothing is changed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from xlstatus.kerne.errors import XlstatusError
from xlstatus.kerne.sammenligning import KildeError, parse_csv, parse_json
from xlstatus.kerne.sammenligning_opsaetning import SENESTE, Opsaetning, Tabel
from xlstatus.udtraek.sammenligning import METADATA

KEY_ENV = "JOBINDSATS_API_NOEGLE"
URL_ENV = "JOBINDSATS_API_URL"
STATBANK_ENV = "STATBANK_API_URL"
JOBINDSATS_URL = "https://api.jobindsats.dk/v3/"
STATBANK_URL = "https://api.statbank.dk/v1/"
TIMEOUT = 60.0
_STATBANK_ID = re.compile(r"[A-ZÆØÅ][A-ZÆØÅ0-9]*\d[A-ZÆØÅ0-9]*")


class HentFejl(XlstatusError):
    """Fetching failed: no key, the API said no, no answer in time, no network."""


@dataclass(frozen=True)
class Forespoergsel:
    """One request: where, how, and the file its answer is saved in."""

    tabel: str
    url: str
    metode: str
    krop: dict | None
    fil: str

    @property
    def statbank(self) -> bool:
        return self.fil.endswith(".csv")


def is_statbank(table_id: str) -> bool:
    return bool(_STATBANK_ID.fullmatch(table_id))


def _base(env: str, default: str) -> str:
    url = os.environ.get(env) or default
    return url if url.endswith("/") else url + "/"


def _jobindsats(table_id: str, t: Tabel) -> Forespoergsel:
    period = "latest:1" if t.periode == SENESTE else t.periode
    query = urllib.parse.urlencode(
        {"format": "json", f"period.{t.periodetype}": period, "hierarchy._nykom": "*"},
        safe="*:/",
    )
    url = f"{_base(URL_ENV, JOBINDSATS_URL)}data/{urllib.parse.quote(table_id)}?{query}"
    return Forespoergsel(table_id, url, "GET", None, f"{table_id}.json")


def _statbank(table_id: str, t: Tabel) -> Forespoergsel:
    tid = ["*"] if t.periode == SENESTE else [t.periode]
    body = {
        "table": table_id,
        "format": "CSV",
        "lang": "da",
        "variables": [{"code": "OMRÅDE", "values": ["*"]}, {"code": "Tid", "values": tid}],
    }
    return Forespoergsel(
        table_id, f"{_base(STATBANK_ENV, STATBANK_URL)}data", "POST", body, f"{table_id}.csv"
    )


def requests_for(o: Opsaetning) -> list[Forespoergsel]:
    """One request per table id of the configuration (the first [[tabel]] naming it decides
    its period), in configuration order."""
    seen: dict[str, Forespoergsel] = {}
    for t in o.tabeller:
        for table_id in t.kilder:
            if table_id and table_id not in seen:
                maker = _statbank if is_statbank(table_id) else _jobindsats
                seen[table_id] = maker(table_id, t)
    return list(seen.values())


def _http_error(exc: urllib.error.HTTPError, f: Forespoergsel) -> HentFejl:
    where = "Statistikbanken" if f.statbank else "Jobindsats' API"
    if exc.code in (401, 403):
        hint = (
            "tjek adgangen"
            if f.statbank
            else f"nøglen i {KEY_ENV} er forkert, udløbet eller har ikke adgang til tabellen"
        )
        return HentFejl(f"{where} afviste forespørgslen på {f.tabel} (HTTP {exc.code}): {hint}.")
    if exc.code == 429:
        wait = exc.headers.get("Retry-After") if exc.headers else None
        later = f" om {wait} sekunder" if wait else " om lidt"
        return HentFejl(
            f"{where} har fået for mange forespørgsler (HTTP 429) ved {f.tabel}: prøv igen{later}."
        )
    return HentFejl(f"{where} svarede med HTTP {exc.code} på {f.tabel}.")


def fetch_one(f: Forespoergsel, key: str | None, timeout: float) -> bytes:
    """The answer's bytes, unchanged; HentFejl in Danish otherwise."""
    headers = {"Accept": "text/csv" if f.statbank else "application/json"}
    data = None
    if f.krop is not None:
        data = json.dumps(f.krop, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if not f.statbank and key:
        headers["Authorization"] = f"Bearer {key}"
    req = urllib.request.Request(f.url, data=data, headers=headers, method=f.metode)
    where = "Statistikbanken" if f.statbank else "Jobindsats' API"
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, f) from None
    except TimeoutError:
        raise HentFejl(
            f"{where} svarede ikke inden for {timeout:g} sekunder ({f.tabel}); prøv igen senere."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise HentFejl(
                f"{where} svarede ikke inden for {timeout:g} sekunder ({f.tabel}); "
                "prøv igen senere."
            ) from None
        raise HentFejl(
            f"Ingen forbindelse til {where} ({f.url.split('?')[0]}): {reason}."
        ) from None


def _check(f: Forespoergsel, body: bytes) -> None:
    """The answer must be readable as a source (else KildeError naming it)."""
    text = body.decode("utf-8-sig", errors="replace")
    if f.statbank:
        parse_csv(text, f.fil, f.tabel)
    else:
        parse_json(text, f.fil)


def _replace_folder(tmp: Path, ud: Path) -> None:
    """Put tmp where ud is, whole: the old folder moves aside first and goes last."""
    old = None
    if ud.exists():
        old = ud.with_name(f".{ud.name}.gammel-{os.getpid()}")
        ud.rename(old)
    try:
        tmp.rename(ud)
    except OSError:
        if old is not None:
            old.rename(ud)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def hent(o: Opsaetning, ud: Path, timeout: float = TIMEOUT) -> list[Path]:
    """Fetch every configured table into the folder `ud` (whole or not at all)."""
    reqs = requests_for(o)
    key = os.environ.get(KEY_ENV, "").strip() or None
    if key is None and any(not f.statbank for f in reqs):
        raise HentFejl(
            f"Miljøvariablen {KEY_ENV} mangler: sæt den til nøglen til Jobindsats' API "
            "(fås på jobindsats.dk). Nøglen må aldrig stå i en fil i projektet."
        )
    ud.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{ud.name}.", dir=ud.parent))
    try:
        meta: dict[str, object] = {}
        for f in reqs:
            body = fetch_one(f, key, timeout)
            try:
                _check(f, body)
            except KildeError as exc:
                raise HentFejl(f"Svaret på {f.tabel} kan ikke bruges:\n{exc}") from None
            (tmp / f.fil).write_bytes(body)
            meta[f.tabel] = {
                "fil": f.fil,
                "url": f.url,
                "metode": f.metode,
                "krop": f.krop,
                "hentet": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        text = json.dumps({"tabeller": meta}, ensure_ascii=False, indent=1)
        (tmp / METADATA).write_text(text + "\n", encoding="utf-8")
        _replace_folder(tmp, ud)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return [ud / f.fil for f in reqs]
