"""Date and period normalization (lang/dates.py)."""

from __future__ import annotations

import pytest
from rapportsok.lang.dates import DAY_SPAN_IN_TEXT, DateError, DateValue, normalize_date, value_range, year_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", DateValue("2020", "2020-01-01", "2020-12-31")),
        ("28 januari 2020", DateValue("2020-01-28", "2020-01-28", "2020-01-28")),
        ("2021-06-15", DateValue("2021-06-15", "2021-06-15", "2021-06-15")),
        ("mars 2021", DateValue("2021-03", "2021-03-01", "2021-03-31")),
        ("februari 2020", DateValue("2020-02", "2020-02-01", "2020-02-29")),
        ("aug 2020", DateValue("2020-08", "2020-08-01", "2020-08-31")),
        ("2021-06", DateValue("2021-06", "2021-06-01", "2021-06-30")),
        ("2022-2024", DateValue("2022/2024", "2022-01-01", "2024-12-31")),
        ("2022–2025", DateValue("2022/2025", "2022-01-01", "2025-12-31")),
        ("2019/2020", DateValue("2019/2020", "2019-01-01", "2020-12-31")),
        ("2024/25", DateValue("2024/2025", "2024-01-01", "2025-12-31")),
        ("2027 -2031", DateValue("2027/2031", "2027-01-01", "2031-12-31")),
        ("januari–mars 2021", DateValue("2021-01/2021-03", "2021-01-01", "2021-03-31")),
        ("Januari till augusti 2019", DateValue("2019-01/2019-08", "2019-01-01", "2019-08-31")),
        ("tertial 1 2022", DateValue("2022-01/2022-04", "2022-01-01", "2022-04-30")),
        ("andra tertialet 2021", DateValue("2021-05/2021-08", "2021-05-01", "2021-08-31")),
        ("första halvåret 2023", DateValue("2023-01/2023-06", "2023-01-01", "2023-06-30")),
        ("andra halvåret 2023", DateValue("2023-07/2023-12", "2023-07-01", "2023-12-31")),
        ("hösten 2019", DateValue("2019-09/2019-11", "2019-09-01", "2019-11-30")),
        ("Våren 2018", DateValue("2018-03/2018-05", "2018-03-01", "2018-05-31")),
        ("vintern 2019", DateValue("2019-12/2020-02", "2019-12-01", "2020-02-29")),
        ("kvartal 4 2019", DateValue("2019-10/2019-12", "2019-10-01", "2019-12-31")),
        ("vecka 45", DateValue("W45")),
        ("vecka 45 2020", DateValue("2020-W45", "2020-11-02", "2020-11-08")),
        ("mars", DateValue("--03")),
        ("1 maj", DateValue("--05-01")),
        ("december månad 2017", DateValue("2017-12", "2017-12-01", "2017-12-31")),
        ("7-10 februari", DateValue("--02-07/--02-10")),
        ("1 januari–15 september", DateValue("--01-01/--09-15")),
        ("1 november 2016 till 31 december 2017",
         DateValue("2016-11-01/2017-12-31", "2016-11-01", "2017-12-31")),
    ],
)
def test_normalize_date(text: str, expected: DateValue) -> None:
    assert normalize_date(text) == expected


def test_year_from_context_for_a_part_of_a_year() -> None:
    assert normalize_date("tertial 2", 2022).value == "2022-05/2022-08"


@pytest.mark.parametrize("text", ["90 dagar", "tre år", "dnr 5-2018", "2023/28", "1177", "2021-13-01"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(DateError):
        normalize_date(text)


def test_year_of() -> None:
    assert year_of("2022-01/2022-04") == "2022"
    assert year_of("--03") is None
    assert year_of(None) is None


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        # A stored month value: December 2008, not the years 2008-2012 that the text "2008-12" may mean.
        ("2008-12", ("2008-12-01", "2008-12-31")),
        ("2021-03", ("2021-03-01", "2021-03-31")),
        ("2022/2024", ("2022-01-01", "2024-12-31")),
        ("2022-01/2022-04", ("2022-01-01", "2022-04-30")),
        ("2020/2019", ("2019-01-01", "2020-12-31")),
        ("2019-12-31", ("2019-12-31", "2019-12-31")),
        ("W05", None),
        ("--03", None),
        ("2008-13", None),
    ],
)
def test_value_range_reads_stored_values_as_iso(value, bounds):
    assert value_range(value) == bounds


def test_day_spans_in_running_text() -> None:
    text = ("Revir besöks under perioden 1 januari–15 september. Mötet hölls 7-10 februari 2020 och avtalet "
            "gäller 1 juni 2020 till 31 maj 2021, inte 1-2 månader eller 2019-2020.")
    assert [m.group() for m in DAY_SPAN_IN_TEXT.finditer(text)] == [
        "1 januari–15 september", "7-10 februari 2020", "1 juni 2020 till 31 maj 2021"]
