"""Tables without ruling lines in PDF text: lines of a header of years and rows of figures become
tab-separated rows, so the table block machinery (`ingest.structure`, `ingest.tables`) reads them
as it reads a tab table in a text file.

pypdf gives an unruled table as plain lines with spaces ("Personal 5 733 5 737 6 090"), and a
space is also the Swedish thousands separator, so a row's figures can be read more than one way.
Hand-written rules, conservative by design (a wrong column would show a wrong figure as certain):

- a header line ends in N >= 2 distinct period tokens (years, year ranges: "2010 2011 2012",
  "2008 2007", "2007–2008"), after at most a short label and optionally a "Not" (note) column;
- a row is a label and a value tail that splits into exactly N numbers in exactly one way, where
  a number is a first group of 1-3 digits followed by groups of exactly 3 digits (a first group
  of 4 or more digits stands alone), a decimal comma or a percent sign only at its end; a dash
  ("–", "-–") is an empty cell (or, in a row that reads no other way, a minus set apart from its
  number: "- 1 165") and a footnote mark ("*", "***") is no cell. Under a "Not" header
  (or a "Not" ending the first line under the header) a small whole number after the label may
  be the row's note, and the row is taken only when just one reading (with or without a note)
  exists;
- a line of figures only is the row of the label line(s) above it (a label wrapped over lines),
  the rest of the row above when that row had too few figures, or else the sum of the rows above
  ("Summa"), as financial statements print a group's total in a column of its own;
- a short label-only line between rows is a group row ("Antal besökare"), or the first part of
  a label wrapped onto the next row when that row's label starts in lower case;
- the table ends at the first other line (prose, a row that does not read as N figures, a
  pdfplumber tab row); it needs at least MIN_ROWS rows. When a line at most MAX_ODD_LINES
  further reads as a row again, the table goes on, the odd lines kept as label-only rows.

No library reads Swedish number spacing, hence hand-written (pdfplumber's "text" strategy split
words inside cells on our reports, see `ingest.pdf_tables`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from rapportsok.ingest.pdf import StyledLine
from rapportsok.ingest.records import SECTION_SEPARATOR
from rapportsok.ingest.tables import parse_cell

MIN_ROWS = 2
MAX_HEADER_LABEL_WORDS = 8
MAX_GROUP_LABEL_WORDS = 8
MAX_ODD_LINES = 3  # lines inside a table that do not read as its rows
MAX_ROW_LABEL_WORDS = 18  # a longer "label" is a sentence that happens to end in figures
MAX_NOTE = 99
MAX_TITLE_LINES = 2  # lines under a header line that title a column it lacks
MAX_SHARE = 100.0  # a cell of a period's share column ("2009 %") is a share of the whole
# More ways to read a row than this: too ambiguous to choose. A row of five figures of two 3-digit
# groups each ("Avskrivningar 512 604 433 129 587 311 690 245 702 118") reads 126 ways, of which
# the balance (`_cells`) still picks one.
MAX_READINGS = 1024
BALANCED = 3.0
UNBALANCED = 4.0
NOTE_STEP = 3  # notes a statement may skip between two rows (rows of other notes above)
_PERIOD_RE = re.compile(r"^(?:19|20)\d\d(?:[-–/](?:(?:19|20)\d\d|\d\d))?[*¹²³⁴⁵⁶⁷⁸⁹]?$")
_NOTE_HEADER_RE = re.compile(r"^not(?:er)?\.?$", re.IGNORECASE)
_DASH_RE = re.compile(r"^[-–−—]{1,3}$")
_FOOTNOTE_RE = re.compile(r"^(?:\*{1,4}|[¹²³⁴⁵⁶⁷⁸⁹]+)$")
_NOTE_REFERENCE_RE = re.compile(r"^[1-9]\)$")  # "Migrationsverket (tkr) 1)": a footnote, no cell
# A first group: an optional "(" and sign, digits without a leading zero (or a lone 0).
_START_RE = re.compile(r"^\(?[-−–]?(?:0|[1-9]\d*)(?:,\d+)?\)?%?$")
_GROUP_RE = re.compile(r"^\d{3}(?:,\d+)?\)?%?$")
_UNSIGNED_RE = re.compile(r"^(?:0|[1-9]\d*)(?:,\d+)?%?$")  # a first group a set-apart minus may sign
# A number grouped by no-break spaces ("1\xa0197\xa0595"): whitespace split leaves it whole.
_GROUPED_RE = re.compile(r"^\(?[-−–]?[1-9]\d{0,2}(?:[\xa0\u202f]\d{3})+(?:,\d+)?\)?%?$")
_NO_BREAK_RE = re.compile(r"[\xa0\u202f]")
_SPACES_RE = re.compile(r"[ \t\r\n]+")
_ENDS_RE = re.compile(r"(?:,\d+|\)|%)$")
# Words a header's label does not end in ("ökade mellan 2010 och 2011 2012" is prose), and after
# which a label-only line goes on on the next line.
_LINKING = frozenset(
    "och eller samt som om att där i på av till från med för mot över inom vid per mellan under sedan"
    " enligt jämfört".split()
)


def _is_dash(token: str) -> bool:
    return bool(_DASH_RE.match(token))


def _tokens(text: str) -> list[str]:
    """Whitespace tokens with a lone "%" joined to the number before it ("12,5 %" → "12,5%") and
    footnote marks dropped ("1 314 308 * 1 425 966", "kostnad (tkr) 1) 2 926": a digit and a
    closing parenthesis, which no figure in parentheses ends in, as its last group has 3 digits).
    Soft hyphens some PDFs draw for a minus or a dash are read so ("9 \xad 62": 9, -62)."""
    tokens: list[str] = []
    minus = False
    raw = _SPACES_RE.split(text.strip(" \t\r\n"))
    for index, token in enumerate(raw):
        if _FOOTNOTE_RE.match(token) or _NOTE_REFERENCE_RE.match(token):
            continue
        if token.strip("\xad") == "":
            minus = token == "\xad" and index + 1 < len(raw) and raw[index + 1][:1].isdigit()
            if minus:
                continue
            token = "–"
        elif minus:
            token, minus = f"-{token}", False
        if token == "%" and tokens and tokens[-1][-1:].isdigit():
            tokens[-1] += "%"
        else:
            tokens.append(token)
    return tokens


def _is_value_token(token: str) -> bool:
    return _is_dash(token) or bool(
        _START_RE.match(token) or _GROUP_RE.match(token) or _GROUPED_RE.match(token)
    )


def _split_tail(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The label tokens and the value tokens after the last token that cannot be a value."""
    at = len(tokens)
    while at > 0 and _is_value_token(tokens[at - 1]):
        at -= 1
    return tokens[:at], tokens[at:]


def _stands_alone(token: str) -> bool:
    """A first group of 4+ digits or one that ends in a decimal, ")" or "%" takes no more groups."""
    return len(token.strip("()−–-%").split(",")[0]) > 3 or bool(_ENDS_RE.search(token))


def _readings(
    tokens: list[str], count: int, limit: int = 2, shares: Sequence[float | None] = (), signs: bool = False
) -> list[list[str]]:
    """The ways (at most `limit`) the value tokens split into exactly `count` cells; a cell under a
    percent column is one token, never grouped, of at most the magnitude `shares` gives it (one
    a cell: None for a column of other figures). With `signs` a dash before a number may also be
    its minus sign set apart ("- 1 165": −1 165), not an empty cell of its own."""
    if any(_GROUPED_RE.match(token) for token in tokens):
        # Thousands set apart by no-break spaces: then a plain space parts cells, one a token,
        # unless a plain space also seems to group thousands ("1 234" beside "63\xa0003").
        cells = [_NO_BREAK_RE.sub(" ", token) for token in tokens]
        whole = all(_is_dash(token) or _GROUPED_RE.match(token) or _START_RE.match(token) for token in tokens)
        mixed = any(
            _START_RE.match(first) and not _stands_alone(first) and _GROUP_RE.match(second)
            for first, second in zip(tokens, tokens[1:], strict=False)
        )
        return [cells] if whole and not mixed and len(cells) == count else []
    found: list[list[str]] = []
    # (token, cells so far) states that led to no reading: what follows a state depends on these
    # two only, so each is explored once (a long row of 3-digit groups has exponentially many).
    dead: set[tuple[int, int]] = set()

    def walk(at: int, cells: list[str]) -> None:
        if len(found) >= limit or len(cells) > count or (at, len(cells)) in dead:
            return
        if at == len(tokens):
            if len(cells) == count:
                found.append(list(cells))
            return
        before = len(found)
        explore(at, cells)
        if len(found) == before:
            dead.add((at, len(cells)))

    def explore(at: int, cells: list[str]) -> None:
        token = tokens[at]
        if _is_dash(token):
            walk(at + 1, [*cells, token])
            if signs and len(token) == 1 and at + 1 < len(tokens) and _UNSIGNED_RE.match(tokens[at + 1]):
                number(at + 1, cells, token)
            return
        if _START_RE.match(token):
            number(at, cells, "")

    def number(at: int, cells: list[str], sign: str) -> None:
        """The readings with a number starting at token `at` (after `sign`) as the next cell."""
        token = sign + tokens[at]
        largest = shares[len(cells)] if len(cells) < len(shares) else None
        if largest is not None:
            share = parse_cell(token)
            if share is not None and abs(share[0]) <= largest:
                walk(at + 1, [*cells, token])
            return
        end = at + 1
        if not _stands_alone(token):
            while end < len(tokens) and _GROUP_RE.match(tokens[end]):
                # The number may stop before this group, or take it and go on; but "5" then "733"
                # is read as 5 733 only: 5 beside 733 is far likelier a thousands group than two
                # cells (a row with an empty cell would otherwise fill its count that way).
                if end > at + 1 or len(token.strip("()−–-")) > 2:
                    walk(end, [*cells, " ".join([token, *tokens[at + 1 : end]])])
                if len(found) >= limit:
                    return
                end += 1
                if _ENDS_RE.search(tokens[end - 1]):
                    break
        text = " ".join([token, *tokens[at + 1 : end]])
        if text.startswith("(") != text.endswith(")"):
            return
        walk(end, [*cells, text])

    walk(0, [])
    return found


def _share_title(tokens: list[str], at: int) -> bool:
    """A "%" right after a period token: the title of that period's share column."""
    return tokens[at] == "%" and at > 0 and bool(_PERIOD_RE.match(tokens[at - 1]))


def _header(text: str) -> tuple[str, list[str], bool] | None:
    """A header line's label, its column titles and whether a "Not" column stands before them.

    The titles are its period tokens; a "%" after a period is that period's share column
    ("2008 % 2009 %": "2008", "% 2008", "2009", "% 2009")."""
    if "\t" in text:
        return None
    tokens = text.split()
    at = len(tokens)
    while at > 0 and (_PERIOD_RE.match(tokens[at - 1]) or _share_title(tokens, at - 1)):
        at -= 1
    periods = [token for token in tokens[at:] if token != "%"]
    if len(periods) < 2 or len(set(periods)) != len(periods):
        return None
    titles = [f"% {tokens[i - 1]}" if token == "%" else token for i, token in enumerate(tokens) if i >= at]
    note = at > 0 and bool(_NOTE_HEADER_RE.match(tokens[at - 1]))
    label = tokens[: at - 1] if note else tokens[:at]
    if len(label) > MAX_HEADER_LABEL_WORDS or (label and label[-1].lower().strip(",") in _LINKING):
        return None
    if label and label[-1].endswith((".", ":")):
        return None
    return " ".join(label), titles, note


def _spread(cells: list[str]) -> float:
    """The largest over the smallest magnitude among a reading's numeric cells (1 for fewer than two)."""
    values = [abs(parsed[0]) for cell in cells if (parsed := parse_cell(cell)) and parsed[0]]
    return max(values) / min(values) if len(values) > 1 else 1.0


def _cells(
    values: list[str], count: int, note: bool, last_note: int = 0, shares: Sequence[float | None] = ()
) -> list[list[str]]:
    """The readings of a row's value tokens (the note first under a "Not" header).

    Of several readings one is still taken when the table says which:
    - the balanced reading ("431 986 | 417 499", not "431 | 986 417 499"): a row's cells are one
      measure over periods (its share columns aside), within BALANCED of each other, while every
      other reading's cells lie UNBALANCED times further apart than the balanced one's;
    - else, of a row that reads with and without a note ("2 581 608": note 2, or 2 581), the
      reading with the note when it is the next of the table's ascending notes (1 to NOTE_STEP
      after the last note).
    A dash is an empty cell ("- 1 200": none this year, 1 200 the year before) unless the row
    reads no way so: then a dash right before a number may be its minus sign set apart.
    """

    def read(signs: bool) -> tuple[list[list[str]], list[list[str]]]:
        found = _readings(values, count, MAX_READINGS, shares, signs)
        plain = [["", *cells] if note else cells for cells in found]
        noted: list[list[str]] = []
        if note and len(values) > 1 and values[0].isdigit() and 0 < int(values[0]) <= MAX_NOTE:
            with_note = _readings(values[1:], count, MAX_READINGS, shares, signs)
            noted = [[values[0], *cells] for cells in with_note]
        return plain, noted

    plain, noted = read(signs=False)
    if not plain and not noted:
        plain, noted = read(signs=True)  # only when a dash cannot be an empty cell: "- 1 165 -1 063 -697"
    readings = plain + noted
    if 1 < len(readings) < MAX_READINGS:
        # a share column's cells are another measure: the balance is that of the others
        measures = [share is None for share in shares] if shares else [True] * count
        spreads = sorted(
            (_spread([cell for cell, kept in zip(cells[int(note) :], measures, strict=True) if kept]), index)
            for index, cells in enumerate(readings)
        )
        best, index = spreads[0]
        if best <= BALANCED and all(other >= UNBALANCED * best for other, _ in spreads[1:]):
            return [readings[index]]
    if plain and len(noted) == 1 and 0 < last_note < int(noted[0][0]) <= last_note + NOTE_STEP:
        return noted
    return readings


def _row(
    text: str, count: int, note: bool, last_note: int = 0, shares: Sequence[float | None] = ()
) -> tuple[str, list[str]] | None:
    """A row's label ("" for a line of figures only) and its cells, when it reads one way."""
    label, values = _split_tail(_tokens(text))
    if not values or len(label) > MAX_ROW_LABEL_WORDS:
        return None
    if label and not any(ch.isalpha() for ch in " ".join(label)):
        return None
    readings = _cells(values, count, note, last_note, shares)
    if len(readings) != 1:
        return None
    return " ".join(label), readings[0]


def _wrapped_row(
    text: str, rest: str, count: int, note: bool, last_note: int = 0, shares: Sequence[float | None] = ()
) -> tuple[str, list[str]] | None:
    """A row whose figures go on on the next line, a line of figures only ("årets
    kapitalförändring –10 583" over "–5 121 –1 012 5 295 –7 790")."""
    label, values = _split_tail(_tokens(text))
    more_label, more = _split_tail(_tokens(rest))
    if not label or not values or more_label or not more:
        return None
    return _row(f"{text} {rest}", count, note, last_note, shares)


def _note_group(text: str) -> str | None:
    """Under a "Not" header, a group label that carries a note number ("Kostnader 11"): the label."""
    words = text.split()
    if len(words) > 1 and words[-1].isdigit() and 0 < int(words[-1]) <= MAX_NOTE:
        label = " ".join(words[:-1])
        return label if _group_label(label) else None
    return None


def _note_mark(text: str) -> str | None:
    """A first line under the header that ends in the note column's title ("Verksamhetens
    intäkter Not"): the group label before it ("" when none)."""
    words = text.split()
    if not words or not _NOTE_HEADER_RE.match(words[-1]):
        return None
    label = " ".join(words[:-1])
    return label if not label or _group_label(label) else None


def _group_label(text: str) -> bool:
    """A short label-only line: no trailing figures (nor a last word with digits: "9:20 3:59 5:18"),
    no sentence end."""
    words = text.split()
    if not words or len(words) > MAX_GROUP_LABEL_WORDS or "\t" in text:
        return False
    stripped = text.strip()
    return (
        any(ch.isalpha() for ch in stripped)
        and not stripped.endswith((".", ":", ";"))
        and not any(ch.isdigit() for ch in words[-1])
    )


def _continues(first: str, second: str) -> bool:
    """Whether `second` goes on from the label-only line `first` (one label over two lines)."""
    words = first.split()
    return (
        first.rstrip().endswith(("-", ","))
        or (bool(words) and words[-1].lower() in _LINKING)
        or second[:1].islower()
        or second.startswith("(")
    )


def _joined(first: str, second: str) -> str:
    first = first.strip()
    if first.endswith("-") and second[:1].islower():
        return first[:-1] + second  # a word hyphenated at the line end
    return f"{first} {second.strip()}"


def _group(lines: list[str]) -> str:
    """Label-only lines above a row as one group label: a wrapped label joined, a group and its
    subgroup ("Service", "Verksamhetens intäkter och kostnader") kept apart by the section sign."""
    label = lines[0].strip()
    for line in lines[1:]:
        label = (
            _joined(label, line) if _continues(label, line) else f"{label}{SECTION_SEPARATOR}{line.strip()}"
        )
    return label


def _sub_header(text: str, count: int) -> bool:
    """A line right under the header with one word per column, some repeated ("antal antal
    Procutv Procutv"): the columns' second header row (a line of distinct words is a group label)."""
    words = text.split()
    return (
        len(words) == count
        and len({word.casefold() for word in words}) < count  # "antal antal antal Procutv Procutv"
        and not any(_is_value_token(word) for word in words)
    )


def _shares(titles: Sequence[str]) -> tuple[float | None, ...]:
    """The largest magnitude of each column's percentages: MAX_SHARE under a period's share ("%
    2009"), none under another title with "%" ("Förändring i %"); None for other figures."""
    return tuple(
        MAX_SHARE if title.startswith("% ") else math.inf if "%" in title else None for title in titles
    )


def _title_line(text: str) -> bool:
    """A short line of words, "%" and periods only ("Förändring i %", "2008-2009")."""
    words = text.split()
    return 0 < len(words) <= MAX_HEADER_LABEL_WORDS and all(
        _PERIOD_RE.match(word) or not any(ch.isdigit() for ch in word) for word in words
    )


def _title_below(
    lines: list[StyledLine], first: int, titles: list[str], note: bool
) -> tuple[str, int] | None:
    """The title of a last column that the header line lacks, on up to MAX_TITLE_LINES lines under
    it ("Förändring i %" over "2008-2009"), and the index of the first row: when that row reads with
    one cell more than the header line has titles, and not without it."""
    title: list[str] = []
    at = first
    while at < len(lines) and len(title) < MAX_TITLE_LINES and _title_line(lines[at].text):
        if "\t" in lines[at].text or _note_mark(lines[at].text) is not None:
            return None  # the note column's title stands under the years: no column at the end
        title.append(lines[at].text.strip())
        at += 1
    if not title or at >= len(lines) or "\t" in lines[at].text:
        return None
    wider = [*titles, " ".join(title)]
    if _row(lines[at].text, len(titles), note, 0, _shares(titles)) is not None:
        return None
    if _row(lines[at].text, len(wider), note, 0, _shares(wider)) is None:
        return None
    return wider[-1], at


# A table's header as read: its label, its column titles (periods, share columns), whether it has
# a note column, the last note.
Head = tuple[str, list[str], bool, int]


def _table(
    lines: list[StyledLine], start: int, head: Head | None = None
) -> tuple[list[str], int, Head] | None:
    """The tab rows of a table whose header is lines[start], the index after its last row and the
    header read. With `head`, lines[start] is already a row: the table goes on under that header."""
    if head is None:
        read = _header(lines[start].text)
        if read is None:
            return None
        head, first = (*read, 0), start + 1
        below = _title_below(lines, first, read[1], read[2])
        if below is not None:
            head, first = (read[0], [*read[1], below[0]], read[2], 0), below[1]
    else:
        first = start
    label, periods, note, last_note = head
    count = len(periods)
    shares = _shares(periods)
    rows = 0
    end = first
    pending: list[str] = []  # label-only lines not yet followed by a row
    body: list[str] = []
    at = first
    skipped = 0  # blank lines right under the header
    while at < len(lines):
        text = lines[at].text
        if not text.strip():
            skipped += at == first + skipped
            at += 1
            continue
        if _header(text) is not None:
            break  # the next table's header
        at_top = at == first + skipped and rows == 0 and not pending
        mark = _note_mark(text) if at_top and not note and "\t" not in text else None
        if mark is not None:
            note = True  # the note column's title stands on the line under the years
            if mark:
                pending.append(mark)
            at += 1
            continue
        row = _row(text, count, note, last_note, shares) if "\t" not in text else None
        if row is None and at + 1 < len(lines) and "\t" not in text + lines[at + 1].text:
            row = _wrapped_row(text, lines[at + 1].text, count, note, last_note, shares)
            if row is not None:
                at += 1
        if row is not None:
            row_label, cells = row
            if not row_label:
                if pending:
                    row_label, pending = _group(pending), []  # the label stood on its own line
                elif rows:
                    row_label = "Summa"  # a group's total in a column of its own
                else:
                    break
            while pending and _continues(pending[-1], row_label):
                row_label = _joined(pending.pop(), row_label)  # a label wrapped over lines
            if pending:
                group = _group(pending)
                # capitalised, or the table reader takes it for the wrapped rest of the row above
                body.append(group[:1].upper() + group[1:] + "\t")
            body.append("\t".join([row_label, *cells]))
            if note and cells[0]:
                last_note = int(cells[0])
            pending = []
            rows += 1
            at += 1
            end = at
            continue
        if at_top and _sub_header(text, count):
            body.append("\t".join(["", *text.split()]))
            at += 1
            continue
        group = _note_group(text) if note else None
        if group is None and _group_label(text):
            group = text
        elif group is None and rows and text.rstrip().endswith(":") and _group_label(text.rstrip()[:-1]):
            group = text.rstrip()[:-1]  # "Utgiftsområde:" over its rows
        if group is not None and len(pending) < 2:
            pending.append(group)
            at += 1
            continue
        break
    if rows < (1 if first == start else MIN_ROWS):
        return None
    header = "\t".join([label, *(["Not"] if note else []), *periods])
    return [header, *body], end, (label, periods, note, last_note)


def _resumes(lines: list[StyledLine], at: int, head: Head) -> tuple[int, tuple[list[str], int, Head]] | None:
    """Where the rest of a table starts after up to MAX_ODD_LINES odd lines from lines[at] (rows
    that do not read as N figures, a group label above them), and that rest, when a line there
    reads as a row under the same header."""
    for start in range(at + 1, min(at + 1 + MAX_ODD_LINES, len(lines))):
        odd = lines[start - 1].text
        if not odd.strip() or "\t" in odd or _header(odd) is not None:
            return None
        found = _table(lines, start, head)
        if found is not None and found[1] > start:
            return start, found
    return None


def _odd_row(text: str) -> str:
    """An odd line inside a table as a row of its label column only, capitalised (or the table
    reader takes it for the wrapped rest of the row above); `ingest.tables` reads a label-only
    row that ends in a figure as no group label."""
    text = text.strip()
    return text[:1].upper() + text[1:] + "\t"


def with_text_tables(lines: list[StyledLine]) -> list[StyledLine]:
    """A page's lines with each unruled table (header of periods, rows of figures) rewritten as
    tab-separated lines; lines that are already tab rows (ruled tables) are left alone, but the
    first of them right after such a table starts a table of its own."""
    result: list[StyledLine] = []
    at = 0
    after_table = False
    while at < len(lines):
        if after_table and "\t" in lines[at].text:
            result.append(replace(lines[at], starts_table=True))
            at += 1
            after_table = False
            continue
        after_table = after_table and not lines[at].text.strip()
        found = _table(lines, at)
        if found is None:
            result.append(lines[at])
            at += 1
            continue
        rows, end, head = found
        opens = True  # the first part's header line opens the table
        while True:
            top = lines[at]
            for index, row in enumerate(rows):
                result.append(replace(top, text=row, bold=False, starts_table=opens and not index))
            opens = False
            at = end
            resumed = _resumes(lines, at, head)
            if resumed is None:
                break
            start, (rest, end, head) = resumed
            result += [replace(line, text=_odd_row(line.text), bold=False) for line in lines[at:start]]
            rows = rest[1:]  # the same table goes on: its header is not repeated
            at = start
        after_table = True
    return result
