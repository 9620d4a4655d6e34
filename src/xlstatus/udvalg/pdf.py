"""The committee copy as an accessible PDF (PDF/UA-1), typeset from the copy's model.

`render_pdf(copy)` writes the `CommitteeCopy` as HTML for print (`copy_html`), styles it with
`pdf.css` and lets WeasyPrint's PDF/UA-1 variant typeset and tag it: document language
da-DK, the title in the document information and XMP metadata, a heading per page and
section, real tables (header rows in `<thead>`, repeated on every page, with `scope`), charts
as SVG pictures with alternative text, no links and no annotations. The PDF never renders
the .xlsx: both renderers read the same model.

Importing this module raises ImportError (in Danish) where the renderer cannot run: the
`pdf` extra is not installed, or WeasyPrint finds no Pango (a PC without GTK, Pyodide). A
caller falls back on `except ImportError` (Excel's own, not accessible, PDF export).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from importlib import resources

from xlstatus.kerne.status import STATUS_SYMBOL, STATUS_TEXT
from xlstatus.udvalg.model import (
    STATUS_FILL,
    STATUS_FONT,
    Block,
    Cell,
    Chart,
    CommitteeCopy,
    Heading,
    Page,
    Paragraph,
    Table,
)
from xlstatus.udvalg.svg import alt_text, chart_svg

try:  # the `pdf` extra and Pango; OSError is WeasyPrint's "cannot load library"
    import matplotlib.figure  # noqa: F401
    import pikepdf
    import weasyprint
    from weasyprint.formatting_structure import boxes
except (ImportError, OSError) as exc:
    raise ImportError(
        "Den tilgængelige PDF kan ikke laves her: WeasyPrint, matplotlib og pikepdf "
        '(pip install "xlstatus[pdf]") og Pango skal være installeret – se '
        "driftsvejledningen (kommandoen xlstatus drift)."
    ) from exc

LANG = "da-DK"
PDF_VARIANT = "pdf/ua-1"
ALIGN_CLASS = {"left": "venstre", "center": "midt", "right": "hoejre"}
LEGEND = "Status: " + " · ".join(f"{STATUS_SYMBOL[s]} {STATUS_TEXT[s]}" for s in STATUS_TEXT)


def render_pdf(copy: CommitteeCopy) -> bytes:
    """The copy as a tagged PDF/UA-1 document (bytes). Laid out once; a second time only
    when a table is split badly (see `bad_splits`), with those sections on a new page."""
    stylesheets = [weasyprint.CSS(string=stylesheet_text())]
    page = weasyprint.HTML(string=copy_html(copy))
    document = page.render(stylesheets=stylesheets)
    if breaks := bad_splits(document):
        stylesheets.append(weasyprint.CSS(string=page_breaks_css(breaks)))
        document = page.render(stylesheets=stylesheets)
    out = io.BytesIO()
    document.write_pdf(out, pdf_variant=PDF_VARIANT)
    return finish_tags(out.getvalue())


SHORT_TABLE_ROWS = 12  # a table this short is never split over two pages


def bad_splits(document: weasyprint.Document) -> set[int]:
    """The sections (numbers, see `copy_html`) whose table a page break still splits
    badly: a short table split after all (its section longer than a page), or a long one
    whose first page holds its header and a single row."""
    fragments: dict[int, list[int]] = {}
    for page in document.pages:
        for box in _descendants(page._page_box):
            if isinstance(box, boxes.TableBox) and box.element is not None:
                section = box.element.get("data-afsnit")
                if section is not None:
                    fragments.setdefault(int(section), []).append(_body_rows(box))
    return {
        section
        for section, rows in fragments.items()
        if len(rows) > 1 and (sum(rows) <= SHORT_TABLE_ROWS or rows[0] <= 1)
    }


def page_breaks_css(sections: Iterable[int]) -> str:
    """A stylesheet starting these sections (their headings) on a new page."""
    headings = [f'h{level}[data-afsnit="{n}"]' for n in sorted(sections) for level in range(2, 7)]
    return ", ".join(headings) + " { break-before: page; }"


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _body_rows(table: boxes.TableBox) -> int:
    groups = [g for g in table.children if isinstance(g, boxes.TableRowGroupBox)]
    return sum(len(g.children) for g in groups if not g.is_header and not g.is_footer)


def stylesheet_text() -> str:
    return resources.files("xlstatus.udvalg").joinpath("pdf.css").read_text(encoding="utf-8")


# --- HTML --------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def copy_html(copy: CommitteeCopy) -> str:
    """The whole copy as one HTML document for print. Its sections (a heading and what
    follows it) are numbered through the document (`data-afsnit` on the heading and the
    section's tables), so that a stylesheet can start one on a new page."""
    head = [
        '<meta charset="utf-8">',
        f"<title>{esc(copy.document_title)}</title>",
        f'<meta name="author" content="{esc(copy.municipality)} Kommune">',
        f'<meta name="description" content="{esc(_description(copy))}">',
        '<meta name="generator" content="xlstatus">',
    ]
    numbers = itertools.count()
    pages = [
        _page_html(copy, page, i == len(copy.pages) - 1, numbers)
        for i, page in enumerate(copy.pages)
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{LANG}">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(pages)
        + "\n</body>\n</html>\n"
    )


def _description(copy: CommitteeCopy) -> str:
    text = f"Udvalgets kopi af statusskemaerne, {copy.municipality}, måling {copy.month_label}"
    if copy.data_date is not None:
        text += f", data pr. {copy.data_date:%d-%m-%Y}"
    return text + "."


def header_right(copy: CommitteeCopy, page: Page) -> str:
    """The running header's first line: the copy's title and month (and the page's own
    words, e.g. the data date). Its second line is the page's sheet name."""
    return f"{copy.title} · " + (page.header_right or f"måling {copy.month_label}")


def _page_html(copy: CommitteeCopy, page: Page, last: bool, sections: Iterator[int]) -> str:
    parts = [
        f'<section class="side side-{page.kind}" data-hoved="{esc(header_right(copy, page))}"'
        f' data-ark="{esc(page.sheet or page.title)}">',
        f"<h1>{esc(page.title)}</h1>",
    ]
    parts.extend(_blocks_html(page, sections))
    if _has_status(page) and not _has_legend(page):
        parts.append(f'<p class="legend">{esc(LEGEND)}</p>')
    if copy.footnotes and (last or _has_typed(page)):
        parts.extend(f'<p class="footnote">{esc(note)}</p>' for note in copy.footnotes)
    parts.append("</section>")
    return "\n".join(parts)


def _cells(page: Page) -> Iterator[Cell]:
    for block in page.blocks:
        if isinstance(block, Table):
            for row in [*block.header_rows, *block.body]:
                yield from row


def _has_status(page: Page) -> bool:
    return any(cell.status for cell in _cells(page))


def _has_legend(page: Page) -> bool:
    """A legend paragraph, or a grid without headers that shows the statuses (the key)."""
    for block in page.blocks:
        if isinstance(block, Paragraph) and block.style == "legend":
            return True
        if isinstance(block, Table) and not block.header_rows and block.row_header_cols == 0:
            shown = {c.status for row in block.body for c in row if c.status}
            if shown == set(STATUS_TEXT):
                return True
    return False


def _has_typed(page: Page) -> bool:
    return any(cell.typed for cell in _cells(page))


def _blocks_html(page: Page, sections: Iterator[int]) -> Iterator[str]:
    """The page's blocks in reading order, a section (a heading and what follows it) at a
    time: a short one is kept on one page (`samlet`; a page with a table's header and a
    row of it is noise), and its tables carry the section's number (see `bad_splits`)."""
    level = 1  # the level of the last heading: a chart's title goes one below it
    for i, blocks in enumerate(_sections(page.blocks)):
        number = next(sections)
        cut = _short_part(blocks) if i > 0 else 0
        if cut:
            parts, level = _section_html(blocks[:cut], number, level)
            yield '<div class="samlet">\n' + "\n".join(parts) + "\n</div>"
        parts, level = _section_html(blocks[cut:], number, level)
        yield from parts


def _sections(blocks: list[Block]) -> Iterator[list[Block]]:
    """The blocks before the first heading, then one list per heading."""
    section: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            yield section
            section = []
        section.append(block)
    yield section


def _short_part(blocks: list[Block]) -> int:
    """How many of the section's first blocks to keep on one page: its heading and text
    up to its last table before any chart, when those tables are short (else 0)."""
    first_chart = next((i for i, b in enumerate(blocks) if isinstance(b, Chart)), len(blocks))
    tables = [i for i, b in enumerate(blocks[:first_chart]) if isinstance(b, Table)]
    rows = sum(len(b.body) for b in blocks[:first_chart] if isinstance(b, Table))
    return tables[-1] + 1 if tables and rows <= SHORT_TABLE_ROWS else 0


def _section_html(blocks: list[Block], number: int, level: int) -> tuple[list[str], int]:
    """A section's HTML, charts side by side in a grid; a heading is never more than one
    level below the one before it (h1 is the page's title). Returns the last level too."""
    parts: list[str] = []
    grid: list[str] = []
    for block in blocks:
        if isinstance(block, Chart):
            grid.append(chart_html(block, min(level + 1, 6)))
            continue
        if grid:
            parts.append(_grid(grid))
            grid = []
        if isinstance(block, Heading):
            level = max(2, min(block.level, level + 1, 6))
            parts.append(f'<h{level} data-afsnit="{number}">{esc(block.text)}</h{level}>')
        elif isinstance(block, Table):
            parts.append(table_html(block, number))
        else:
            parts.append(block_html(block))
    if grid:
        parts.append(_grid(grid))
    return parts, level


def _grid(charts: list[str]) -> str:
    return '<div class="graf-gitter">\n' + "\n".join(charts) + "\n</div>"


def block_html(block: Block) -> str:
    if isinstance(block, Heading):
        level = max(2, min(block.level, 6))  # h1 is the page's title
        return f"<h{level}>{esc(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        css = "" if block.style == "normal" else f' class="{block.style}"'
        return f"<p{css}>{_lines(block.text)}</p>"
    if isinstance(block, Table):
        return table_html(block)
    return chart_html(block, 2)


def _lines(text: str) -> str:
    return "<br>".join(esc(line) for line in text.split("\n"))


def table_html(table: Table, section: int | None = None) -> str:
    """A data table; a grid with no header cells at all (a legend) is laid out as lines of
    text instead, so no table without headers reaches the PDF."""
    if not table.header_rows and table.row_header_cols == 0:
        return layout_html(table)
    columns = table_columns(table)
    parts = ["<table>" if section is None else f'<table data-afsnit="{section}">']
    if table.caption:
        parts.append(f"<caption>{esc(table.caption)}</caption>")
    parts.extend(_colgroup(table.col_widths))
    if table.header_rows:
        parts.append("<thead>")
        parts.extend(_row_html(row, 0, columns, header=True) for row in table.header_rows)
        parts.append("</thead>")
    parts.append("<tbody>")
    parts.extend(_row_html(row, table.row_header_cols, columns, header=False) for row in table.body)
    parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def table_columns(table: Table) -> int:
    spans = [sum(max(1, c.colspan) for c in row) for row in [*table.header_rows, *table.body]]
    return max([len(table.col_widths), *spans, 1])


def layout_html(table: Table) -> str:
    """A table without header cells: each row a line, its cells side by side."""
    rows = []
    for row in table.body:
        cells = "".join(cell_html(cell, "span", None) for cell in row if cell.text)
        rows.append(f'<p class="raekke">{cells}</p>')
    title = f'<p class="fed">{esc(table.caption)}</p>' if table.caption else ""
    return f'<div class="uden-hoved">{title}' + "".join(rows) + "</div>"


def _colgroup(widths: list[float]) -> Iterable[str]:
    total = sum(widths)
    if not widths or total <= 0:
        return []
    cols = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in widths)
    return [f"<colgroup>{cols}</colgroup>"]


def _row_html(row: list[Cell], row_header_cols: int, columns: int, header: bool) -> str:
    if header:
        return "<tr>" + "".join(cell_html(c, "th", "col") for c in row) + "</tr>"
    if row and row_header_cols and _section_row(row, row_header_cols):
        return _section_row_html(row[0], row_header_cols, columns)
    cells = []
    column = 0
    for cell in row:
        if column < row_header_cols or cell.header:
            cells.append(cell_html(cell, "th", "row"))
        else:
            cells.append(cell_html(cell, "td", None))
        column += max(1, cell.colspan)
    return "<tr>" + "".join(cells) + "</tr>"


def _section_row(row: list[Cell], row_header_cols: int) -> bool:
    """A row that is only a label (a section of the schema): one cell, or the rest empty."""
    return max(1, row[0].colspan) >= row_header_cols and not any(c.text for c in row[1:])


def _section_row_html(label: Cell, row_header_cols: int, columns: int) -> str:
    """A section row: its label is a row header, the rest of the row one empty data cell
    (a row of header cells only would read as a header row)."""
    span = min(max(1, label.colspan), row_header_cols)
    head = replace(label, colspan=span, header=True)
    cells = cell_html(head, "th", "row")
    if columns > span:
        cells += cell_html(Cell("", fill=label.fill, colspan=columns - span), "td", None)
    return "<tr>" + cells + "</tr>"


def cell_html(cell: Cell, tag: str, scope: str | None) -> str:
    classes = [ALIGN_CLASS[cell.align]]
    style = []
    if cell.bold:
        classes.append("fed")
    if not cell.wrap:
        classes.append("nowrap")
    if cell.status:
        style.append(f"background-color: #{STATUS_FILL[cell.status]}")
        style.append(f"color: #{STATUS_FONT[cell.status]}")
    elif cell.fill:
        style.append(f"background-color: #{cell.fill}")
    attrs = f' class="{" ".join(classes)}"'
    if scope:
        attrs += f' scope="{scope}"'
    if cell.colspan > 1 and tag != "span":
        attrs += f' colspan="{cell.colspan}"'
    if style:
        attrs += f' style="{"; ".join(style)}"'
    return f"<{tag}{attrs}>{_lines(cell.text)}</{tag}>"


def chart_html(chart: Chart, level: int) -> str:
    """A chart: its title as a heading, then the picture (or the sentence saying why not)."""
    heading = f"<h{level}>{esc(chart.title)}</h{level}>"
    if chart.empty_text or not any(v is not None for s in chart.series for v in s.values):
        text = chart.empty_text or "Ingen værdier at vise for måneden."
        return f'<div class="graf">{heading}<p class="tom-graf">{esc(text)}</p></div>'
    svg = base64.b64encode(chart_svg(chart).encode("utf-8")).decode("ascii")
    image = f'<img src="data:image/svg+xml;base64,{svg}" alt="{esc(alt_text(chart))}">'
    return f'<div class="graf">{heading}{image}</div>'


# --- PDF post-processing (pikepdf) ---------------------------------------------------------


def finish_tags(data: bytes) -> bytes:
    """Two repairs of WeasyPrint's tagging that PDF/UA-1 asks for:

    - the running header and footer (CSS margin boxes) are marked content with an MCID but
      outside the structure tree: they become `/Artifact /Pagination` (ISO 14289-1 7.8);
    - every TH gets its `/Scope`: a header cell in a THead is a column header, one in a
      TBody a row header (WeasyPrint links header and data cells but writes no scope).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.StructTreeRoot
        reached: set[tuple[tuple[int, int], int]] = set()
        for element in _elements(tree.K, None, reached):
            if element.get("/S") == "/TH":
                _set_scope(element)
        for index, page in enumerate(pdf.pages):
            stray = _artifact_stray_content(pdf, page, reached)
            _forget_parents(tree, index, stray)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _elements(kids: object, page: object, reached: set) -> Iterator:
    """Walk the structure tree: yield every structure element, collect (page, MCID) pairs."""
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in items:
        if isinstance(kid, int):
            if page is not None:
                reached.add((page.objgen, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary):
            own_page = kid.get("/Pg", page)
            if kid.get("/Type") == "/MCR":
                reached.add((own_page.objgen, int(kid.MCID)))
            elif kid.get("/Type") != "/OBJR":
                yield kid
                if "/K" in kid:
                    yield from _elements(kid.K, own_page, reached)


def _set_scope(th: object) -> None:
    row = th.get("/P")
    group = row.get("/P") if row is not None else None
    column = group is not None and group.get("/S") == "/THead"
    attributes = th.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        th.A = attributes
    attributes.Scope = pikepdf.Name.Column if column else pikepdf.Name.Row


MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def _artifact_stray_content(pdf: object, page: object, reached: set) -> set[int]:
    """Mark content whose MCID no structure element claims as a pagination artifact
    (WeasyPrint writes each marked-content start as `/Span <</MCID 3>> BDC`)."""
    stray: set[int] = set()
    key = page.obj.objgen

    def swap(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(2))
        if (key, mcid) in reached:
            return match.group(0)
        stray.add(mcid)
        return PAGINATION

    content = page.obj.Contents
    streams = list(content) if isinstance(content, pikepdf.Array) else [content]
    for stream in streams:
        data = stream.read_bytes()
        changed = MARKED.sub(swap, data)
        if changed != data:
            stream.write(changed)
    return stray


def _forget_parents(tree: object, index: int, stray: set[int]) -> None:
    """Drop the parent-tree entries of MCIDs that became artifacts."""
    nums = tree.ParentTree.Nums
    for i in range(0, len(nums), 2):
        if int(nums[i]) == index and isinstance(nums[i + 1], pikepdf.Array):
            parents = nums[i + 1]
            for mcid in stray:
                if mcid < len(parents):
                    parents[mcid] = None
