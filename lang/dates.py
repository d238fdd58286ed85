"""Swedish dates and periods: month names, years, tertial, kvartal, halvår, seasons, weeks -> ISO.

A DATE value is an ISO prefix ("2020", "2020-03", "2020-01-28"), a period
"START/END" ("2022/2024", "2022-01/2022-04"), a date without a year
("--03", "--05-01") or a week ("W45", "2020-W45"); see models/ner/ANNOTATION.md.
Where the period can be known, `start`/`end` are full ISO dates so that
figures can be filtered by time.

dateparser reads the ordinary dates ("28 januari 2020", "mars 2021"). It has
no notion of tertial, halvår, seasons, Swedish week numbers or a month without
a year, so those are small hand-written rules below.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache, lru_cache
from typing import NamedTuple

from rapportsok.lang.numbers import normalize_spaces

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
# Swedish seasons as the annotation guide defines them (winter runs into the next year).
SEASONS = {"vår": (3, 5), "sommar": (6, 8), "höst": (9, 11), "vinter": (12, 2)}
ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "1:a": 1, "2:a": 2, "3:e": 3, "4:e": 4}
DASH = "-\u2013\u2014\u2212"

# Any year a date can name (a regex fragment).
YEAR = r"(?:19|20)\d\d"
# A year a question or a figure's text means when it stands alone as a number: 1950-2099, so that
# counts such as "1900 medarbetare" are not read as years. Matches a whole number only.
REPORT_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_MONTH_WORD = "|".join(sorted([*MONTHS, *MONTH_ABBREVIATIONS], key=len, reverse=True))


@cache
def _dateparser():
    """Imported on first need: dateparser took 0.1-0.2 s of every cold `rapportsok ask`, and
    most questions name no date that the rules below do not read."""
    import dateparser

    return dateparser.date.DateDataParser(
        languages=["sv"], settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]}
    )


class DateValue(NamedTuple):
    """A normalized DATE: ISO prefix value plus full ISO start/end dates when known."""

    value: str
    start: str | None = None
    end: str | None = None


class DateError(ValueError):
    """Raised when a text is not a date we can normalize."""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int, end_year: int | None = None) -> DateValue:
    """A period of whole months, e.g. tertial 1 2022 -> 2022-01/2022-04."""
    end_year = year if end_year is None else end_year
    return DateValue(
        f"{year}-{first:02d}/{end_year}-{last:02d}",
        dt.date(year, first, 1).isoformat(),
        _month_end(end_year, last).isoformat(),
    )


def _year(year: int) -> DateValue:
    return DateValue(str(year), f"{year}-01-01", f"{year}-12-31")


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS.get(word)


def _ordinal(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else ORDINALS.get(word)


def _special(text: str, year: int | None) -> DateValue | None:
    """Hand-written rules for what dateparser does not know (tertial, halvår, season, week, bare month)."""
    lower = text.lower()
    if match := re.fullmatch(rf"(?:tertial|t)\s*(\d)(?:\s*[,:]?\s*({YEAR}))?", lower):
        number, year = int(match[1]), int(match[2]) if match[2] else year
        if 1 <= number <= 3 and year:
            return _months(year, 4 * number - 3, 4 * number)
    if match := re.fullmatch(rf"(\S+)\s+tertialet(?:\s+({YEAR}))?", lower):
        number, year = _ordinal(match[1]), int(match[2]) if match[2] else year
        if number and 1 <= number <= 3 and year:
            return _months(year, 4 * number - 3, 4 * number)
    if match := re.fullmatch(rf"(?:kvartal|q)\s*(\d)(?:\s*[,:]?\s*({YEAR}))?", lower):
        number, year = int(match[1]), int(match[2]) if match[2] else year
        if 1 <= number <= 4 and year:
            return _months(year, 3 * number - 2, 3 * number)
    if match := re.fullmatch(rf"(\S+)\s+kvartalet(?:\s+({YEAR}))?", lower):
        number, year = _ordinal(match[1]), int(match[2]) if match[2] else year
        if number and 1 <= number <= 4 and year:
            return _months(year, 3 * number - 2, 3 * number)
    if match := re.fullmatch(rf"halvår\s*([12])(?:\s*[,:]?\s*({YEAR}))?", lower):
        number, year = int(match[1]), int(match[2]) if match[2] else year
        if year:
            return _months(year, 1, 6) if number == 1 else _months(year, 7, 12)
    if match := re.fullmatch(rf"(första|andra|1:a|2:a)\s+halvåret(?:\s+({YEAR}))?", lower):
        number, year = _ordinal(match[1]), int(match[2]) if match[2] else year
        if year:
            return _months(year, 1, 6) if number == 1 else _months(year, 7, 12)
    if match := re.fullmatch(rf"(vår|sommar|höst|vinter)(?:en|n)?\s+({YEAR})", lower):
        first, last = SEASONS[match[1]]
        season_year = int(match[2])
        return _months(season_year, first, last, season_year + 1 if last < first else None)
    if match := re.fullmatch(rf"(?:vecka|v\.?)\s*(\d{{1,2}})(?:\s*[,]?\s*({YEAR}))?", lower):
        week = int(match[1])
        if not 1 <= week <= 53:
            return None
        if match[2]:
            week_year = int(match[2])
            start = dt.date.fromisocalendar(week_year, week, 1)
            return DateValue(
                f"{week_year}-W{week:02d}", start.isoformat(), (start + dt.timedelta(days=6)).isoformat()
            )
        return DateValue(f"W{week:02d}")
    if match := re.fullmatch(
        rf"({_MONTH_WORD})\.?(?:\s*[{DASH}]\s*|\s+till\s+)({_MONTH_WORD})\.?(?:\s+({YEAR}))?", lower
    ):
        first, last = _month_number(match[1]), _month_number(match[2])
        if first and last and match[3]:
            return _months(int(match[3]), first, last)
        if first and last:
            return DateValue(f"--{first:02d}/--{last:02d}")
    if month := _month_number(lower):
        return DateValue(f"--{month:02d}")
    if match := re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH_WORD})\.?", lower):
        month, day = _month_number(match[2]), int(match[1])
        if month and 1 <= day <= calendar.monthrange(2024, month)[1]:
            return DateValue(f"--{month:02d}-{day:02d}")
    return None


@lru_cache(maxsize=4096)
def normalize_date(text: str, year: int | None = None) -> DateValue:
    """Normalize a DATE span ("28 januari 2020" -> 2020-01-28; "2022-2024" -> 2022/2024).

    `year` is used only for spans that name a part of a year without the year
    itself ("tertial 1" in a 2022 report). Raises DateError for anything that
    is not a date, such as "90 dagar".
    """
    cleaned = re.sub(r"\s+", " ", normalize_spaces(text)).strip().strip(",.")
    cleaned = re.sub(r"\s+månad\b", "", cleaned, flags=re.IGNORECASE)
    # Years, year ranges and ISO dates (most DATE spans) are read by the regexes below:
    # dateparser reads "2021-06-15" too, but takes 1-3 ms a call, and it has no year ranges.
    if match := re.fullmatch(rf"(.*?\d|\d{{1,2}}\s+(?:{_MONTH_WORD}))\s*(?:till|[{DASH}])\s*(\d.+)", cleaned,
                             flags=re.IGNORECASE):
        period = _date_range(match[1], match[2], year)
        if period is not None:
            return period
    if re.fullmatch(YEAR, cleaned):
        return _year(int(cleaned))
    if match := re.fullmatch(rf"({YEAR})\s*([{DASH}/])\s*((?:19|20)?\d\d)", cleaned):
        first, second = match[1], match[3]
        second = first[:2] + second if len(second) == 2 else second
        # "2019/2020", "2024/25" are split years; "2023/28" is a diary number (dnr), not a period.
        if int(second) > int(first) and (match[2] != "/" or int(second) == int(first) + 1):
            return DateValue(f"{first}/{second}", f"{first}-01-01", f"{second}-12-31")
    if match := re.fullmatch(rf"({YEAR})-(\d\d)-(\d\d)", cleaned):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as error:
            raise DateError(f"no such date: {text!r}") from error
        return DateValue(day.isoformat(), day.isoformat(), day.isoformat())
    if match := re.fullmatch(rf"({YEAR})-(\d\d)", cleaned):
        year_, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return DateValue(
                f"{year_}-{month:02d}", f"{year_}-{month:02d}-01", _month_end(year_, month).isoformat()
            )
    special = _special(cleaned, year)
    if special is not None:
        return special
    if re.search(YEAR, cleaned) and re.search(r"[a-zåäö]", cleaned, re.IGNORECASE):
        parsed = _dateparser().get_date_data(cleaned)
        if parsed.date_obj is not None:
            day = parsed.date_obj.date()
            if parsed.period == "day":
                return DateValue(day.isoformat(), day.isoformat(), day.isoformat())
            if parsed.period == "month":
                return DateValue(
                    f"{day.year}-{day.month:02d}",
                    f"{day.year}-{day.month:02d}-01",
                    _month_end(day.year, day.month).isoformat(),
                )
            return _year(day.year)
    raise DateError(f"not a date: {text!r}")


def _date_range(first_text: str, last_text: str, year: int | None) -> DateValue | None:
    """ "1 november 2016 till 31 december 2017" and "7-10 februari" as one START/END period."""
    month = re.search(r"\s(\S+(?:\s\d{4})?)$", last_text)
    if re.fullmatch(r"\d{1,2}", first_text.strip()) and month:
        first_text = f"{first_text} {month[1]}"
    try:
        first, last = normalize_date(first_text, year), normalize_date(last_text, year)
    except DateError:
        return None
    if "/" in first.value or "/" in last.value:
        return None
    return DateValue(f"{first.value}/{last.value}", first.start, last.end)


def value_range(value: str) -> tuple[str, str] | None:
    """First and last ISO day of a stored value ("2008-12", "2022/2024", "2022-01/2022-04"), or None
    for one without a year ("W05", "--03"). Read as ISO, never as text: `normalize_date` would read
    "2008-12" as the years 2008-2012, as a report's text may mean it."""
    bounds = []
    for part in value.split("/"):
        if re.fullmatch(YEAR, part):
            bounds.append((f"{part}-01-01", f"{part}-12-31"))
        elif match := re.fullmatch(rf"({YEAR})-(\d\d)", part):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                return None
            bounds.append((f"{part}-01", _month_end(year, month).isoformat()))
        else:
            try:
                day = dt.date.fromisoformat(part).isoformat()
            except ValueError:
                return None
            bounds.append((day, day))
    # A range written backwards ("2020/2019", columns in falling years) covers the same days.
    return min(first for first, _ in bounds), max(last for _, last in bounds)


def year_of(value: str | None) -> str | None:
    """The first year in an ISO prefix value ("2022-01/2022-04" -> "2022"), or None."""
    if not value:
        return None
    match = re.match(YEAR, value)
    return match.group() if match else None


# Where a date or period with a year stands in running text ("mars 2021", "2022-2024", "tertial 1
# 2022", "första halvåret 2020", "januari–mars 2026", "jan-mars 2026", a split year "läsåret
# 2011/12"); `normalize_date` reads what
# this finds. A bare "mars" is left out: it says nothing a period could be matched against.
PERIOD_IN_TEXT = re.compile(
    r"\b(?:(?:(?:första|andra|1:a|2:a)\s+halvåret|tertial\s*\d|(?:första|andra|tredje)\s+tertialet"
    rf"|(?:vår|sommar|höst|vinter)(?:en|n)?|(?:(?:{_MONTH_WORD})\.?(?:\s*[{DASH}]\s*|\s+till\s+))?"
    r"(?:\d{1,2}\s+)?(?:" + "|".join(MONTHS) + r"))\s+)?"
    r"(?:19[5-9]\d|20\d\d)(?:\s*[-–]\s*(?:19[5-9]\d|20\d\d)|/(?:19[5-9]\d|20\d\d|\d\d))?\b",
    re.IGNORECASE,
)


# A span of days written out ("1 januari–15 september", "7–10 februari", "1 juni 2020 till 31 maj
# 2021"): one period, which NER tags as two dates or only its last month.
DAY_SPAN_IN_TEXT = re.compile(
    rf"\b\d{{1,2}}(?:\s+(?:{_MONTH_WORD})(?:\s+{YEAR})?)?\s*(?:[{DASH}]|\s+till\s+)\s*"
    rf"\d{{1,2}}\s+(?:{_MONTH_WORD})\b(?:\s+{YEAR}\b)?",
    re.IGNORECASE,
)

# "vid slutet av", "i början av", "vid utgången av": where in a period, said before its date. Their
# nouns say when, never what: "slutet" is no match for a question's "slutade".
_POINT_IN_PERIOD = re.compile(
    r"\b(?:vid|i|under|fram\s+till|till|från|före|efter|mot)\s+"
    r"(?:slutet|början|mitten|utgången|ingången|inledningen)\s+av\b",
    re.IGNORECASE,
)


def without_points_in_periods(text: str) -> str:
    """`text` with "vid slutet av" and the like blanked out (same length, so offsets stay valid)."""
    return _POINT_IN_PERIOD.sub(lambda m: " " * len(m.group()), text)


# A preposition that ties a year to what happens then ("flyttas till 2026", "inför 2027").
_TIME_PREPOSITION = re.compile(
    r"\b(till|från|inför|efter|före|sedan|fram\s+till|t\.?\s?o\.?\s?m\.?)\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def time_phrases(text: str) -> set[str]:
    """The year phrases of a text with their preposition, normalised ("till 2026"): a question that
    quotes one asks about what its sentence says of that time."""
    return {" ".join(m.group(1).casefold().split()) + " " + m.group(2)
            for m in _TIME_PREPOSITION.finditer(text)}
