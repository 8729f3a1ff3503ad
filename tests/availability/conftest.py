"""Availability tests run on a fixed Wednesday, 25 November 2026 (week 2026-W48), London time."""

from __future__ import annotations

from datetime import date

import pytest

from app.core import clock

TODAY = date(2026, 11, 25)  # a Wednesday in 2026-W48


@pytest.fixture(autouse=True)
def today():
    with clock.travel_to(TODAY):
        yield TODAY


@pytest.fixture
def council(make):
    return make.council()


@pytest.fixture
def manager(make, council):
    return make.user(council, "manager", name="Mo Manager")


@pytest.fixture
def officer(make, council, manager):
    return make.officer(council, name="Olu Officer")
