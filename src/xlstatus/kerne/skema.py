"""The statusskemas as data: parse and check a schema template's text (`parse_schema`).

Pure: the files themselves (`skabeloner/skemaer/*.toml`, a municipality's own folder) are
read by `xlstatus.skabelonfiler`.

A schema is a list of rows; each row is one indicator kind with parameters
(indikatorer.md). A typo in a template is a `TemplateError` naming the file,
the line of the row and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date

from xlstatus.kerne.errors import Problems, TemplateError
from xlstatus.kerne.koder import AFGANGSAARSAGER, AFSLUTNINGER, MAALGRUPPER, TILBUD
from xlstatus.kerne.tid import month_range, parse_month

KINDS = {
    "bestand",
    "kontaktforloeb",
    "henviste_maaned",
    "akkumuleret",
    "andel_afsluttet",
    "varighed",
    "med_loentimer",
    "med_tilbud",
    "delaftale2_12mdr",
    "delaftale2_26uger",
    "andel_afgang",
    "tilbagevenden",
    "virksomheder",
    "manuel",
}
CUMULATIVE = {"akkumuleret", "virksomheder"}
FORMATS = {"antal", "antal_andel", "andel", "uger", "tekst"}
DIRECTIONS = {"højere", "lavere"}
BANDS = {"1-5", "6-10", "over 10"}
FIELDS_VIRKSOMHEDER = {"behovsafdaekket", "oensker_kompetenceloeft"}

# kind -> parameters it needs (a tuple inside means "at least one of")
REQUIRED: dict[str, list[str | tuple[str, ...]]] = {
    "bestand": [("maalgruppe", "markering")],
    "kontaktforloeb": ["maalgruppe", "sted"],
    "henviste_maaned": ["markering"],
    "akkumuleret": ["markering"],
    "andel_afsluttet": ["markering", "afslutning"],
    "varighed": ["maalgruppe"],
    "med_loentimer": [("maalgruppe", "markering")],
    "med_tilbud": [("maalgruppe", "markering"), "tilbud"],
    "delaftale2_12mdr": ["maalgruppe"],
    "delaftale2_26uger": ["maalgruppe"],
    "andel_afgang": ["maalgruppe", "aarsager"],
    "tilbagevenden": ["maalgruppe"],
    "virksomheder": ["felt"],
    "manuel": [],
}


@dataclass(frozen=True)
class Params:
    """Parameters of an indicator kind; unused ones stay at their defaults."""

    maalgruppe: str | None = None
    markering: str | None = None
    alder_min: int | None = None
    sted: str | None = None  # 'akasse' | 'jobcenter'
    maaneder: int | None = None
    kun_akasseperiode: bool = False
    afslutning: tuple[str, ...] = ()
    fleksjob_timer_over: float | None = None
    timer_pr_uge: str | None = None  # band: '1-5' | '6-10' | 'over 10'
    tilbud: tuple[str, ...] = ()
    aarsager: tuple[str, ...] = ()
    felt: str | None = None


PARAM_NAMES = {f.name for f in fields(Params)}


@dataclass(frozen=True)
class Row:
    """One statusskema row: an indicator with its display format and targets."""

    projekt: str
    sektion: str
    label: str
    kind: str
    params: Params
    fmt: str = "antal"
    decimals: int = 0
    start: float | None = None  # the compared start value (count, share or weeks)
    start_antal: int | None = None  # the count shown beside a start share
    start_note: str = ""  # footnote marker shown after the start value, e.g. '*'
    targets: tuple[tuple[date, float], ...] = ()
    direction: str | None = None
    line: int = 0  # line in the template file

    @property
    def key(self) -> tuple[str, str]:
        return (self.sektion, self.label)

    @property
    def cumulative(self) -> bool:
        return self.kind in CUMULATIVE

    @property
    def manual(self) -> bool:
        return self.kind == "manuel"

    @property
    def targeted(self) -> bool:
        return bool(self.targets) and self.direction is not None


@dataclass(frozen=True)
class Milestone:
    month: date
    header: str


@dataclass(frozen=True)
class Schema:
    """One project's statusskema."""

    projekt: str
    kode: str
    ark: str
    titel: str
    overskrift: str
    startmaaling: date
    projektstart: date
    months: tuple[date, ...]
    milestones: tuple[Milestone, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()
    sections: tuple[str, ...] = field(default=())

    def row(self, sektion: str, label: str) -> Row:
        for r in self.rows:
            if r.key == (sektion, label):
                return r
        raise KeyError((sektion, label))


def _row_lines(text: str) -> list[int]:
    """Line numbers (1-based) of each [[raekke]] header in a template file."""
    return [
        i for i, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[raekke\]\]", line)
    ]


def parse_schema(text: str, source: str) -> Schema:
    """One schema template from its TOML text; `source` (the file name) names it in every
    problem, all reported at once, and its stem is the schema's code."""
    problems = Problems()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.error(f"ugyldig TOML: {exc}", file=source, expected="gyldig TOML")
        problems.raise_if_errors(f"Skabelonen {source} kan ikke læses", TemplateError)
        raise AssertionError from exc  # unreachable

    def need(key: str) -> object:
        if key not in data:
            problems.error("mangler", file=source, column=key, expected="feltet skal være udfyldt")
        return data.get(key)

    projekt = str(need("projekt") or "")
    first, last = (data.get("maaneder") or ["2024-02", "2026-01"])[:2]
    months = tuple(month_range(parse_month(first), parse_month(last)))
    milestones = []
    for m in data.get("milepael", []):
        try:
            milestones.append(Milestone(parse_month(m["maaned"]), str(m.get("overskrift", ""))))
        except (KeyError, ValueError) as exc:
            problems.error(f"ugyldig milepæl: {exc}", file=source, column="milepael", value=m)
    population = data.get("population", {})
    lines = _row_lines(text)
    rows = []
    for i, raw in enumerate(data.get("raekke", [])):
        line = lines[i] if i < len(lines) else None
        row = _parse_row(raw, projekt, population, problems, source, line)
        if row:
            rows.append(row)
    seen: set[tuple[str, str]] = set()
    for r in rows:
        if r.key in seen:
            problems.error(
                "rækken findes to gange (samme sektion og label)",
                file=source,
                row=r.line,
                column="label",
                value=r.label,
            )
        seen.add(r.key)
    problems.raise_if_errors(f"Skabelonen {source} har fejl", TemplateError)
    sections = tuple(dict.fromkeys(r.sektion for r in rows if r.sektion))
    return Schema(
        projekt=projekt,
        kode=source.rpartition(".")[0] or source,
        ark=str(need("ark")),
        titel=str(data.get("titel", projekt)),
        overskrift=str(data.get("overskrift", "")),
        startmaaling=data.get("startmaaling", date(2024, 1, 10)),
        projektstart=data.get("projektstart", date(2024, 1, 10)),
        months=months,
        milestones=tuple(milestones),
        rows=tuple(rows),
        footnotes=tuple(data.get("fodnoter", [])),
        sections=sections,
    )


ROW_KEYS = {
    "sektion",
    "label",
    "art",
    "format",
    "decimaler",
    "start",
    "start_antal",
    "start_fodnote",
    "maal",
    "retning",
} | PARAM_NAMES


def _parse_row(
    raw: dict, projekt: str, population: dict, problems: Problems, file: str, line: int | None
) -> Row | None:
    def bad(column: str, message: str, value: object = None, expected: str = "") -> None:
        problems.error(message, file=file, row=line, column=column, value=value, expected=expected)

    for key in raw:
        if key not in ROW_KEYS:
            bad(key, "ukendt felt", key, "et af: " + ", ".join(sorted(ROW_KEYS)))
    label = raw.get("label")
    if not label:
        bad("label", "rækken mangler en label")
        return None
    kind = raw.get("art")
    if kind not in KINDS:
        bad("art", "ukendt indikatorart", kind, "en af: " + ", ".join(sorted(KINDS)))
        return None
    values = {**(population if kind not in ("virksomheder", "manuel") else {}), **raw}
    params = _parse_params(values, kind, bad)
    fmt = raw.get("format", "antal" if kind != "manuel" else "tekst")
    if fmt not in FORMATS:
        bad("format", "ukendt visningsformat", fmt, "en af: " + ", ".join(sorted(FORMATS)))
    direction = raw.get("retning")
    if direction is not None and direction not in DIRECTIONS:
        bad("retning", "ukendt retning", direction, "'højere' eller 'lavere'")
    targets = []
    for month, value in (raw.get("maal") or {}).items():
        try:
            targets.append((parse_month(month), float(value)))
        except (ValueError, TypeError):
            bad("maal", "ugyldigt mål", f"{month} = {value}", '"ÅÅÅÅ-MM" = tal')
    if targets and direction is None:
        bad("retning", "rækken har mål, men ingen retning", expected="'højere' eller 'lavere'")
    start = raw.get("start")
    if start is not None and not isinstance(start, int | float):
        bad("start", "startværdien skal være et tal", start, "tal")
        start = None
    return Row(
        projekt=projekt,
        sektion=str(raw.get("sektion", "")),
        label=str(label),
        kind=kind,
        params=params,
        fmt=fmt,
        decimals=int(raw.get("decimaler", 1 if fmt == "uger" else 0)),
        start=float(start) if start is not None else None,
        start_antal=raw.get("start_antal"),
        start_note=str(raw.get("start_fodnote", "")),
        targets=tuple(sorted(targets)),
        direction=direction,
        line=line or 0,
    )


def _parse_params(values: dict, kind: str, bad) -> Params:
    kwargs: dict = {}
    for name in PARAM_NAMES & values.keys():
        value = values[name]
        if name in ("afslutning", "tilbud", "aarsager"):
            value = tuple([value] if isinstance(value, str) else value)
        kwargs[name] = value
    p = Params(**kwargs)
    for need in REQUIRED[kind]:
        options = need if isinstance(need, tuple) else (need,)
        if not any(getattr(p, o) not in (None, ()) for o in options):
            bad(" / ".join(options), f"indikatorarten '{kind}' kræver parameteren", None, "udfyldt")
    checks = [
        ("maalgruppe", [p.maalgruppe] if p.maalgruppe else [], MAALGRUPPER),
        ("afslutning", p.afslutning, AFSLUTNINGER),
        ("tilbud", p.tilbud, TILBUD),
        ("aarsager", p.aarsager, AFGANGSAARSAGER),
        ("sted", [p.sted] if p.sted else [], ["akasse", "jobcenter"]),
        ("timer_pr_uge", [p.timer_pr_uge] if p.timer_pr_uge else [], sorted(BANDS)),
        ("felt", [p.felt] if p.felt else [], sorted(FIELDS_VIRKSOMHEDER)),
    ]
    for name, given, known in checks:
        for v in given:
            if v not in known:
                bad(name, "ukendt værdi", v, "en af: " + ", ".join(known))
    return p
