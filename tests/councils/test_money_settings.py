"""Issue 8: bank details, a remittance email and a structured invoice address in the council's
settings, validated and normalised; the late-cancellation charge as a percentage. The
migration turns existing text addresses into the structured form."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

MIGRATION = (
    Path(__file__).resolve().parents[2] / "migrations" / "versions" / "20261130_0015_money.py"
)


@pytest.fixture
def council(make):
    return make.council()


@pytest.fixture
def admin(make, council):
    return make.user(council, "council_admin")


def _patch(client, council, admin, body):
    return client.patch(f"/api/v1/councils/{council.id}/settings", json=body, headers=admin.headers)


def test_bank_details_and_address_are_kept_normalised(client, council, admin):
    answer = _patch(
        client,
        council,
        admin,
        {
            "bank_account_name": "Testshire Council General Account",
            "bank_sort_code": "30-99-50",
            "bank_account_number": "1234 5678",
            "remittance_email": "remittances@testshire.gov.uk",
            "address_lines": ["Council Offices", "Market Street"],
            "town": "Newbury",
            "postcode": "rg145ld",
            "late_cancellation_charge_percent": 50,
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["bank_sort_code"] == "309950" and body["bank_account_number"] == "12345678"
    assert body["postcode"] == "RG14 5LD"
    assert body["invoice_address"] == "Council Offices\nMarket Street\nNewbury\nRG14 5LD"
    assert body["late_cancellation_charge_percent"] == 50
    assert "late_cancellation_charge" not in body
    finance = client.get(f"/api/v1/councils/{council.id}/settings", headers=admin.headers).json()
    assert finance["remittance_email"] == "remittances@testshire.gov.uk"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"bank_sort_code": "30995"}, "bank_sort_code"),
        ({"bank_sort_code": "30-99-5X"}, "bank_sort_code"),
        ({"bank_account_number": "1234567"}, "bank_account_number"),
        ({"bank_account_number": "123456789"}, "bank_account_number"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"postcode": "RG14"}, "postcode"),
        ({"address_lines": []}, "address_lines"),
        ({"address_lines": ["1", "2", "3", "4", "5"]}, "address_lines"),
        ({"address_lines": [""]}, "address_lines"),
        ({"late_cancellation_charge_percent": 101}, "late_cancellation_charge_percent"),
        ({"late_cancellation_charge_percent": -1}, "late_cancellation_charge_percent"),
        ({"late_cancellation_charge_percent": None}, "late_cancellation_charge_percent"),
        ({"late_cancellation_charge": True}, "late_cancellation_charge"),
        ({"invoice_address": "Somewhere"}, "invoice_address"),
        ({"remittance_email": "not-an-email"}, "remittance_email"),
    ],
)
def test_bad_money_settings_are_422_and_change_nothing(client, council, admin, body, field):
    before = client.get(f"/api/v1/councils/{council.id}/settings", headers=admin.headers).json()
    answer = _patch(client, council, admin, body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any(field in [str(part) for part in error["loc"]] for error in answer.json()["errors"])
    after = client.get(f"/api/v1/councils/{council.id}/settings", headers=admin.headers).json()
    assert after == before


def test_finance_reads_but_cannot_change_bank_details(client, make, council):
    finance = make.user(council, "finance")
    answer = _patch(client, council, finance, {"bank_sort_code": "309950"})
    assert answer.status_code == 403


def _migration():
    spec = importlib.util.spec_from_file_location("money_migration", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "West Berkshire Council\nCouncil Offices, Market Street, Newbury, RG14 5LD",
            (["West Berkshire Council", "Council Offices", "Market Street"], "Newbury", "RG14 5LD"),
        ),
        (
            "Town Hall\nHigh Street\nAnytown AB1 2CD",
            (["Town Hall", "High Street"], "Anytown", "AB1 2CD"),
        ),
        (
            "Town Hall\nHigh Street\nAnytown\nab12cd",
            (["Town Hall", "High Street"], "Anytown", "AB1 2CD"),
        ),
        ("Civic Centre", (["Civic Centre"], None, None)),
        ("", ([], None, None)),
        ("A\nB\nC\nD\nE\nF\nTown\nEH1 1YJ", (["A", "B", "C", "D, E, F"], "Town", "EH1 1YJ")),
    ],
)
def test_the_migration_structures_text_addresses(text, expected):
    assert _migration().split_address(text) == expected
