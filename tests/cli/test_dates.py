"""Tests for tbtrack.cli.dates: dates typed on the command line and $TBTRACK_TODAY."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tbtrack.cli.dates import ACCEPTED_FORMS, DateInputError, parse_cli_date, today_from_env

D = date
TODAY = D(2025, 1, 31)  # a Friday at the end of a 31-day month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-15", D(2025, 6, 15)),
        ("2025-6-5", D(2025, 6, 5)),
        ("15/6/2025", D(2025, 6, 15)),
        ("15/06/2025", D(2025, 6, 15)),
        ("5/6/2025", D(2025, 6, 5)),
        ("05/06/2025", D(2025, 6, 5)),
        ("15-6-2025", D(2025, 6, 15)),
        ("15.06.2025", D(2025, 6, 15)),
        ("29/2/2024", D(2024, 2, 29)),
        ("  15/6/2025\n", D(2025, 6, 15)),
        ("today", TODAY),
        ("Today", TODAY),
        (" TODAY ", TODAY),
        ("tomorrow", D(2025, 2, 1)),
        ("yesterday", D(2025, 1, 30)),
        ("hôm nay", TODAY),
        ("Hôm  nay", TODAY),
        ("ngày mai", D(2025, 2, 1)),
        ("hôm qua", D(2025, 1, 30)),
        ("ho\u0302m nay", TODAY),  # decomposed (NFD) input
        ("hom nay", TODAY),
        ("ngay mai", D(2025, 2, 1)),
        ("+7d", D(2025, 2, 7)),
        ("-7d", D(2025, 1, 24)),
        ("+0d", TODAY),
        ("+7D", D(2025, 2, 7)),
        ("-2w", D(2025, 1, 17)),
        ("+2w", D(2025, 2, 14)),
        ("+1m", D(2025, 2, 28)),  # clamped to the end of February
        ("-1m", D(2024, 12, 31)),
        ("+13m", D(2026, 2, 28)),
        ("+1y", D(2026, 1, 31)),
        ("-1y", D(2024, 1, 31)),
    ],
)
def test_parse_cli_date(text: str, expected: date) -> None:
    assert parse_cli_date(text, TODAY) == expected


def test_leap_day_plus_one_year() -> None:
    assert parse_cli_date("+1y", D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/6/2025", "does not exist"),
        ("2025-06-31", "does not exist"),
        ("29/2/2025", "does not exist"),
        ("2025-02-29", "does not exist"),
        ("0/6/2025", "does not exist"),
        ("15/13/2025", "no month 13"),
        ("2025-00-10", "no month 0"),
        ("0000-01-01", "no year 0"),
        ("", "no date given"),
        ("   ", "no date given"),
        ("foo", "is not a date"),
        ("7d", "is not a date"),
        ("+7", "is not a date"),
        ("+7x", "is not a date"),
        ("2025/06/15", "is not a date"),
        ("15/6/25", "is not a date"),
        ("15/6-2025", "is not a date"),
        ("6/15", "is not a date"),
        ("next friday", "is not a date"),
        ("+1000000d", "is not a date"),
        ("+999999y", "outside the calendar"),
    ],
)
def test_parse_cli_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(DateInputError, match=reason) as caught:
        parse_cli_date(text, TODAY)
    message = str(caught.value)
    for form in ("2025-06-15", "15/6/2025", "15/06/2025", "today", "tomorrow", "+7d", "-2w"):
        assert form in message
    assert caught.value.text == text


def test_accepted_forms_cover_the_spec() -> None:
    for form in ("2025-06-15", "15/6/2025", "15/06/2025", "today", "tomorrow", "+7d", "-2w"):
        assert form in ACCEPTED_FORMS
        parse_cli_date(form, TODAY)


def test_date_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_cli_date("nope", TODAY)


def test_today_from_env() -> None:
    assert today_from_env({}, TODAY) is None
    assert today_from_env({"TBTRACK_TODAY": ""}, TODAY) is None
    assert today_from_env({"TBTRACK_TODAY": "  "}, TODAY) is None
    assert today_from_env({"TBTRACK_TODAY": "2025-06-15"}, TODAY) == D(2025, 6, 15)
    assert today_from_env({"TBTRACK_TODAY": " 2025-06-15\n"}, TODAY) == D(2025, 6, 15)
    assert today_from_env({"OTHER": "x"}, TODAY) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/6/2025", D(2025, 6, 15)),
        ("2025-6-15", D(2025, 6, 15)),
        ("today", TODAY),
        ("hôm qua", TODAY - timedelta(days=1)),
        ("+1w", TODAY + timedelta(weeks=1)),
    ],
)
def test_today_from_env_takes_the_forms_of_as_of(value: str, expected: date) -> None:
    assert today_from_env({"TBTRACK_TODAY": value}, TODAY) == expected
    assert today_from_env({"TBTRACK_TODAY": value}, TODAY) == parse_cli_date(value, TODAY)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-06-31", "does not exist"),
        ("2025-13-01", "no month 13"),
        ("next week", "TBTRACK_TODAY: not a date"),
    ],
)
def test_today_from_env_rejects(value: str, reason: str) -> None:
    with pytest.raises(DateInputError, match=reason) as caught:
        today_from_env({"TBTRACK_TODAY": value}, TODAY)
    assert "TBTRACK_TODAY" in str(caught.value)
    assert "15/6/2025" in str(caught.value)  # the accepted forms are shown
