"""ISO weeks and UK bank holidays (app/core/isoweek.py, app/core/holidays.py)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from app.core import holidays
from app.core.isoweek import (
    IsoWeek,
    Week,
    current_week,
    format_week,
    parse_week,
    week_has_started,
    week_range,
    weeks_in_year,
)


def test_parse_and_format():
    week = parse_week("2026-W49")
    assert (week.year, week.number) == (2026, 49)
    assert week == "2026-W49" and str(week) == "2026-W49"
    assert week.monday == date(2026, 11, 30)
    assert week.sunday == date(2026, 12, 6)
    assert format_week(date(2026, 12, 6)) == "2026-W49"
    assert format_week(week) == "2026-W49"
    assert Week.from_parts(2027, 1) == "2027-W01"


@pytest.mark.parametrize("text", ["2026-W00", "2026-W54", "2027-W53", "2026-49", "2026-w49",
                                  "26-W49", "2026-W4", " 2026-W49", "1999-W10", "2026-W49\n",
                                  "\uff12\uff10\uff12\uff16-W49"])
def test_bad_weeks_are_refused(text):
    with pytest.raises(ValueError):
        parse_week(text)


def test_years_with_53_weeks():
    assert weeks_in_year(2026) == 53 and weeks_in_year(2027) == 52 and weeks_in_year(2032) == 53
    assert parse_week("2026-W53").monday == date(2026, 12, 28)
    assert parse_week("2026-W53").sunday == date(2027, 1, 3)


def test_week_of_a_date_across_new_year():
    assert Week.of(date(2027, 1, 1)) == "2026-W53"
    assert Week.of(date(2027, 1, 4)) == "2027-W01"
    assert Week.of(date(2024, 12, 30)) == "2025-W01"


def test_ranges_and_arithmetic():
    weeks = list(week_range(Week("2026-W51"), Week("2027-W02")))
    assert weeks == ["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert list(week_range(Week("2027-W02"), Week("2026-W51"))) == []
    assert Week("2026-W52").plus(2) == "2027-W01"
    assert Week("2027-W01").plus(-1) == "2026-W53"
    assert Week("2026-W49").weeks_until(Week("2027-W10")) == 14
    assert sorted([Week("2027-W01"), Week("2026-W53")]) == ["2026-W53", "2027-W01"]


def test_a_week_has_started_from_its_monday_in_london():
    week = Week("2026-W49")
    assert not week_has_started(week, date(2026, 11, 29))  # the Sunday before
    assert week_has_started(week, date(2026, 11, 30))  # its Monday
    assert week_has_started(week, date(2027, 1, 1))
    assert current_week(date(2026, 11, 25)) == "2026-W48"


def test_iso_week_as_a_pydantic_field():
    class Body(BaseModel):
        week: IsoWeek

    body = Body.model_validate({"week": "2026-W49"})
    assert isinstance(body.week, Week) and body.week.monday == date(2026, 11, 30)
    assert body.model_dump(mode="json") == {"week": "2026-W49"}
    for bad in ("2026-W60", 202649, None, "x"):
        with pytest.raises(ValidationError):
            Body.model_validate({"week": bad})
    assert Body.model_json_schema()["properties"]["week"]["type"] == "string"


@pytest.mark.parametrize(
    ("week", "nation", "days", "names"),
    [
        ("2026-W52", "England", 4, ["Christmas Day"]),
        ("2026-W52", "Scotland", 4, ["Christmas Day"]),
        ("2026-W53", "England", 3, ["Boxing Day (observed)", "New Year's Day"]),
        ("2027-W01", "England", 5, []),
        ("2027-W01", "Scotland", 4, ["New Year Holiday (observed)"]),
        ("2027-W11", "Northern Ireland", 4, ["Saint Patrick's Day"]),
        ("2027-W11", "England", 5, []),
        ("2027-W13", "Wales", 4, ["Easter Monday"]),
        ("2027-W13", "Scotland", 5, []),
        ("2027-W31", "Scotland", 4, ["Summer Bank Holiday"]),
        ("2027-W31", "England", 5, []),
        ("2027-W28", "Northern Ireland", 4, ["Battle of the Boyne"]),
    ],
)
def test_working_days_by_nation(week, nation, days, names):
    assert holidays.working_days(Week(week), nation) == days
    assert [name for _, name in holidays.week_bank_holidays(Week(week), nation)] == names


def test_weekend_holidays_are_not_listed():
    # Boxing Day 2026 is a Saturday: the Monday after is the bank holiday.
    assert holidays.bank_holiday_name(date(2026, 12, 26), "England") is None
    assert holidays.bank_holiday_name(date(2026, 12, 28), "England") == "Boxing Day (observed)"


def test_add_working_days_skips_weekends_and_bank_holidays():
    christmas_eve = date(2026, 12, 24)  # Thursday
    assert holidays.add_working_days(christmas_eve, 1, "England") == date(2026, 12, 29)
    assert holidays.add_working_days(christmas_eve, 3, "England") == date(2026, 12, 31)
    assert holidays.add_working_days(date(2026, 12, 31), 1, "England") == date(2027, 1, 4)
    assert holidays.add_working_days(date(2026, 12, 31), 1, "Scotland") == date(2027, 1, 5)
    assert holidays.add_working_days(date(2027, 1, 4), -1, "England") == date(2026, 12, 31)
    assert holidays.add_working_days(date(2026, 11, 28), 0, "England") == date(2026, 11, 28)
    assert holidays.add_working_days(date(2027, 3, 16), 1, "Northern Ireland") == date(2027, 3, 18)


def test_working_days_between():
    assert holidays.working_days_between(date(2026, 12, 21), date(2027, 1, 4), "England") == 7
    assert holidays.working_days_between(date(2027, 1, 4), date(2026, 12, 21), "England") == 0


def test_unknown_nation():
    with pytest.raises(ValueError):
        holidays.working_days(Week("2026-W49"), "Atlantis")
