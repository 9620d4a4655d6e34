"""The Måltal table (maaltal.md) as data, and what xlstatus aggregates from it. Pure.

The table lists, per benefit group, lines of *fuldtidspersoner* (the budget's baseline,
investments, budget agreements, other lines) and a printed total. From it xlstatus derives

- group totals, and the typed totals that differ from the sum of their lines;
- the project × group matrix of the investment lines;
- actual fuldtidspersoner from a FACIT extract against each measured line's target;
- money: expected saving per project against its investment cost, net return and the
  month the investment breaks even.

Decisions where the spec is silent (also in skabeloner/maaltal.toml):

- *Target of a measured line* = the line plus the investment/budget-agreement lines that
  adjust it (`maal_for`; by default the nearest measured line above). A group can be
  measured as a whole (group-level `maalgrupper`): its target is then the sum of all lines.
- *Fuldtidspersoner* in [first, last] = Σ days a person is in any of the line's target
  groups within the period ÷ days in the period. A day counts once per person, however
  many periods (or listed target groups) cover it.
- *Default period* = year to date of the measurement month M, jobindsats style: 1 January
  up to the last day of the last whole month before M; for M = January that is the whole
  previous year. The target (a yearly average) is compared with the period's average.
- *Status*: lower is better for every group. Green when actual ≤ target; amber when it is
  above by at most `Tolerance.goal` (5 %) of the target (the rule of a schema row without a
  start value); red otherwise.
- *Money*: a project's yearly saving at full effect = −Σ_group effect × price (an increase
  in one group costs). The effect is phased in linearly over `indfasning` months from the
  project's first month (month j gives min(1, j/indfasning) of it) and lasts for the rest
  of the calculation period. Costs run `udgift_pr_aar`/12 a month for the project's cost
  months. Break-even = the first month where the accumulated saving is positive and at
  least the accumulated cost.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

import numpy as np
import pandas as pd

from xlstatus.kerne.errors import ExtractError, Problems, TemplateError
from xlstatus.kerne.model import MAALGRUPPER, Extract
from xlstatus.kerne.noegler import spaced_key
from xlstatus.kerne.status import Status, Tolerance, classify
from xlstatus.kerne.tid import add_months, month_index, month_start, parse_month

LINE_TYPES = ("basis", "investering", "budgetforlig", "øvrig")
ADJUSTMENTS = ("investering", "budgetforlig")
TOTAL_LABEL = "I alt"
EPS = 1e-6  # sums of fuldtidspersoner or kroner closer than this are equal

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Line:
    """One line of a group: a number of fuldtidspersoner and what it is."""

    tekst: str
    type: str
    fuldtidspersoner: float
    projekt: str | None = None  # investment lines only
    maalgrupper: tuple[str, ...] = ()  # target-group codes this line is measured on
    maal_for: str | None = None  # text of the measured line it adjusts ('' = none)
    line: int = 0  # line in the template file, or row on the sheet


@dataclass(frozen=True)
class Group:
    """A block of lines with its printed (typed) total."""

    navn: str
    linjer: tuple[Line, ...]
    total_tekst: str = TOTAL_LABEL
    total: float | None = None  # the typed/printed total; None = not given
    maalgrupper: tuple[str, ...] = ()  # measured as a whole on these target groups
    line: int = 0

    @property
    def sum(self) -> float:
        """The sum of the group's lines."""
        return math.fsum(x.fuldtidspersoner for x in self.linjer)

    @property
    def afviger(self) -> bool:
        """True when a typed total is given and differs from the sum of the lines."""
        return self.total is not None and abs(self.total - self.sum) > EPS


@dataclass(frozen=True)
class Udgift:
    """A project's investment cost: kr. per year, from `start` for `maaneder` months."""

    projekt: str
    udgift_pr_aar: float
    start: date | None = None  # None: the calculation's first month
    maaneder: int | None = None  # None: the whole calculation period


@dataclass(frozen=True)
class Oekonomi:
    """Prices and costs (the user's to set) and the calculation period."""

    priser: Mapping[str, float] = field(default_factory=dict)  # group -> kr./fuldtidsperson/år
    udgifter: tuple[Udgift, ...] = ()
    start: date = date(2024, 1, 1)
    maaneder: int = 36
    indfasning: int = 12
    pladsholder: bool = True  # True while the figures are the template's placeholders
    kilde: str = ""

    def pris(self, gruppe: str) -> float:
        return float(self.priser.get(gruppe, 0.0))


@dataclass(frozen=True)
class Maaltal:
    """The whole table."""

    titel: str
    grupper: tuple[Group, ...]
    oekonomi: Oekonomi = field(default_factory=Oekonomi)
    enhed: str = "Antal fuldtidspersoner"
    noter: tuple[str, ...] = ()

    def gruppe(self, name: str) -> Group:
        """The group whose name matches (ignoring case, spaces and the kind of dash)."""
        key = spaced_key(name)
        for g in self.grupper:
            if spaced_key(g.navn) == key:
                return g
        known = ", ".join(g.navn for g in self.grupper)
        raise KeyError(f"Måltal har ingen gruppe '{name}' (kendte grupper: {known})")

    @property
    def projekter(self) -> list[str]:
        """Projects: those with costs (in that order), then those with investment lines."""
        out = [u.projekt for u in self.oekonomi.udgifter]
        for g in self.grupper:
            for x in g.linjer:
                if x.type == "investering" and x.projekt and x.projekt not in out:
                    out.append(x.projekt)
        return out


# --------------------------------------------------------------------------- template

TOP_KEYS = {"titel", "enhed", "noter", "gruppe", "oekonomi"}
GROUP_KEYS = {"navn", "total_tekst", "total", "maalgrupper", "linje"}
LINE_KEYS = {"tekst", "type", "projekt", "fuldtidspersoner", "maalgrupper", "maal_for"}
ECONOMY_KEYS = {
    "pladsholder",
    "start",
    "maaneder",
    "indfasning_maaneder",
    "kilde",
    "priser",
    "projekt",
}
COST_KEYS = {"projekt", "udgift_pr_aar", "start", "maaneder"}


@dataclass
class _Report:
    """The problems of one template file or sheet, one short call each."""

    file: str
    problems: Problems = field(default_factory=Problems)

    def __call__(
        self,
        message: str,
        row: int | None = None,
        column: str = "",
        value: object = None,
        expected: str = "",
    ) -> None:
        self.problems.error(
            message, file=self.file, row=row or None, column=column, value=value, expected=expected
        )

    def unknown(self, raw: dict, known: set[str], row: int | None = None, prefix: str = ""):
        """An error for every field of a template table that is not one of `known`."""
        for key in raw:
            if key not in known:
                self("ukendt felt", row, prefix + key, key, "et af: " + ", ".join(sorted(known)))

    def number(
        self, value: object, row: int | None, column: str, message: str, default: float | None = 0.0
    ) -> float | None:
        """A number field's value, or `default` after reporting it."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self(message, row, column, value, "tal")
        return default

    def whole(
        self,
        value: object,
        row: int | None,
        column: str,
        message: str,
        expected: str,
        default: int | None,
    ) -> int | None:
        """A whole-number field's value, or `default` after reporting it."""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self(message, row, column, value, expected)
        return default


def _header_lines(text: str, header: str) -> list[int]:
    """1-based line numbers of every `[[header]]` in a TOML text."""
    pattern = re.compile(r"\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def parse_maaltal(text: str, file: str = "maaltal.toml") -> Maaltal:
    """The Måltal template from its TOML text; every problem in it is a TemplateError.

    Each problem names the file, the line of the [[gruppe]] / [[gruppe.linje]] /
    [[oekonomi.projekt]] it is in, and the field."""
    report = _Report(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        report(f"ugyldig TOML: {exc}", expected="gyldig TOML")
        report.problems.raise_if_errors(f"Skabelonen {file} kan ikke læses", TemplateError)
        raise AssertionError from exc  # unreachable
    report.unknown(data, TOP_KEYS)
    groups = _parse_groups(data.get("gruppe", []), text, report)
    oekonomi = _parse_economy(data.get("oekonomi", {}), text, report)
    for name in [g.navn for g in groups if g.navn and g.navn not in oekonomi.priser]:
        report(
            f"gruppen '{name}' har ingen pris",
            column="oekonomi.priser",
            expected="kr. pr. fuldtidsperson pr. år for hver gruppe",
        )
    noter = data.get("noter", [])
    m = Maaltal(
        titel=str(data.get("titel", "Måltal")),
        grupper=tuple(groups),
        oekonomi=oekonomi,
        enhed=str(data.get("enhed", "Antal fuldtidspersoner")),
        noter=tuple(str(n) for n in ([noter] if isinstance(noter, str) else noter)),
    )
    report.problems.extend(validate_maaltal(m, file))
    report.problems.raise_if_errors(f"Skabelonen {file} har fejl", TemplateError)
    return m


def _parse_groups(raw_groups: list[dict], text: str, report: _Report) -> list[Group]:
    group_rows = _header_lines(text, "gruppe")
    line_rows = iter(_header_lines(text, "gruppe.linje"))
    groups: list[Group] = []
    for i, raw in enumerate(raw_groups):
        row = group_rows[i] if i < len(group_rows) else 0
        report.unknown(raw, GROUP_KEYS, row)
        lines = tuple(_parse_line(x, next(line_rows, 0), report) for x in raw.get("linje", []))
        if not raw.get("navn"):
            report("gruppen mangler et navn", row, "navn", expected="udfyldt")
        total = raw.get("total")
        if total is not None:
            total = report.number(total, row, "total", "totalen skal være et tal", None)
        codes = _parse_codes(raw.get("maalgrupper", ()), row, report)
        name, total_text = str(raw.get("navn", "")), str(raw.get("total_tekst", TOTAL_LABEL))
        groups.append(Group(name, lines, total_text, total, codes, row))
    if not groups:
        report("skabelonen har ingen grupper", column="gruppe", expected="mindst én [[gruppe]]")
    return groups


def _parse_codes(value: object, row: int, report: _Report) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        report("skal være en liste af målgrupper", row, "maalgrupper", value, '["Sygedagpenge", …]')
        return ()
    return tuple(str(v) for v in value)


def _parse_line(raw: dict, row: int, report: _Report) -> Line:
    report.unknown(raw, LINE_KEYS, row)
    value = report.number(
        raw.get("fuldtidspersoner"),
        row,
        "fuldtidspersoner",
        "antal fuldtidspersoner skal være et tal",
    )
    projekt, maal_for = raw.get("projekt"), raw.get("maal_for")
    return Line(
        tekst=str(raw.get("tekst", "")),
        type=str(raw.get("type", "")),
        fuldtidspersoner=value or 0.0,
        projekt=None if projekt in (None, "") else str(projekt),
        maalgrupper=_parse_codes(raw.get("maalgrupper", ()), row, report),
        maal_for=None if maal_for is None else str(maal_for),
        line=row,
    )


def _parse_month_field(value: object, row: int | None, column: str, report: _Report) -> date | None:
    if isinstance(value, date):
        return month_start(value)
    try:
        return parse_month(str(value))
    except ValueError:
        report("ugyldig måned", row, column, value, "ÅÅÅÅ-MM")
        return None


def _parse_economy(raw: dict, text: str, report: _Report) -> Oekonomi:
    report.unknown(raw, ECONOMY_KEYS, prefix="oekonomi.")
    priser: dict[str, float] = {}
    for name, price in raw.get("priser", {}).items():
        message = "prisen skal være et tal (kr. pr. fuldtidsperson pr. år)"
        value = report.number(price, None, f"oekonomi.priser.{name}", message, None)
        if value is not None:
            priser[name] = value
    rows = _header_lines(text, "oekonomi.projekt")
    costs = tuple(
        _parse_cost(c, rows[i] if i < len(rows) else 0, report)
        for i, c in enumerate(raw.get("projekt", []))
    )
    start = _parse_month_field(raw.get("start", "2024-01"), None, "oekonomi.start", report)
    months, ramp = (
        report.whole(
            raw.get(key, default),
            None,
            f"oekonomi.{key}",
            "skal være et helt tal",
            "helt tal",
            default,
        )
        for key, default in (("maaneder", 36), ("indfasning_maaneder", 12))
    )
    pladsholder = raw.get("pladsholder", True)
    if not isinstance(pladsholder, bool):
        report(
            "skal være true eller false", None, "oekonomi.pladsholder", pladsholder, "true/false"
        )
        pladsholder = True
    return Oekonomi(
        priser,
        costs,
        start or date(2024, 1, 1),
        months or 0,
        ramp or 0,
        pladsholder,
        str(raw.get("kilde", "")),
    )


def _parse_cost(raw: dict, row: int, report: _Report) -> Udgift:
    """One [[oekonomi.projekt]]: a project's investment cost."""
    report.unknown(raw, COST_KEYS, row)
    kr = report.number(
        raw.get("udgift_pr_aar", 0), row, "udgift_pr_aar", "udgiften skal være et tal (kr. pr. år)"
    )
    months = raw.get("maaneder")
    if months is not None:
        months = report.whole(
            months, row, "maaneder", "antal måneder skal være et helt tal", "helt tal ≥ 1", None
        )
    start = raw.get("start")
    if start is not None:
        start = _parse_month_field(start, row, "start", report)
    return Udgift(str(raw.get("projekt", "")), kr or 0.0, start, months)


def validate_maaltal(m: Maaltal, file: str) -> Problems:
    """Rules across fields, for the template and for a Måltal sheet a person edited.

    Problems name `file` (template file or sheet) and the line's `line` (file line or
    sheet row)."""
    report = _Report(file)
    seen: set[str] = set()
    used: dict[str, str] = {}  # maalgruppe code -> where it is measured
    for g in m.grupper:
        if spaced_key(g.navn) in seen:
            report("gruppen findes to gange", g.line, "navn", g.navn, "forskellige gruppenavne")
        seen.add(spaced_key(g.navn))
        _check_group(g, used, report)
    _check_economy(m, report)
    return report.problems


def _measure(
    codes: tuple[str, ...], row: int, where: str, used: dict[str, str], report: _Report
) -> None:
    """Each target group is known and measured in one place only."""
    for code in codes:
        if code not in MAALGRUPPER:
            report("ukendt målgruppe", row, "maalgrupper", code, "en af: " + ", ".join(MAALGRUPPER))
        elif code in used:
            report(
                f"målgruppen måles allerede på '{used[code]}'",
                row,
                "maalgrupper",
                code,
                "hver målgruppe højst ét sted",
            )
        else:
            used[code] = where


def _check_group(g: Group, used: dict[str, str], report: _Report) -> None:
    measured = {x.tekst for x in g.linjer if x.maalgrupper}
    if g.maalgrupper:
        _measure(g.maalgrupper, g.line, g.navn, used, report)
        if measured:
            report(
                "gruppen måles samlet, men har også målte linjer",
                g.line,
                "maalgrupper",
                g.navn,
                "målgrupper på gruppen eller på linjerne, ikke begge",
            )
    texts: set[str] = set()
    for x in g.linjer:
        if not x.tekst:
            report("linjen mangler en tekst", x.line, "tekst", expected="udfyldt")
        elif x.tekst in texts:
            report(
                f"linjen findes to gange i gruppen '{g.navn}'",
                x.line,
                "tekst",
                x.tekst,
                "forskellige tekster inden for en gruppe",
            )
        texts.add(x.tekst)
        _check_line(x, g.navn, measured, used, report)


def _check_line(
    x: Line, gruppe: str, measured: set[str], used: dict[str, str], report: _Report
) -> None:
    if x.type not in LINE_TYPES:
        report("ukendt linjetype", x.line, "type", x.type, "en af: " + ", ".join(LINE_TYPES))
    if x.type == "investering" and not x.projekt:
        report(
            "en investeringslinje skal have et projekt",
            x.line,
            "projekt",
            expected="projektets navn",
        )
    if x.projekt and x.type != "investering":
        report(
            "kun investeringslinjer har et projekt",
            x.line,
            "projekt",
            x.projekt,
            "tomt felt eller type = investering",
        )
    if x.maalgrupper:
        _measure(x.maalgrupper, x.line, f"{gruppe}: {x.tekst}", used, report)
        if x.maal_for:
            report(
                "en målt linje kan ikke justere et andet mål",
                x.line,
                "maal_for",
                x.maal_for,
                "tomt felt",
            )
    elif x.maal_for and x.maal_for not in measured:
        report(
            "ingen målt linje med den tekst i gruppen",
            x.line,
            "maal_for",
            x.maal_for,
            "en af: " + (", ".join(sorted(measured)) or "(ingen målte linjer)"),
        )


def _check_economy(m: Maaltal, report: _Report) -> None:
    o = m.oekonomi
    names = [g.navn for g in m.grupper]
    for name in o.priser:
        if name not in names:
            report(
                "prisen hører ikke til nogen gruppe",
                None,
                "priser",
                name,
                "en af: " + ", ".join(names),
            )
    for name, price in o.priser.items():
        if price < 0:
            report(f"prisen for '{name}' er negativ", None, "priser", price, "tal ≥ 0")
    seen: set[str] = set()
    for u in o.udgifter:
        if not u.projekt:
            report("en udgift mangler sit projekt", None, "projekt", expected="projektets navn")
        elif u.projekt in seen:
            report("projektet har to udgiftslinjer", None, "projekt", u.projekt, "én pr. projekt")
        seen.add(u.projekt)
        if u.udgift_pr_aar < 0:
            report(
                f"udgiften for '{u.projekt}' er negativ",
                None,
                "udgift_pr_aar",
                u.udgift_pr_aar,
                "kr. ≥ 0",
            )
        if u.maaneder is not None and u.maaneder < 1:
            report(
                f"antal måneder for '{u.projekt}' skal være mindst 1",
                None,
                "maaneder",
                u.maaneder,
                "helt tal ≥ 1",
            )
    if o.maaneder < 1 or o.maaneder > 240:
        report("beregningsperioden skal være 1-240 måneder", None, "maaneder", o.maaneder, "1-240")
    if o.indfasning < 0:
        report(
            "indfasningen kan ikke være negativ", None, "indfasning_maaneder", o.indfasning, "≥ 0"
        )


# --------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class Mismatch:
    """A group whose typed total differs from the sum of its lines."""

    gruppe: str
    total_tekst: str
    indtastet: float
    sum: float

    @property
    def forskel(self) -> float:
        return self.indtastet - self.sum


def group_totals(m: Maaltal) -> dict[str, float]:
    """Group name -> the sum of its lines (the total the sheet's formula shows)."""
    return {g.navn: g.sum for g in m.grupper}


def group_total(m: Maaltal, gruppe: str) -> float:
    """The sum of one group's lines (matched ignoring case, spaces and dashes)."""
    return m.gruppe(gruppe).sum


def typed_total_mismatches(m: Maaltal) -> list[Mismatch]:
    """The groups whose typed total is given and differs from the sum of their lines."""
    return [
        Mismatch(g.navn, g.total_tekst, g.total, g.sum)  # type: ignore[arg-type]
        for g in m.grupper
        if g.afviger
    ]


def project_matrix(m: Maaltal) -> pd.DataFrame:
    """Projects × groups of the investment lines, with an 'I alt' row and column.

    Rows are the projects that have investment lines (in `Maaltal.projekter` order),
    columns every group in table order."""
    names = [g.navn for g in m.grupper]
    with_lines = {x.projekt for g in m.grupper for x in g.linjer if x.type == "investering"}
    projects = [p for p in m.projekter if p in with_lines]
    data = np.zeros((len(projects), len(names)))
    for j, g in enumerate(m.grupper):
        for x in g.linjer:
            if x.type == "investering" and x.projekt:
                data[projects.index(x.projekt), j] += x.fuldtidspersoner
    matrix = pd.DataFrame(data, index=pd.Index(projects, name="projekt"), columns=names)
    matrix[TOTAL_LABEL] = matrix.sum(axis=1)
    matrix.loc[TOTAL_LABEL] = matrix.sum(axis=0)
    return matrix


def project_effect(m: Maaltal, projekt: str) -> float:
    """A project's expected effect in fuldtidspersoner: the sum of its investment lines."""
    key = spaced_key(projekt)
    lines = [
        x
        for g in m.grupper
        for x in g.linjer
        if x.type == "investering" and spaced_key(x.projekt) == key
    ]
    if not lines and key not in {spaced_key(p) for p in m.projekter}:
        raise KeyError(
            f"Måltal har intet projekt '{projekt}' (kendte projekter: {', '.join(m.projekter)})"
        )
    return math.fsum(x.fuldtidspersoner for x in lines)


# --------------------------------------------------------------------------- measured lines


@dataclass(frozen=True)
class Maalepunkt:
    """A line (or a whole group) measured against the extract, with its target lines."""

    gruppe: str
    tekst: str
    maalgrupper: tuple[str, ...]
    linjer: tuple[Line, ...]  # the lines whose sum is the target
    samlet: bool = False  # the whole group is measured

    @property
    def maal(self) -> float:
        return math.fsum(x.fuldtidspersoner for x in self.linjer)


def maalepunkter(m: Maaltal) -> list[Maalepunkt]:
    """Every measured line (or group) in table order, with the lines of its target."""
    out: list[Maalepunkt] = []
    for g in m.grupper:
        if g.maalgrupper:
            out.append(Maalepunkt(g.navn, g.total_tekst, g.maalgrupper, g.linjer, True))
            continue
        parts: dict[str, list[Line]] = {x.tekst: [x] for x in g.linjer if x.maalgrupper}
        current: str | None = None
        for x in g.linjer:
            if x.maalgrupper:
                current = x.tekst
            elif x.maal_for:
                if x.maal_for in parts:
                    parts[x.maal_for].append(x)
            elif x.maal_for is None and x.type in ADJUSTMENTS and current:
                parts[current].append(x)
        for x in g.linjer:
            if x.maalgrupper:
                ordered = tuple(y for y in g.linjer if any(y is z for z in parts[x.tekst]))
                out.append(Maalepunkt(g.navn, x.tekst, x.maalgrupper, ordered))
    return out


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Periode:
    """A period of whole days, first and last day included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"perioden slutter ({self.last:%d-%m-%Y}) før den begynder ({self.first:%d-%m-%Y})"
            )

    @property
    def dage(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        return f"{self.first:%d-%m-%Y} – {self.last:%d-%m-%Y}"


def default_period(month: date) -> Periode:
    """Year to date of measurement month M: 1 January to the end of the month before M.

    For M = January this is the whole previous year."""
    last = month_start(month) - timedelta(days=1)
    return Periode(date(last.year, 1, 1), last)


def parse_period(text: str) -> Periode:
    """'2025-01:2025-03' -> 1 Jan 2025 … 31 Mar 2025; '2025-03' -> March 2025."""
    parts = [p for p in re.split(r"\s*(?::|\.\.|–|/)\s*", text.strip()) if p]
    if len(parts) not in (1, 2):
        raise ValueError(f"'{text}' er ikke en periode på formen ÅÅÅÅ-MM:ÅÅÅÅ-MM")
    first = parse_month(parts[0])
    last = add_months(parse_month(parts[-1]), 1) - timedelta(days=1)
    return Periode(first, last)


# --------------------------------------------------------------------------- fuldtidspersoner


def fuldtidspersoner(
    forloeb: pd.DataFrame, maalgrupper: Sequence[str], first: date, last: date
) -> float:
    """Σ days each person is in any of `maalgrupper` within [first, last] ÷ days in it.

    Periods are clipped at the period's edges (an empty `slutdato` = still in the group);
    a day covered by several periods of one person counts once. Vectorised."""
    days = (last - first).days + 1
    if days <= 0:
        raise ValueError("perioden skal have mindst én dag")
    f = forloeb[forloeb["maalgruppe"].isin(list(maalgrupper))]
    if f.empty:
        return 0.0
    lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
    start = pd.to_datetime(f["startdato"]).to_numpy(dtype="datetime64[D]")
    end = pd.to_datetime(f["slutdato"]).to_numpy(dtype="datetime64[D]")
    end = np.where(np.isnat(end), hi, np.minimum(end, hi))
    start = np.maximum(start, lo)
    keep = ~np.isnat(start) & (start <= end)
    if not keep.any():
        return 0.0
    spans = pd.DataFrame(
        {
            "cpr": f["cpr"].to_numpy()[keep],
            "s": start[keep].astype("int64"),
            "e": end[keep].astype("int64"),
        }
    ).sort_values(["cpr", "s"], kind="stable", ignore_index=True)
    reach = spans.groupby("cpr", sort=False)["e"].cummax()
    before = reach.groupby(spans["cpr"], sort=False).shift()
    block = (before.isna() | (spans["s"] > before)).cumsum()
    merged = spans.groupby(block).agg(s=("s", "min"), e=("e", "max"))
    return float((merged["e"] - merged["s"] + 1).sum()) / days


def _forloeb_of(extract: Extract | pd.DataFrame) -> pd.DataFrame:
    if isinstance(extract, pd.DataFrame):
        return extract
    if "forloeb" not in extract.present:
        problems = Problems()
        problems.error(
            "tabellen 'forloeb' mangler i udtrækket, men bruges af Måltal "
            "(faktiske fuldtidspersoner)",
            file=extract.location,
            expected="forloeb.csv eller et ark med navnet forloeb",
        )
        problems.raise_if_errors("Udtrækket mangler tabeller", ExtractError)
    return extract.forloeb


@dataclass(frozen=True)
class Faktisk:
    """Actual fuldtidspersoner of a measured line in a period, against its target."""

    punkt: Maalepunkt
    periode: Periode
    faktisk: float
    tolerance: float
    status: Status

    @property
    def maal(self) -> float:
        return self.punkt.maal

    @property
    def forskel(self) -> float:
        """Actual minus target: above zero is worse (lower is better)."""
        return self.faktisk - self.maal


def actual_vs_target(
    extract: Extract | pd.DataFrame,
    maaltal: Maaltal,
    period: Periode,
    tolerance: Tolerance = Tolerance(),
) -> list[Faktisk]:
    """Actual fuldtidspersoner per measured line in `period` against its target.

    `extract` is an Extract (its `forloeb` table is used; missing is an ExtractError)
    or the forloeb DataFrame itself."""
    forloeb = _forloeb_of(extract)
    out = []
    for p in maalepunkter(maaltal):
        value = fuldtidspersoner(forloeb, p.maalgrupper, period.first, period.last)
        band = tolerance.goal * abs(p.maal)
        out.append(Faktisk(p, period, value, band, classify(value, p.maal, band, "lavere")))
    return out


def actual_fuldtidspersoner(
    extract: Extract | pd.DataFrame, maaltal: Maaltal | None, name: str, period: Periode
) -> float:
    """Actual fuldtidspersoner for `name` in `period`: a measured line's text, a group's
    name (all its measured target groups together) or a target-group code."""
    forloeb = _forloeb_of(extract)
    key = spaced_key(name)
    codes: tuple[str, ...] = ()
    for code in MAALGRUPPER:
        if spaced_key(code) == key:
            codes = (code,)
    if not codes and maaltal is not None:
        points = maalepunkter(maaltal)
        lines = [p for p in points if spaced_key(p.tekst) == key and not p.samlet]
        groups = [p for p in points if spaced_key(p.gruppe) == key]
        chosen = lines or groups
        codes = tuple(c for p in chosen for c in p.maalgrupper)
    if not codes:
        raise KeyError(
            f"'{name}' er hverken en målt linje, en gruppe i Måltal eller en målgruppe i udtrækket"
        )
    return fuldtidspersoner(forloeb, codes, period.first, period.last)


# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class ProjektOekonomi:
    """A project's (or the total's) expected saving against its cost, month by month."""

    projekt: str
    effekt: Mapping[str, float]  # group -> fuldtidspersoner
    aarlig_besparelse: float  # kr. per year at full effect
    udgift_pr_aar: float
    maaneder: tuple[date, ...]
    besparelse: tuple[float, ...]  # kr. per month
    udgift: tuple[float, ...]  # kr. per month

    @property
    def effekt_i_alt(self) -> float:
        return math.fsum(self.effekt.values())

    @property
    def akk_besparelse(self) -> list[float]:
        return list(accumulate(self.besparelse))

    @property
    def akk_udgift(self) -> list[float]:
        return list(accumulate(self.udgift))

    @property
    def besparelse_i_alt(self) -> float:
        return math.fsum(self.besparelse)

    @property
    def udgift_i_alt(self) -> float:
        return math.fsum(self.udgift)

    @property
    def nettoprovenu(self) -> float:
        """Saving minus cost over the calculation period ('investeringsprovenu')."""
        return self.besparelse_i_alt - self.udgift_i_alt

    @property
    def tjent_ind(self) -> date | None:
        """The break-even month, or None when it is not reached in the period."""
        return break_even(self.maaneder, self.akk_besparelse, self.akk_udgift)


@dataclass(frozen=True)
class Besparelser:
    projekter: tuple[ProjektOekonomi, ...]
    total: ProjektOekonomi
    maaneder: tuple[date, ...]
    indfasning: int


def break_even(
    months: Sequence[date], acc_saving: Sequence[float], acc_cost: Sequence[float]
) -> date | None:
    """First month where the accumulated saving is positive and ≥ the accumulated cost."""
    for m, s, c in zip(months, acc_saving, acc_cost, strict=True):
        if s > 0 and s - c >= -EPS:
            return m
    return None


def ramp_factor(j: int, indfasning: int) -> float:
    """Share of the full effect in the project's month j (1 = its first month)."""
    if j < 1:
        return 0.0
    return min(1.0, j / max(indfasning, 1))


def savings(
    maaltal: Maaltal,
    prices: Mapping[str, float] | None = None,
    costs: Sequence[Udgift] | None = None,
    start: date | None = None,
    months: int | None = None,
    ramp: int | None = None,
) -> Besparelser:
    """Expected saving per project per month against its cost (see the module docstring).

    Prices, costs, the first month, the number of months and the phasing-in default to
    `maaltal.oekonomi`."""
    o = maaltal.oekonomi
    prices = o.priser if prices is None else prices
    costs = o.udgifter if costs is None else tuple(costs)
    first = month_start(start or o.start)
    n = o.maaneder if months is None else months
    indfasning = o.indfasning if ramp is None else ramp
    horizon = tuple(add_months(first, k) for k in range(n))
    matrix = project_matrix(maaltal)
    names = [g.navn for g in maaltal.grupper]
    projects = list(maaltal.projekter)
    for u in costs:
        if u.projekt not in projects:
            projects.append(u.projekt)
    by_project = {u.projekt: u for u in costs}
    out = []
    for p in projects:
        effekt = {g: float(matrix.at[p, g]) if p in matrix.index else 0.0 for g in names}
        annual = -sum(effekt[g] * float(prices.get(g, 0.0)) for g in names)
        u = by_project.get(p)
        kr = u.udgift_pr_aar if u else 0.0
        p_start = month_start(u.start) if u and u.start else first
        cost_months = u.maaneder if u and u.maaneder is not None else n
        saving, cost = [], []
        for m in horizon:
            j = month_index(m) - month_index(p_start) + 1
            saving.append(annual / 12 * ramp_factor(j, indfasning) if j >= 1 else 0.0)
            cost.append(kr / 12 if 1 <= j <= cost_months else 0.0)
        out.append(ProjektOekonomi(p, effekt, annual, kr, horizon, tuple(saving), tuple(cost)))
    total = ProjektOekonomi(
        TOTAL_LABEL,
        {g: math.fsum(x.effekt[g] for x in out) for g in names},
        math.fsum(x.aarlig_besparelse for x in out),
        math.fsum(x.udgift_pr_aar for x in out),
        horizon,
        tuple(math.fsum(x.besparelse[k] for x in out) for k in range(n)),
        tuple(math.fsum(x.udgift[k] for x in out) for k in range(n)),
    )
    return Besparelser(tuple(out), total, horizon, indfasning)
