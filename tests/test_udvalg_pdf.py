"""The committee PDF (issue 19): PDF/UA-1 typeset from the copy's model, not from the .xlsx.

A copy typed by hand from seed-style content (the five schemas' rows, status cells, a
suppressed ".", a typed "*", section rows, a Måltal table long enough to break across pages,
charts, a chart with every value suppressed, the legend grid of "Om tallene") is rendered
once; the tests read the PDF back: pdfinfo and pdftotext (poppler), the structure tree
(pikepdf), two PDF/UA-1 checkers from PyPI (pdfua, outloud) and every page as PNG
(pdftoppm). The demo's copy (the udvalg builder, `kopi.model_of`) goes through the same
checkers.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pikepdf
import pytest

from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT
from xlstatus.udvalg import pdf as pdfmod
from xlstatus.udvalg.model import (
    HEADER_FILL,
    STATUS_FILL,
    STATUS_FONT,
    TYPED_FOOTNOTE,
    Cell,
    Chart,
    CommitteeCopy,
    Heading,
    Page,
    Paragraph,
    Series,
    Table,
)
from xlstatus.udvalg.svg import (
    ACTUAL_COLOUR,
    AXIS_COLOUR,
    OTHER_COLOUR,
    TARGET_COLOUR,
    alt_text,
    chart_svg,
)

EMPTY = "Alle værdier er under 5 personer og vises ikke (diskretion)."
MONTHS = ["jul-25", "aug-25", "sep-25", "okt-25", "nov-25", "dec-25", "jan-26"]
SYMBOL = STATUS_SYMBOL


# --- a copy typed from the seeds --------------------------------------------------------


def head(text: str, align: str = "center") -> Cell:
    return Cell(text, header=True, bold=True, fill=HEADER_FILL, align=align)  # type: ignore[arg-type]


def num(text: str, status: str | None = None, **kw: object) -> Cell:
    shown = f"{SYMBOL[status]} {text}" if status else text
    return Cell(shown, status=status, align="center", **kw)  # type: ignore[arg-type]


def schema_table(title: str, rows: list[tuple[str, list[str], list[str | None]]]) -> Table:
    header = [
        head(f"Statusskema {title}", "left"),
        head("Startmåling 10-01-2024"),
        *[head(m) for m in MONTHS],
        head("Mindste mål jan-26"),
    ]
    body: list[list[Cell]] = []
    for label, values, statuses in rows:
        if not values:  # a section row: only its label
            body.append([Cell(label, bold=True, colspan=len(header))])
            continue
        cells = [Cell(label)]
        for i, (v, st) in enumerate(zip(values, statuses, strict=True)):
            typed = v.endswith("*")
            cells.append(num(v, st, suppressed=v == ".", typed=typed) if i else num(v))
        body.append(cells)
    return Table([header], body, row_header_cols=1, col_widths=[34, 9, *[7] * 7, 8], name=title)


KLAR = [
    (
        "Antal a-dagpengemodtagere i alt (personer)",
        ["644", "632", "629", "624", "641", "642", "647", "650", "600"],
        [None, "roed", "roed", "roed", "roed", "roed", "roed", "roed", None],
    ),
    (
        "Antal a-dagpengemodtagere med kontaktforløb i jobcentret (personer)",
        ["435", "393", "376", "366", "375", "372", "380", "381", "400"],
        [None, "groen", "groen", "groen", "groen", "groen", "groen", "groen", None],
    ),
    (
        "Andel afsluttet til job (pct.)",
        ["55 pct.", "58 pct.", "57 pct.", "60 pct.", "61 pct.", ".", ".", "62 pct.*", "65 pct."],
        [None, "gul", "gul", "groen", "groen", None, None, "groen", None],
    ),
]
FLERE = [
    ("Målgruppeantal", [], []),
    (
        "Aktivitetsparate kontanthjælpsmodtagere",
        ["103", "107", "109", "108", "106", "104", "109", "106", "92"],
        [None, "roed", "roed", "roed", "roed", "roed", "roed", "roed", None],
    ),
    (
        "Borgere i ressourceforløb",
        ["74", "71", "71", "73", "71", "74", "77", "74", "62"],
        [None, "roed", "roed", "roed", "roed", "roed", "roed", "roed", None],
    ),
    ("Antal/andel med løntimer - pr målgruppe", [], []),
    (
        "Ressourceforløb - alle",
        [".", "5 (7 pct.)", ".", "5 (7 pct.)", ".", "6 (8 pct.)", ".", "5 (7 pct.)", "7 pct."],
        [None, "groen", None, "groen", None, "groen", None, "gul", None],
    ),
]


def chart(title: str, unit: str, actual: list[float | None], statuses: list) -> Chart:
    cats = ["Start", *MONTHS]
    expected = [actual[0], *[round(actual[0] * (1 - 0.01 * i), 1) for i in range(1, len(cats))]]
    milestones = [None] * (len(cats) - 1) + [expected[-1]]
    series = [
        Series("Faktisk", actual, "actual", statuses),
        Series("Forventet", expected, "target"),  # type: ignore[arg-type]
        Series("Mindste mål", milestones, "other"),  # type: ignore[arg-type]
    ]
    return Chart(title, unit, "bar", cats, series, lower_is_better=True)


def maaltal_table(rows: int) -> Table:
    header = [head(t) for t in ("Gruppe", "Linje", "Type", "Antal fuldtidspersoner", "Kontrol")]
    body = []
    for i in range(rows):
        if i % 10 == 0:
            body.append([Cell(f"Gruppe {i // 10 + 1}", bold=True, colspan=5)])
        label = (
            f"Linje {i:02d} sygedagpenge og jobafklaring, basis og effekt, lang tekst slut{i:02d}"
        )
        body.append([Cell(label), Cell(f"L{i}"), Cell("basis"), num(str(600 + i)), num("ok")])
    return Table([header], body, row_header_cols=1, col_widths=[14, 8, 8, 10, 8], name="Måltal")


def seed_copy() -> CommitteeCopy:
    right = "Måling jan-26 · data pr. 31-01-2026"
    legend = Table(
        [],
        [[num("På sporet", "groen"), num("Lidt bagud", "gul"), num("Bagud", "roed")]],
        row_header_cols=0,
        caption="Forklaring af farver og symboler",
    )
    klar_charts = [
        chart(
            "Antal a-dagpengemodtagere i alt",
            "personer",
            [644, 632, 629, 624, 641, 642, 647, 650],
            [None, *["roed"] * 7],
        ),
        chart(
            "Andel afsluttet til job",
            "pct.",
            [55, 58, 57, 60, 61, None, None, 62],
            [None, "gul", "gul", "groen", "groen", None, None, "groen"],
        ),
        Chart(
            "Antal med virksomhedspraktik",
            "personer",
            "bar",
            ["Start", *MONTHS],
            [Series("Faktisk", [None] * 8)],
            empty_text=EMPTY,
        ),
    ]
    pages = [
        Page(
            "Klar, parat – i job – målrettet jobsøgningstilbud til a-dagpengemodtagere",
            "Klar, parat - i job",
            [
                Paragraph("Måling: jan-26 (status primo måneden, måledag 1).", "note"),
                schema_table("Klar, parat – i job", KLAR),
                Paragraph("Datakilder: Optælles via markeringer i fagsystemet FACIT.", "footnote"),
                Heading("Forklaring", 3),
                legend,
                Paragraph("Status: Flere borgere end forventet; vi følger op i februar.", "note"),
            ],
            header_right=right,
        ),
        Page(
            "Grafer – Klar, parat – i job",
            "Grafer – Klar, parat - i job",
            klar_charts,
            kind="grafer",
            header_right=right,
        ),
        Page(
            "Flere i job", "Flere i job", [schema_table("Flere i job", FLERE)], header_right=right
        ),
        Page(
            "Måltal. Investeringsprojekter i Udvalget for Beskæftigelse – 2024-2025",
            "Måltal",
            [Paragraph("Sum af linjer og kontrol regnes straks igen.", "note"), maaltal_table(48)],
            kind="maaltal",
            header_right=right,
        ),
        Page(
            "Statusskemaer for investeringsprojekterne – kopi til udvalget",
            "Om tallene",
            [
                Heading("Sådan læser du skemaerne", 2),
                Paragraph("Hver månedskolonne viser status primo måneden."),
                Table(
                    [],
                    [
                        [num("På sporet: værdien når det forventede niveau.", "groen")],
                        [num("Lidt bagud: værdien mangler højst tolerancen.", "gul")],
                        [num("Bagud: værdien mangler mere end tolerancen.", "roed")],
                    ],
                    row_header_cols=0,
                    caption="Farver og symboler",
                ),
                Heading("Diskretion", 2),
                Paragraph("Antal under 5 personer vises som '.'."),
            ],
            kind="om",
            header_right=right,
        ),
    ]
    return CommitteeCopy(
        "Statusskemaer – kopi til udvalget",
        "Hedensted",
        date(2026, 1, 1),
        "jan-26",
        pages,
        footnotes=[TYPED_FOOTNOTE],
        data_date=date(2026, 1, 31),
    )


# --- reading the PDF back ----------------------------------------------------------------


@pytest.fixture(scope="module")
def copy() -> CommitteeCopy:
    return seed_copy()


@pytest.fixture(scope="module")
def pdf_path(copy: CommitteeCopy, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "kopi.pdf"
    path.write_bytes(pdfmod.render_pdf(copy))
    return path


@pytest.fixture(scope="module")
def doc(pdf_path: Path) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(pdf_path) as pdf:
        yield pdf


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.stdout.splitlines())
    }


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return out.stdout.split("\f")[:-1]


def elements(node: object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element below node, in document order."""
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None  # type: ignore[union-attr]
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            yield kid
            yield from elements(kid)


def role(el: pikepdf.Dictionary) -> str:
    return str(el.get("/S"))


def children(el: pikepdf.Dictionary, name: str | None = None) -> list[pikepdf.Dictionary]:
    kids = el.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    out = [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    return [k for k in out if name is None or role(k) == name]


def all_elements(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return list(elements(doc.Root.StructTreeRoot))


# --- document level --------------------------------------------------------------------------


def test_pdfinfo_tagged_title_a4_landscape(pdf_path: Path, copy: CommitteeCopy):
    info = pdfinfo(pdf_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Statusskemaer – kopi til udvalget – januar 2026"
    assert info["Page size"].startswith("841.89 x 595.27")  # A4 landscape
    assert info["PDF version"] == "1.7"
    # five model pages: the Måltal table breaks once, the others fit one page each
    assert 6 <= int(info["Pages"]) <= 8


def test_language_title_and_pdfua_identification(doc: pikepdf.Pdf):
    assert str(doc.Root.Lang) == "da-DK"
    assert bool(doc.Root.ViewerPreferences.DisplayDocTitle) is True
    assert bool(doc.Root.MarkInfo.Marked) is True
    meta = doc.open_metadata()
    assert meta["dc:title"] == "Statusskemaer – kopi til udvalget – januar 2026"
    assert str(meta.get("pdfuaid:part")) == "1"


def test_no_annotations_no_links(doc: pikepdf.Pdf):
    assert all(len(page.obj.get("/Annots", [])) == 0 for page in doc.pages)
    assert not [e for e in all_elements(doc) if role(e) in ("/Link", "/Annot")]


def test_running_header_title_month_and_page_numbers(pdf_path: Path):
    texts = page_texts(pdf_path)
    n = len(texts)
    for i, text in enumerate(texts, start=1):
        top = text.strip().splitlines()[:3]
        assert "Statusskemaer – kopi til udvalget · Måling jan-26 · data pr. 31-01-2026" in top[0]
        assert f"Side {i} af {n}" in text


def test_running_header_is_a_pagination_artifact(doc: pikepdf.Pdf):
    """The header and the page number are outside the structure tree (ISO 14289-1 7.8)."""
    data = doc.pages[0].Contents.read_bytes()
    assert data.count(b"/Artifact <</Type /Pagination>> BDC") >= 3  # two header lines, a folio


# --- headings ----------------------------------------------------------------------------


def test_a_heading_per_page_and_section_without_jumps(doc: pikepdf.Pdf, copy: CommitteeCopy):
    headings = [int(role(e)[2]) for e in all_elements(doc) if re.fullmatch(r"/H[1-6]", role(e))]
    assert headings.count(1) == len(copy.pages)
    sections = sum(isinstance(b, Heading) for p in copy.pages for b in p.blocks)
    charts = sum(isinstance(b, Chart) for p in copy.pages for b in p.blocks)
    assert len(headings) == len(copy.pages) + sections + charts
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings))


def test_headings_carry_text(pdf_path: Path, copy: CommitteeCopy):
    text = "\n".join(page_texts(pdf_path))
    for page in copy.pages:
        assert page.title.split(" – ")[0] in text
    assert "Forklaring" in text and "Sådan læser du skemaerne" in text


# --- tables --------------------------------------------------------------------------------


def tables(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [e for e in all_elements(doc) if role(e) == "/Table"]


def test_tables_have_header_cells_with_scope(doc: pikepdf.Pdf):
    found = tables(doc)
    assert len(found) >= 4  # three schema/Måltal tables, the Måltal one on two pages
    for table in found:
        heads = children(table, "/THead")
        assert len(heads) == 1
        for th in (c for tr in children(heads[0], "/TR") for c in children(tr)):
            assert role(th) == "/TH" and th.A.Scope == "/Column"
        for tr in (tr for body in children(table, "/TBody") for tr in children(body, "/TR")):
            cells = children(tr)
            assert role(cells[0]) == "/TH" and cells[0].A.Scope == "/Row"
            assert all(role(c) == "/TD" and len(c.A.Headers) >= 1 for c in cells[1:])


def test_section_rows_are_a_row_header_and_a_data_cell(copy: CommitteeCopy):
    html = pdfmod.table_html(copy.pages[2].blocks[0])  # type: ignore[arg-type]
    row = next(r for r in html.split("<tr>") if "Målgruppeantal" in r)
    assert row.count("<th") == 1 and 'scope="row"' in row
    assert '<td class="venstre" colspan="9">' in row


def test_a_grid_without_headers_is_no_table(copy: CommitteeCopy, pdf_path: Path):
    html = pdfmod.copy_html(copy)
    assert html.count("<table ") == 3  # Klar, Flere, Måltal; not the two legend grids
    assert "Forklaring af farver og symboler" in "\n".join(page_texts(pdf_path))


def test_table_header_repeats_and_no_row_splits(pdf_path: Path):
    texts = page_texts(pdf_path)
    maaltal = [t for t in texts if "Linje " in t]
    assert len(maaltal) >= 2  # the 48 lines break across pages
    for text in maaltal:
        assert re.search(r"Gruppe\s+Linje\s+Type", text), "the header row is repeated"
    lines = [ln for t in maaltal for ln in t.splitlines() if "Linje 07 " in ln]
    assert lines and "slut07" not in lines[0], "a label wraps onto more than one line"
    for i in range(48):  # the first and the last line of every label on the same page
        starts = [n for n, t in enumerate(texts) if f"Linje {i:02d} " in t]
        ends = [n for n, t in enumerate(texts) if f"slut{i:02d}" in t]
        assert starts == ends and len(starts) == 1


def small_table(rows: int, label: str = "Kort") -> Table:
    header = [head(t) for t in ("Gruppe", "Mål", "Faktisk", "Status")]
    body = [[Cell(f"{label} {i}"), num("649"), num("670,5"), num("ok")] for i in range(rows)]
    return Table([header], body, row_header_cols=1, name="Faktisk mod mål")


@pytest.mark.parametrize("filler", [14, 16, 34])  # 14 and 34 would split it
def test_a_short_table_is_never_split_over_two_pages(filler: int, tmp_path: Path):
    """A table of six rows after a long one starts on a new page, with its heading, when
    it would otherwise be split (a page with its header and one row is noise, and outloud
    calls it shredded headers)."""
    page = Page("Måltal", "Måltal", [maaltal_table(filler), Heading("Faktisk", 2), small_table(6)])
    copy = CommitteeCopy("Statusskemaer", "Hedensted", date(2026, 1, 1), "jan-26", [page])
    out = tmp_path / "kort.pdf"
    out.write_bytes(pdfmod.render_pdf(copy))
    texts = page_texts(out)
    pages = {n for n, t in enumerate(texts) for i in range(6) if f"Kort {i}" in t}
    assert len(pages) == 1
    heading = [n for n, t in enumerate(texts) if re.search(r"^Faktisk$", t, re.M)]
    assert heading == list(pages)
    assert outloud_findings(out) == []


def test_a_long_table_never_starts_with_a_single_row_at_the_foot_of_a_page(tmp_path: Path):
    """Laid out once, this page leaves room for the long table's header and one row only
    (`bad_splits` finds it); the PDF lays it out again with that section on a new page."""
    blocks = [maaltal_table(12), small_table(40, "Fyld"), Heading("Lang", 2)]
    page = Page("Måltal", "Måltal", [*blocks, small_table(20, "Lang")])
    copy = CommitteeCopy("Statusskemaer", "Hedensted", date(2026, 1, 1), "jan-26", [page])
    css = pdfmod.weasyprint.CSS(string=pdfmod.stylesheet_text())
    first = pdfmod.weasyprint.HTML(string=pdfmod.copy_html(copy)).render(stylesheets=[css])
    assert pdfmod.bad_splits(first) == {1}
    out = tmp_path / "lang.pdf"
    out.write_bytes(pdfmod.render_pdf(copy))
    texts = page_texts(out)
    start = next(n for n, t in enumerate(texts) if "Lang 0" in t)
    assert re.search(r"^Lang$", texts[start], re.M) and "Lang 1" in texts[start]
    assert outloud_findings(out) == []


# --- figures ---------------------------------------------------------------------------------


def test_figures_have_the_charts_alternative_text(doc: pikepdf.Pdf, copy: CommitteeCopy):
    figures = [e for e in all_elements(doc) if role(e) == "/Figure"]
    drawn = [b for p in copy.pages for b in p.blocks if isinstance(b, Chart) and not b.empty_text]
    assert [str(f.Alt) for f in figures] == [alt_text(c) for c in drawn]
    assert "Seneste måling jan-26: 650 personer mod målet 598,9 personer." in str(figures[0].Alt)
    assert "Seneste måling jan-26: 62 pct. mod målet" in str(figures[1].Alt)


def test_an_empty_chart_is_a_sentence(pdf_path: Path):
    text = " ".join(" ".join(page_texts(pdf_path)).split())
    assert "Alle værdier er under 5 personer og vises ikke (diskretion)." in text


def test_alt_text_from_the_model_wins():
    c = Chart("T", "uger", "line", ["a"], [Series("Faktisk", [1.0])], alt_text="Egen tekst.")
    assert alt_text(c) == "Egen tekst."


def test_chart_svg_has_no_title_text_and_names_statuses_in_words(copy: CommitteeCopy):
    svg = chart_svg(copy.pages[1].blocks[1])  # type: ignore[arg-type]
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "Faktisk: på sporet" in svg and "Faktisk: lidt bagud" in svg
    assert "Andel afsluttet til job" in svg  # only in the SVG's <title> (the alt text)


def test_a_category_chart_writes_every_name_out_beside_its_bar():
    """Vandringer: where people went, names like "Uddannelse (afgangsårsag)" side by side
    under vertical bars ran together; down the side every one is whole, with its value."""
    names = ["Job (afgangsårsag)", "Fleksjob", "Uddannelse (afgangsårsag)", "Sygedagpenge"]
    chart = Chart("Gik til", "forløb", "hbar", names, [Series("Antal", [14, 9, 6, None])])
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(chart))
    assert all(n in texts for n in names)
    assert {"14", "9", "6", "."} <= set(texts)  # the values, and the suppressed one as "."
    assert alt_text(chart).startswith("Liggende søjlediagram: Gik til")


# --- colour and contrast -------------------------------------------------------------------


def luminance(hex6: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_status_colours_meet_wcag_aa_contrast():
    for status in ("groen", "gul", "roed"):
        assert contrast(STATUS_FONT[status], STATUS_FILL[status]) >= 4.5, status
        assert contrast(STATUS_FONT[status], "FFFFFF") >= 4.5  # bars and symbols in charts
    assert contrast("000000", HEADER_FILL) >= 4.5


def test_text_and_chart_colours_meet_wcag_aa_contrast():
    css = pdfmod.stylesheet_text()
    for colour in set(re.findall(r"color: #([0-9A-Fa-f]{6})", css)):
        assert contrast(colour, "FFFFFF") >= 4.5, colour
    for colour in (ACTUAL_COLOUR, TARGET_COLOUR, OTHER_COLOUR, AXIS_COLOUR):
        assert contrast(colour, "FFFFFF") >= 4.5, colour  # graphics need 3:1, text 4.5:1


def test_colour_is_never_the_only_carrier(copy: CommitteeCopy):
    html = pdfmod.copy_html(copy)
    for status, fill in STATUS_FILL.items():
        for cell in re.findall(rf"background-color: #{fill}[^>]*>([^<]*)<", html):
            assert cell.startswith(STATUS_SYMBOL[status]), cell
    words = " · ".join(f"{STATUS_SYMBOL[s]} {STATUS_TEXT[s]}" for s in STATUS_TEXT)
    assert html.count(f"Status: {words}") == 1  # only Flere i job lacks a legend of its own


# --- checkers -------------------------------------------------------------------------------


def pdfua_findings(path: Path) -> list[str]:
    from pdfua import validate

    report = validate(str(path))
    return [f"{f.rule_id}: {f.message}" for f in report.findings]


@functools.cache
def outloud_report(path: Path) -> tuple[dict, ...]:
    """outloud's findings on the file (run once per file)."""
    out = subprocess.run(
        [
            str(Path(sys.executable).parent / "outloud"),
            "--json",
            "-",
            "--fail-on",
            "never",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(f for file in json.loads(out.stdout)["results"] for f in file["findings"])


def outloud_findings(path: Path, severities: tuple[str, ...] = ("error",)) -> list[str]:
    return [
        f"{f['rule']} p.{f.get('page')}: {f['message']}"
        for f in outloud_report(path)
        if f["severity"] in severities
    ]


def test_pdfua_checker_finds_nothing(pdf_path: Path):
    assert pdfua_findings(pdf_path) == []


def test_outloud_checker_finds_no_error_and_no_warning_but_one(pdf_path: Path):
    """outloud's only remark is a semantic one (ORD-001, "no validator tests this"): the
    charts' axis texts are painted from form XObjects inside their Figure, which it reads
    as content out of reading order; the Figure's alternative text is what is read."""
    assert outloud_findings(pdf_path) == []
    warnings = outloud_findings(pdf_path, ("warning",))
    assert [w.split()[0] for w in warnings] in ([], ["ORD-001"])


def test_every_page_renders_as_a_picture(pdf_path: Path, tmp_path: Path):
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf_path), str(tmp_path / "s")], check=True)
    pictures = sorted(tmp_path.glob("s-*.png"))
    assert len(pictures) == int(pdfinfo(pdf_path)["Pages"])
    assert all(p.stat().st_size > 2000 for p in pictures)  # not blank


# --- the demo's copy through the udvalg builder ---------------------------------------------


def test_the_copy_of_a_real_workbook_passes_both_checkers(tmp_path: Path):
    from xlstatus.arbejdsbog.bygger import create_workbook
    from xlstatus.arbejdsbog.opdater import Arbejdsbog
    from xlstatus.udtraek.generator import generate
    from xlstatus.udvalg import kopi

    path = create_workbook(tmp_path / "Statusskema.xlsx")
    book = Arbejdsbog(path)
    extract = generate(seed=2024, faktor=1)
    for m in (date(2024, 7, 1), date(2024, 8, 1), date(2024, 9, 1)):
        book.opdater(extract, m, when=datetime(2024, 10, 2, 8, 0), user="test")
    book.save()
    out = tmp_path / "kopi.pdf"
    out.write_bytes(pdfmod.render_pdf(kopi.model_of(path)))
    assert pdfinfo(out)["Tagged"] == "yes"
    assert pdfua_findings(out) == []
    assert outloud_findings(out) == []


def test_without_the_renderer_the_import_says_so_in_danish():
    """Where WeasyPrint cannot run (no extra, no Pango, Pyodide) the import fails, so a
    caller falls back on Excel's own PDF export (`except ImportError`)."""
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "try:\n    import xlstatus.udvalg.pdf\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Den tilgængelige PDF kan ikke laves her" in out.stdout
    assert 'pip install "xlstatus[pdf]"' in out.stdout
