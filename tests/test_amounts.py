"""Number, amount and percent normalization (lang/amounts.py)."""

from __future__ import annotations

import pytest
from rapportsok.lang.amounts import parse_amount, parse_percent
from rapportsok.lang.numbers import NumberError, format_number, normalize_spaces, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 mnkr", 27e6),
        ("831 tkr", 831e3),
        ("1,4 mdkr", 1.4e9),
        ("8 712,1 mnkr", 8712.1e6),
        ("8\u00a0712,1 mnkr", 8712.1e6),
        ("8\u202f712,1\u00a0mnkr", 8712.1e6),
        ("12 000 000 kr", 12e6),
        ("12\u2009000\u2009000 kronor", 12e6),
        ("27,4 miljoner kronor", 27.4e6),
        ("386,2 miljoner", 386.2e6),
        ("3 miljarder kronor", 3e9),
        ("5 MSEK", 5e6),
        ("250 kr", 250.0),
        ("447,0 Mkr", 447e6),
        ("−12 mnkr", -12e6),
        ("-1,5 mkr", -1.5e6),
        ("–7 tkr", -7e3),
        ("10–15 mnkr", 10e6),
        ("1.5 mkr", 1.5e6),
        ("1.200 kr", 1200.0),
        ("tre miljoner kronor", 3e6),
        ("en halv miljard", 0.5e9),
        ("två mdkr", 2e9),
    ],
)
def test_parse_amount(text: str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)


def test_qualifier_is_outside_the_span_but_the_number_still_reads() -> None:
    # The guide puts "ca" outside the span; the tagger hands over "27 mnkr" only.
    assert parse_amount("ca 27 mnkr".removeprefix("ca ")) == 27e6


@pytest.mark.parametrize("text", ["27 invånare", "mnkr", "56 000 norrbottningar", "27 procentenheter"])
def test_not_an_amount(text: str) -> None:
    with pytest.raises(NumberError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80,1 procent", 80.1), ("6,6 %", 6.6), ("6,6%", 6.6), ("−0,4 procent", -0.4), ("+5,9 %", 5.9),
     ("en procent", 1.0), ("noll procent", 0.0), ("100\u00a0%", 100.0)],
)
def test_parse_percent(text: str, expected: float) -> None:
    assert parse_percent(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["27 procentenheter", "25 (", "4,827 4,812"])
def test_not_a_percent(text: str) -> None:
    with pytest.raises(NumberError):
        parse_percent(text)


def test_parse_number_and_spaces() -> None:
    assert parse_number("8 712,1") == pytest.approx(8712.1)
    assert parse_number("−0,4") == pytest.approx(-0.4)
    assert normalize_spaces("1\u00a0000\u2009kr") == "1 000 kr"
    with pytest.raises(NumberError):
        parse_number("abc")


def test_format_number_is_swedish() -> None:
    assert format_number(0.8666, 2) == "0,87"
    assert format_number(27.0, 1, trim=True) == "27"
    assert format_number(27.44, 1, trim=True) == "27,4"
    assert format_number(3.0) == "3,0"
