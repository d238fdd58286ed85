"""Tables as data: a grid of cell texts becomes a `Table` whose every numeric cell is a `Figure`.

Pure functions, no I/O: the readers hand over grids (PDF tables from `ingest.pdf_tables`,
tab-separated table blocks from text, Markdown and Word files) and this module decides

- which leading rows are the header, and the label of every column (two-level headers are
  joined: "Förändring jmf 2021 › Utökning"; an empty cell under a spanning cell takes its label);
- the unit of the cells, from the caption, the header, the top-left cell or a note
  ("Belopp i tkr", "Mnkr", "%", "Antal"), and a column's own unit when its header names one;
- each column's meaning: a period (a year, "fg år" relative to the report's year, "jan–mar")
  and a basis (utfall, budget, prognos, avvikelse, förändring);
- the row labels and their hierarchy: a label row without numbers ("Intäkter") is the parent
  of the rows below it until a sum row ("Summa intäkter") closes the group; an indented label
  is the child of the unindented one above it;
- which cells are figures: plain numbers only ("−5 347", "-5 347", "(5 347)", "12,5 %"), a number
  under its own year ("2019: 73,4%") and the values of a list under a year ("2019: T1 56 st, T2 40
  st", "2019: K 50 % M 47 %"), not notes, ranks, codes or years used as labels, and not other text
  with numbers in it.

Hand-written rules: no library interprets Swedish report tables (header words, units, periods).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapportsok.ingest.records import (
    AMOUNT,
    BLOCK_SEPARATOR,
    NUMBER,
    PERCENT,
    SECTION_SEPARATOR,
    TABLE,
    Block,
    Figure,
    Table,
    TableColumn,
    TableRow,
)
from rapportsok.lang.amounts import unit_multiplier
from rapportsok.lang.dates import DateError, normalize_date, year_of
from rapportsok.lang.numbers import MINUS_CHARS, normalize_spaces

CELL_SEPARATOR = " | "  # between the cells of a row in a figure's quoted row
MAX_CAPTION_WORDS = 25
MAX_UNIT_LINE_WORDS = 4  # "Belopp i tkr", "tusen kronor": a line over a caption that states a unit
MAX_CAPTION_NUMBERS = 2  # "Tabell 45 …", "Not 12 …"; more is a row of figures, not a caption
_LABEL_LETTERS = 4  # a label cell has words, not a code ("P", "N") or a number
COUNT = "antal"

_NUMBER_RE = re.compile(
    rf"^(?P<open>\()?\s*(?P<sign>[+{re.escape(MINUS_CHARS)}])?\s*"
    r"(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:,(?P<dec>\d+))?"
    r"\s*(?P<close>\))?\s*(?P<pct>%)?\s*[*¹²³⁴⁵⁶⁷⁸⁹]?\s*$"
)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_CELL_RE = re.compile(r"^(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?\s*[¹²³⁴⁵⁶⁷⁸⁹*]?$")
_MONEY_UNIT_RE = re.compile(
    r"\b(tkr|tsek|kkr|mnkr|mkr|msek|mdkr|mdr|kr|kronor|sek|tusen(?:tals?)? kronor|miljoner kronor"
    r"|miljarder kronor|1[ \xa0]?000(?:[ \xa0]?000)?(?:-tal)? (?:kronor|kr))\b",
    re.IGNORECASE,
)
_WORD_UNITS = {
    "tusen kronor": "tkr",
    "tusentals kronor": "tkr",
    "tusental kronor": "tkr",
    "miljoner kronor": "mnkr",
    "miljarder kronor": "mdkr",
    "kronor": "kr",
    "sek": "kr",
}
_PERCENT_RE = re.compile(r"%|\bprocent\b|\bandel\b", re.IGNORECASE)
# A count label, also as a list item under a group row ("Inkomstpension" over "- antal pensioner").
_COUNT_RE = re.compile(r"^\s*(?:[-–•]\s*)?(?:medel|genomsnittligt\s+)?antal(?:et)?\b", re.IGNORECASE)
_SUM_RE = re.compile(r"^\s*(?:summa|totalt|total|netto|resultat)\b", re.IGNORECASE)
# Columns whose numbers are not figures: notes, ranks, codes, years, sources.
_NOT_FIGURE_COLUMN_RE = re.compile(
    r"^\s*(?:not|nr|nummer|rang|rank|placering|kod|konto|id|år|årtal|period|källa|ref)\s*\.?\s*$",
    re.IGNORECASE,
)
_PREVIOUS_YEAR_RE = re.compile(r"\b(?:fg|f\.g\.|föregående|förra)\s*\.?\s*år", re.IGNORECASE)
_WHOLE_YEAR_RE = re.compile(r"\bhelår", re.IGNORECASE)
_REPORT_PERIOD_RE = re.compile(r"\bperiod(?:en)?\b|\back(?:\.|umulerat)?(?:\s|$)", re.IGNORECASE)
_MONTHS = r"jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec"
_MONTH_RANGE_RE = re.compile(
    rf"\b(?:{_MONTHS})[a-zåäö]*\.?\s*[-–]\s*(?:{_MONTHS})[a-zåäö]*\.?(?:\s+(?:19|20)\d\d)?", re.IGNORECASE
)
# Basis words, strongest first: "Avvikelse mot budget" is a deviation, "Prognos jmf fg år" a change.
_BASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("avvikelse", r"avvik|\bavv\b|\bdiff|återstår|\bkvar\b"),
        (
            "förändring",
            r"förändr|\bförändr|utökning|neddragning|ökning|minskning|\bjmf\b|jämfört|omfördelning"
            r"|löne-?\s*(?:&|och)\s*prisindex|uppräkning",
        ),
        ("prognos", r"prognos|beräkn|\bprogn"),
        ("budget", r"budget|ram(?:en|ar|arna)?\b|anslag|\bplan\b|\bmål\b|\bbudg\b"),
        ("utfall", r"utfall|bokslut|redovisat|\bresultat\b|\back\b|ackumulerat|verkligt|\butf\b"),
    )
)


def parse_cell(text: str) -> tuple[float, bool] | None:
    """The number in a cell that holds only a number, and whether it is a percentage; else None.

    A leading minus, en dash or minus sign and parentheses ("(5 347)") make it negative.
    """
    match = _NUMBER_RE.match(normalize_spaces(text).strip())
    if not match or bool(match["open"]) != bool(match["close"]):
        return None
    value = float(match["int"].replace(" ", "") + ("." + match["dec"] if match["dec"] else ""))
    if match["open"] or (match["sign"] and match["sign"] != "+"):
        value = -value
    return value, bool(match["pct"])


# A value under its own year ("2019: 73,4%" in a column "Ingångsvärde" of a plan's styrmått).
_DATED_CELL_RE = re.compile(r"^\s*((?:19|20)\d\d)\s*:\s*(?=\S)")


def dated_cell(text: str) -> tuple[str, int] | None:
    """The year a cell names before its value ("2019: 73,4%") and where the value starts, when the
    rest is a number; else None."""
    match = _DATED_CELL_RE.match(text)
    if match is None or parse_cell(text[match.end() :]) is None:
        return None
    return match.group(1), match.end()


# A cell that lists values under one year, each maybe for a tertial or a sex: "2019: T1 56 st, T2
# 40 st, T3 57 st", "2019: T1 K 60%, M 65% T2 K 56%", "2019: K 50 % M 47 %", "2019: 207 K 82, M
# 125" (all, then women and men), "2019: 6 kommuner", "2021 T1 68 %".
_LISTED_CELL_RE = re.compile(r"^\s*((?:19|20)\d\d)\s*:?[\s¹²³⁴⁵⁶⁷⁸⁹⁰]*")
# The noun a listed count may end with ("6 kommuner"); a time unit says an age or a duration ("40 år").
_COUNT_NOUN = r"(?!(?:år|dagar|dygn|veckor|månader|timmar|minuter)\b)[a-zåäö]+"
_LISTED_PART_RE = re.compile(
    r"\s*(?:(?P<tertial>T[1-3])\b|(?P<sex>[KM])\s*:?(?=\s*\d)"
    r"|(?P<value>\d{1,3}(?: \d{3})*(?:,\d+)?(?:\s*%)?)(?!\d|,\d)(?:\s*(?:st|kr)\b)?"
    r"(?=\s*(?:$|[,;.]|T[1-3]\b|[KM]\b|[KM]\d)|\s+{noun}\s*$)"
    r"|[,;]|\s+{noun}\s*$)".replace("{noun}", _COUNT_NOUN)
)
_SEXES = {"K": "kvinnor", "M": "män"}


def listed_cell(text: str) -> list[tuple[str, str | None, int, int]]:
    """The values of a cell that lists them under one year ("2019: T1 56 st, T2 40 st", "2019: K 50
    % M 47 %"): each value's period (the tertial's, "2019-01/2019-04", else the year), the sex it
    is for ("kvinnor" after "K", else None) and its span in the cell. Reading stops at the first
    other text ("Fr.o.m 2020 …", "40 år"), keeping the values before it; a year among the values
    ends it too. A plan's styrmått gives its starting values so, and a question asks for one of
    them, not the cell as a whole."""
    match = _LISTED_CELL_RE.match(text)
    if match is None:
        return []
    year, tertial, sex = match.group(1), None, None
    values: list[tuple[str, str | None, int, int]] = []
    at = match.end()
    while at < len(text) and (part := _LISTED_PART_RE.match(text, at)):
        at = part.end()
        if part["tertial"]:
            tertial, sex = part["tertial"][1], None
        elif part["sex"]:
            sex = _SEXES[part["sex"]]
        elif part["value"]:
            if _is_year(part["value"]):
                break
            period = normalize_date(f"tertial {tertial} {year}").value if tertial else year
            values.append((str(period), sex, part.start("value"), part.end("value")))
            sex = None
    if sex is not None or re.match(r"\s*[KM]\b", text[at:]):
        return []  # a label after its value ("3 K 2 M", "12,5 M"): which value is whose is unsure
    return values


def _is_value_cell(text: str) -> bool:
    """Whether a body cell gives a figure: a number, one under its year, or a list under a year."""
    return parse_cell(text) is not None or dated_cell(text) is not None or bool(listed_cell(text))


def _is_year(text: str) -> bool:
    return bool(_YEAR_CELL_RE.match(text.strip()))


def find_unit(*texts: str) -> str | None:
    """The unit the texts (caption, header cells, notes) give, in that order of trust.

    Money units are returned as written, lower-cased ("tkr", "mnkr"); "%" and "antal" otherwise.
    """
    for text in texts:
        if not text:
            continue
        money = _MONEY_UNIT_RE.search(text)
        if money:
            word = re.sub(r"[\s\xa0]+", " ", money.group(1).lower())
            if word[:1].isdigit():  # "1 000-tal kronor", "1 000 000 kr"
                return "mnkr" if word.count("000") == 2 else "tkr"
            return _WORD_UNITS.get(word, word)
        if "%" in text or re.search(r"\bprocent\b", text, re.IGNORECASE):
            return "%"
        if _COUNT_RE.match(text):
            return COUNT
    return None


def framed_cell(
    section: str, measure: str | None, caption: str, header: list[list[str]]
) -> tuple[str, str | None]:
    """A table cell's section and measure with what its table says around it. A cell is headed by
    its passage's section, so a caption the reader did not make a heading ("Tabell 12
    Bostadsbidrag, nyckeltal") is put back as the heading right over the table. The header cell
    over the row labels names what all rows are about when it is a word and no unit
    ("Assistansersättning | 2010 | 2011" over "Styckkostnader, kr/beslut"): it is the parent of
    every row label, as a key-figure table per benefit says which benefit it is."""
    caption = " ".join(caption.split())
    if caption and section.split(SECTION_SEPARATOR)[-1].strip() != caption:
        section = SECTION_SEPARATOR.join(p for p in (section, caption) if p)
    # The first header row's: the cells below it in a header the reader took too deep are rows.
    stub = " ".join(header[0][0].split()) if header and header[0] else ""
    if re.search(r"[^\W\d_]", stub) and not re.search(r"\d", stub) and find_unit(stub) is None:
        measure = SECTION_SEPARATOR.join(p for p in (stub, measure) if p)
    return section, measure


def find_basis(*texts: str) -> str | None:
    """The basis (utfall, budget, prognos, avvikelse, förändring) the first text that names one gives."""
    for text in texts:
        for name, pattern in _BASES:
            if text and pattern.search(text):
                return name
    return None


_BASIS_NAMES = frozenset({"budget", "prognos", "utfall", "plan"})


def row_label_basis(label: str) -> str | None:
    """The basis a row label gives: only its first word names one ("Budget", "Budgetavvikelse",
    "Prognos helår"). A basis word further on is what the row is about, not its kind of figure:
    "Intäkter av anslag", "Årets kapitalförändring" and "Beviljad låneram" are outcomes of the
    year, as is "Anslagssparande" (an appropriation's compounds name money received or left)."""
    words = re.findall(r"[^\W\d_]+", label)
    # A modifier first ("Ack. budget", "Reviderad budget", "Nettokostnad, budget"): the last word
    # names the basis when it is a basis word itself, not a compound's tail ("låneram").
    if len(words) > 1 and words[-1].casefold() in _BASIS_NAMES:
        return find_basis(words[-1])
    basis = find_basis(words[0]) if words else None
    return None if basis == "budget" and words[0].lower().startswith("anslags") else basis


def find_period(label: str, report_date: str | None) -> str | None:
    """The period a column label names: a month range ("jan–mar 2026"), a year, "fg år", "helår"
    (the report's year) or "perioden"/"ack" (the report's period: January to the report's month).

    A year after "jmf"/"jämfört med" is what is compared with, not the column's period.
    """
    report_year = year_of(report_date)
    base = re.split(r"\b(?:jmf|jämfört med|mot)\b", label, maxsplit=1, flags=re.IGNORECASE)[0]
    months = _MONTH_RANGE_RE.search(base)
    year = _YEAR_RE.search(base)
    context_year = year.group() if year else report_year
    if months:
        span = months.group() if _YEAR_RE.search(months.group()) or not context_year else None
        span = span or f"{months.group()} {context_year}"
        try:
            value = normalize_date(span).value
        except (DateError, ValueError):
            value = None
        if value and not value.startswith("-"):
            return value
    if (
        _REPORT_PERIOD_RE.search(base)
        and report_date
        and len(report_date) >= 7
        and context_year == report_year
    ):
        if _PREVIOUS_YEAR_RE.search(base) and report_year:
            earlier = str(int(report_year) - 1)  # "Motsvarande period föregående år"
            return f"{earlier}-01/{earlier}{report_date[4:7]}"
        return f"{report_year}-01/{report_date[:7]}"  # "Utfall perioden 2026" in a report of March 2026
    if _REPORT_PERIOD_RE.search(base) and report_year and not year:
        return report_year  # a report dated by its year only: the period is within that year
    if year:
        return year.group()
    if _PREVIOUS_YEAR_RE.search(base) and report_year:
        return str(int(report_year) - 1)
    if _WHOLE_YEAR_RE.search(base) and report_year:
        return report_year  # "Prognos helår": the whole of the report's year
    return None


# A line ending in at least two numbers: "Budgetavvikelse -1 930 -5 122", "Intäkter 7,8 % 6,0 %".
# Read as `(?:[\s(]*[-−–+]?\d[\d\s]*(?:,\d+)?\)?\s*%?){2,}\s*$`, but written with possessive
# quantifiers: that plain form splits a run of digits between its repetitions in every possible
# way, which takes minutes on a long row ending in "–". The lookahead leaves out what the plain
# form needs two repetitions for: a single number with one digit and at most one decimal.
_NUMERIC_TAIL_RE = re.compile(
    r"(?![\s(]*+[-−–+]?\d\s*+(?:,\d)?\)?\s*+%?\s*+$)"
    r"(?:[\s(]*+[-−–+]?\d[\d\s]*+(?:,\d\d[\d\s]*+)*+(?:,\d)?\)?\s*+%?)++\s*+$"
)
_NUMBER_TOKEN_RE = re.compile(r"[-−–+(]?\d+(?:,\d+)?\)?%?")
_YEAR_RANGE_RE = re.compile(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d\b")


def looks_like_table_row(text: str) -> bool:
    """A line with a label and at least two numbers after it: a table row, not a heading.

    A year, a year range or a single number ("Mål 2024", "Plan 2022-2024") is not enough; two or
    more numbers with a sign, a decimal comma or a percent, or three or more plain groups, are.
    """
    text = _YEAR_RANGE_RE.sub("", text.strip()).strip()
    text = re.sub(r"(?<=\d)[-–/](?=\d)", "", text)  # "dnr 5-2018", "1/3": a code, not two numbers
    tail = _NUMERIC_TAIL_RE.search(text)
    if not tail or not any(ch.isalpha() for ch in text[: tail.start()]):
        return False
    return numbers_row(tail.group())


def numbers_row(text: str) -> bool:
    """Two or more numbers of which one has a sign, a decimal comma or a percent, or three or more:
    the values of a table row ("87,5% 85 % 87 %", "-1 930 -5 122")."""
    tokens = _NUMBER_TOKEN_RE.findall(text)
    if not tokens or re.sub(r"[\s%*−–-]", "", _NUMBER_TOKEN_RE.sub("", text)):
        return False
    marked = any(token[0] in "-−–+(" or "," in token or token.endswith("%") for token in tokens)
    return len(tokens) >= 3 or (len(tokens) >= 2 and marked)


def _clean(cell: str | None) -> str:
    return " ".join(normalize_spaces(cell or "").split())


def _is_value_row(row: Sequence[str], label_column: int) -> bool:
    """A body row: a cell right of the labels holds a number that is not a year."""
    return any(
        parse_cell(cell) is not None and not _is_year(cell) for cell in row[label_column + 1 :] if cell
    )


def _label_column(rows: Sequence[Sequence[str]]) -> int:
    """The leftmost column holding text in most rows with numbers (PDF tables may have an empty
    indent column; header rows, whose wrapped column labels may stand in one column, do not count)."""
    width = max(len(row) for row in rows)
    valued = [row for row in rows if any(parse_cell(cell) is not None for cell in row if cell)] or rows
    for column in range(width - 1):
        texts = sum(
            1
            for row in valued
            if column < len(row) and sum(ch.isalpha() for ch in row[column]) >= _LABEL_LETTERS
        )
        if texts * 2 >= len(valued):
            return column
    return 0


def _column_labels(header: list[list[str]], width: int, label_column: int) -> list[str]:
    """Each data column's label: its header cells top to bottom, a spanning cell's label carried
    right into the empty cells below which the next header row has text."""
    labels = []
    for column in range(label_column + 1, width):
        parts = []
        for level, row in enumerate(header):
            cell = row[column] if column < len(row) else ""
            if not cell and level + 1 < len(header):
                below = header[level + 1]
                if column < len(below) and below[column]:
                    left = next(
                        (row[k] for k in range(column - 1, label_column, -1) if k < len(row) and row[k]), ""
                    )
                    cell = left
            if cell and cell not in parts:
                parts.append(cell)
        labels.append(SECTION_SEPARATOR.join(parts))
    return labels


def spread_years(row: list[str], label_column: int) -> list[str]:
    """A header row whose one cell holds a year for each data column ("2008 2007 2006 2005 2004"
    over five columns: a ruled table whose header has no column rules reads as one merged cell)
    gives each column its year; any other row is returned as it is."""
    filled = [cell for cell in row if cell]
    years = filled[0].split() if len(filled) == 1 else []
    width = len(row) - label_column - 1
    if width < 2 or len(years) != width or not all(_YEAR_CELL_RE.match(year) for year in years):
        return row
    return row[:label_column] + [""] + years


def header_above(lines: Sequence[str], width: int) -> list[list[str]]:
    """Header rows printed above a ruled table's box, from the lines stacked over it (nearest
    first): the most lines whose farthest gives a year to each of the `width` value columns
    ("2006 2007 2008 2007–2008 2006–2008") while each nearer one gives one word to each
    ("antal antal antal Procutv Procutv"), top row first; none when no line does."""
    header: list[list[str]] = []
    for count in range(1, len(lines) + 1):
        words = [line.split() for line in lines[:count]]
        if any(len(row) != width for row in words):
            break
        top = spread_years([lines[count - 1], *[""] * width], 0)
        if top[1:] == words[-1]:
            header = [["", *row] for row in reversed(words)]
    return header


def _label_only(row: Sequence[str], label_column: int) -> bool:
    return bool(row[label_column]) and not any(row[label_column + 1 :])


def _body_start(rows: Sequence[Sequence[str]], first_body: int, label_column: int) -> int:
    """Where the body starts: at a group label ("Antal besökare") under the header when it and
    every row down to the first values have a row label, so a labelled row of words ("Korsavads
    simhall | Stängt | Stängt") is a body row without figures, not a header row."""
    for start in range(1, first_body):
        if _label_only(rows[start], label_column) and all(
            row[label_column] for row in rows[start:first_body]
        ):
            return start
    return first_body


def merge_continuation_rows(rows: list[list[str]], spanned: Sequence[bool] = ()) -> list[list[str]]:
    """Join a row that only continues the label above it (a wrapped label, no numbers) into it.

    PDF extraction splits a two-line cell into two rows; the second has text in one cell only,
    directly under a row that has numbers. It continues that row when it starts in lower case, or
    when `spanned` (PDF geometry, one flag a row) says its text stands at line spacing under the
    row above; a capitalised row of its own opens a group ("Kostnader", "Antal bibliotekslån").
    """
    merged: list[list[str]] = []
    for index, row in enumerate(rows):
        filled = [i for i, cell in enumerate(row) if cell]
        inside = index < len(spanned) and spanned[index]
        if (
            merged
            and len(filled) == 1
            and (inside or row[filled[0]][:1].islower())
            and any(parse_cell(cell) for cell in merged[-1] if cell)
        ):
            previous = merged[-1]
            previous[filled[0]] = f"{previous[filled[0]]} {row[filled[0]]}".strip()
            continue
        merged.append(list(row))
    return merged


def read_table(
    grid: Sequence[Sequence[str | None]],
    caption: str = "",
    report_date: str | None = None,
    page: int = 1,
    ordinal: int = 0,
    notes: str = "",
) -> Table | None:
    """Interpret a grid of cell texts as a `Table`; None when it holds no figures (a layout grid,
    a list of links, a table of contents)."""
    indents = [len(row[0]) - len(row[0].lstrip()) if row and row[0] else 0 for row in grid]
    rows = merge_continuation_rows([[_clean(cell) for cell in row] for row in grid])
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    label_column = _label_column(rows)
    first_body = next((i for i, row in enumerate(rows) if _is_value_row(row, label_column)), None)
    if first_body is None:
        return None
    while (
        first_body > 1
        and rows[first_body - 1][label_column]
        and not any(rows[first_body - 1][label_column + 1 :])
    ):
        first_body -= 1  # a group label ("Intäkter") right above the first values opens the body
    first_body = _body_start(rows, first_body, label_column)
    header = [spread_years(row, label_column) for row in rows[:first_body]]
    labels = _column_labels(header, width, label_column)
    corner = " ".join(row[label_column] for row in header)
    # Columns of shares among others ("2009 | % 2009"): their "%" is theirs, not the table's.
    shares = [find_unit(label) == "%" for label in labels if label]
    mixed = any(shares) and not all(shares)
    cells = [cell for row in header for cell in row if not (mixed and find_unit(cell) == "%")]
    unit = find_unit(caption, corner, *cells, notes)
    caption_years = sorted(set(_YEAR_RE.findall(caption)))
    caption_period = "/".join(dict.fromkeys((caption_years[0], caption_years[-1]))) if caption_years else None
    columns = []
    for label in labels:
        period = find_period(label, report_date)
        basis = find_basis(label)
        if period is None:
            period = caption_period
        own_unit = find_unit(label) if label else None
        columns.append(TableColumn(label, period, basis, own_unit if own_unit != unit else None))
    periods = {column.period for column in columns if column.period}
    for column in columns:
        if column.period is None and column.basis == "avvikelse" and len(periods) == 1:
            column.period = next(iter(periods))  # "Avvikelse" beside "Utfall 2025", "Budget 2025"
    body: list[TableRow] = []
    parent: str | None = None  # the open group ("Intäkter") until a sum row closes it
    top: str | None = None  # the last unindented row with numbers
    body_indents = indents[first_body:] if len(rows) == len(grid) else [0] * len(rows)
    for row, indent in zip(rows[first_body:], body_indents, strict=False):
        label = next((cell for cell in reversed(row[: label_column + 1]) if cell), "")
        cells = row[label_column + 1 :]
        if not any(_is_value_cell(cell) for cell in cells if cell):
            if label and not any(cells) and not label[-1:].isdigit():
                # a row of words ("Stängt") is no group label, nor is a row left unread
                # ("Avgiftsintäkter 8 033" in a table of five years, `ingest.text_tables`)
                parent = label
            continue
        row_parent = top if indent and top else parent
        body.append(TableRow(label, cells, row_parent, page))
        if not indent:
            top = label
        if _SUM_RE.match(label):
            parent = None
    if not body:
        return None
    table = Table(caption, header, columns, body, unit, page, ordinal)
    table.figures = table_figures(table)
    return table if table.figures else None


def _row_quote(row: TableRow) -> tuple[str, list[tuple[int, int]]]:
    """The row as one quotable line ("Regionbidrag | 8 712,1 | 8 930,2") and each cell's span in it."""
    text = row.label
    spans = []
    for cell in row.cells:
        text += CELL_SEPARATOR
        spans.append((len(text), len(text) + len(cell)))
        text += cell
    return text, spans


# A cell that is a year as printed: four digits, no thousands space ("2009", not "2 009").
_PLAIN_YEAR_RE = re.compile(r"\s*(?:19[5-9]\d|20\d\d)\s*")


def _year_column(table: Table, index: int) -> bool:
    """Whether a column holds only years (two or more): a period beside each row, whatever its
    header says or when the header was not read ("Öppet ärende | 2009 | 7 899")."""
    cells = [row.cells[index] for row in table.rows if index < len(row.cells) and row.cells[index].strip()]
    return len(cells) >= 2 and all(_PLAIN_YEAR_RE.fullmatch(cell) for cell in cells)


def table_figures(table: Table) -> list[Figure]:
    """Every numeric cell of the table as a Figure, its value normalized by the unit; a cell that
    lists values under a year (`listed_cell`) gives a Figure for each."""
    figures = []
    not_figures = {
        i
        for i, column in enumerate(table.columns)
        if _NOT_FIGURE_COLUMN_RE.match(column.label) or _year_column(table, i)
    }
    for row in table.rows:
        sentence, spans = _row_quote(row)
        for index, (cell, column) in enumerate(zip(row.cells, table.columns, strict=False)):
            if not cell or index in not_figures:
                continue
            year, skip = dated_cell(cell) or (None, 0)
            parts = [(year, None, skip, len(cell))]
            if parse_cell(cell[skip:]) is None:
                parts = listed_cell(cell)
            start = spans[index][0]
            for period, sex, begin, end in parts:
                figure = _cell_figure(table, row, column, cell[begin:end], period, sex)
                if figure is not None:
                    figure.sentence, figure.start, figure.end = sentence, start + begin, start + end
                    figures.append(figure)
    return figures


def _cell_figure(
    table: Table, row: TableRow, column: TableColumn, text: str, period: str | None, sex: str | None
) -> Figure | None:
    """The figure of one value of a cell (the whole cell, or one value of a list under a year, for
    one sex when `sex` says so), placed in its row's quote by the caller; None when it is no number."""
    parsed = parse_cell(text)
    if parsed is None:
        return None
    number, percent_sign = parsed
    row_unit = find_unit(row.label) or find_unit(row.parent or "")
    # Years across, measures down: the row says "Budget", "Budgetavvikelse"; else the caption.
    row_basis = row_label_basis(row.label) or find_basis(table.caption)
    # A row's own "%"/"antal" always counts; its money unit ("Kostnader för sjukfrånvaro,
    # mnkr") where the table gives none or a non-money one ("Sjukfrånvaro, procent").
    row_applies = row_unit in ("%", COUNT) or (row_unit and table.unit in (None, "%", COUNT))
    unit = "%" if percent_sign else column.unit or (row_unit if row_applies else None)
    unit = unit or table.unit
    if unit == "%":
        kind, value, unit_name = PERCENT, number, "%"
    elif unit and unit != COUNT and unit_multiplier(unit):
        kind, value, unit_name = AMOUNT, number * (unit_multiplier(unit) or 1.0), "kr"
    else:
        kind, value, unit_name = NUMBER, number, COUNT if unit == COUNT else ""
    return Figure(
        kind=kind,
        value=value,
        unit=unit_name,
        text=text,
        sentence="",
        start=0,
        end=0,
        period=period or column.period,
        cue=None,
        page=row.page,
        section=table.caption,
        measure=SECTION_SEPARATOR.join(part for part in (row.parent, row.label, sex) if part),
        basis=column.basis or row_basis,
        table=table.ordinal,
        row=row.label,
        column=column.label,
    )


# A prose amount in millions or thousands ("+10,4 miljoner kronor", "26 mnkr"): what a table that
# states no unit is checked against (`agreed_unit`).
_PROSE_AMOUNT_RE = re.compile(
    rf"(?<![\d,])[+{re.escape(MINUS_CHARS)}]?\s?(\d{{1,3}}(?:[ \xa0]\d{{3}})*)(?:,(\d+))?\s*"
    r"(tkr|tusen kronor|mnkr|mkr|miljoner kronor|mdkr|miljarder kronor)\b",
    re.IGNORECASE,
)
_MONEY_BASES = frozenset({"utfall", "budget", "prognos", "avvikelse"})
_AGREED_FACTORS = {"tkr": 1e3, "mnkr": 1e6}
MIN_AGREEING_CELLS = 2  # sum cells a prose amount gives, rounded: one could be chance
MIN_PROSE_DIGITS = 3  # significant digits of such a prose amount ("10,4 miljoner", not "2 miljoner")


def _prose_amounts(text: str) -> list[tuple[float, float]]:
    """Amounts in kronor written in thousands or more in prose, each with its rounding step (half
    a unit of its last digit: "10,4 miljoner kronor" is 10 350 000 to 10 450 000), those with at
    least MIN_PROSE_DIGITS significant digits."""
    amounts = []
    for match in _PROSE_AMOUNT_RE.finditer(normalize_spaces(text)):
        whole, decimals = re.sub(r"\D", "", match.group(1)), match.group(2) or ""
        factor = unit_multiplier(match.group(3).split()[0]) or 1.0
        step = factor / 10 ** len(decimals)
        value = float(f"{whole}.{decimals}" if decimals else whole) * factor
        if value / step >= 10 ** (MIN_PROSE_DIGITS - 1):
            amounts.append((value, step / 2))
    return amounts


def agreed_unit(table: Table, amounts: Sequence[tuple[float, float]]) -> str | None:
    """The unit (tkr or mnkr) of a money table that states none, when the report's prose gives
    MIN_AGREEING_CELLS of its sum cells rounded in that unit ("Total 10 391" beside "Välfärd skola
    redovisar +10,4 miljoner kronor"): the writer's unit, read off the report itself. None when
    no unit or more than one agrees. Only sum rows and money columns count, as they are what prose
    repeats; a count table has no money column."""
    if table.unit is not None or not any(column.basis in _MONEY_BASES for column in table.columns):
        return None
    cells = {
        abs(figure.value)
        for figure in table.figures
        if figure.kind == NUMBER and figure.unit == "" and _SUM_RE.match(figure.row or "")
    }
    agreed = [
        unit
        for unit, factor in _AGREED_FACTORS.items()
        if sum(any(abs(cell * factor - abs(value)) <= half for value, half in amounts) for cell in cells)
        >= MIN_AGREEING_CELLS
    ]
    return agreed[0] if len(agreed) == 1 else None


def split_rows(text: str) -> list[list[str]]:
    """A table block's rows (one per line, cells separated by tabs) as a grid; leading spaces of
    the first cell are kept, as they show a sub-row's indentation."""
    return [line.rstrip().split("\t") for line in text.split("\n") if line.strip()]


def _caption_like(text: str) -> bool:
    """A block short enough to be a caption and not a leftover of figures (a table row that was
    not read, with its footnotes): at most MAX_CAPTION_NUMBERS numbers besides years."""
    numbers = [
        token for token in _NUMBER_TOKEN_RE.findall(_YEAR_RANGE_RE.sub("", text)) if not _is_year(token)
    ]
    return len(text.split()) <= MAX_CAPTION_WORDS and len(numbers) <= MAX_CAPTION_NUMBERS


def _unit_line(text: str) -> bool:
    """A line that only states a unit ("tusen kronor", "Belopp i tkr"): over a caption, it gives
    the table its unit."""
    return len(text.split()) <= MAX_UNIT_LINE_WORDS and find_unit(text) is not None


def block_tables(blocks: Sequence[Block]) -> list[Table]:
    """The tables of a document's table blocks (tab-separated rows from text, Markdown and Word),
    each with the short block before it as its caption and its offset in `Document.text`; a
    line stating a unit over the caption ("tusen kronor") gives the unit the caption does not.

    A table right after a table of the page before with the same header goes on from it (a table
    over a page break) and takes its caption; one with no unit of its own takes the unit of a
    table with the same header right before it on its page. A money table that states no unit
    takes the one the report's prose agrees with (`agreed_unit`).
    """
    tables: list[Table] = []
    offset = 0
    previous: Block | None = None
    earlier: Block | None = None  # the block before `previous`
    for block in blocks:
        if block.kind == TABLE:
            caption = previous.text if previous and _caption_like(previous.text) else ""
            notes = earlier.text if caption and earlier and _unit_line(earlier.text) else ""
            table = read_table(
                split_rows(block.text), caption=caption, page=block.page, ordinal=len(tables), notes=notes
            )
            if (
                table is not None
                and previous is not None
                and previous.kind == TABLE
                and tables
                and tables[-1].page == block.page - 1
                and tables[-1].header == table.header
            ):
                table = read_table(
                    split_rows(block.text), caption=tables[-1].caption, page=block.page, ordinal=len(tables)
                )
            if (
                table is not None
                and table.unit is None
                and tables
                and tables[-1].page == block.page
                and tables[-1].header == table.header
                and tables[-1].unit
            ):
                # One of a page's series of like tables under one unit line ("tusen kronor").
                table = read_table(
                    split_rows(block.text),
                    caption=caption,
                    page=block.page,
                    ordinal=len(tables),
                    notes=tables[-1].unit,
                )
            if table is not None:
                table.char_start, table.char_end = offset, offset + len(block.text)
                tables.append(table)
        offset += len(block.text) + len(BLOCK_SEPARATOR)
        previous, earlier = block, previous
    amounts = _prose_amounts("\n".join(block.text for block in blocks if block.kind != TABLE))
    for table in tables:
        unit = agreed_unit(table, amounts)
        if unit is not None:
            table.unit = unit
            table.figures = table_figures(table)
    return tables


def date_tables(tables: Sequence[Table], report_date: str | None) -> None:
    """Resolve periods relative to the report ("fg år", a month range without a year) once the
    document's date is known, and renew the figures' periods."""
    if not year_of(report_date):
        return
    for table in tables:
        before = {column.label: column.period for column in table.columns}
        for column in table.columns:
            relative = _REPORT_PERIOD_RE.search(column.label) or _WHOLE_YEAR_RE.search(column.label)
            if column.period is None or column.period.startswith("-") or relative:
                column.period = find_period(column.label, report_date)
        after = {column.label: column.period for column in table.columns}
        for figure in table.figures:
            # A cell that names its own year ("2019: 73,4%") keeps it.
            if figure.period == before.get(figure.column or ""):
                figure.period = after.get(figure.column or "", figure.period)
