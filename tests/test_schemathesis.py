"""Property-based API tests from the OpenAPI document, offline against the ASGI app.

Every operation is exercised signed in (as a council admin who is also an officer, manager,
booker and finance) and not signed in: no 5xx, responses match their schemas, and every status
the app answers is documented. New endpoints join without extra work.

The stateful phase chains operations through links between them (a created object's id fed to
the operations that take it; schemathesis infers the links from the schema), bounded in
examples and steps so the suite stays fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from app.main import create_app


class _PerTestSessions:
    """The app is built once, at import, for schemathesis to read its schema; each test then
    points it at that test's rolled-back transaction."""

    factory = None

    def __call__(self):
        return self.factory()


SESSIONS = _PerTestSessions()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(session_factory=SESSIONS))


@pytest.fixture(autouse=True)
def _sessions(session_factory):
    SESSIONS.factory = session_factory
    yield
    SESSIONS.factory = None


FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def everyone(make):
    council = make.council()
    return make.user(council, "officer", "manager", "booker", "finance", "council_admin")


# Schema-valid input may still break a business rule (an unknown skill, an address outside the
# council's domains, an opaque cursor that was never issued): those answer 400/409/422 by design.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@schema.parametrize()
@FUZZ
def test_api_signed_in(case, everyone):
    case.call_and_validate(headers=everyone.headers, excluded_checks=EXCLUDED)


@schema.parametrize()
@FUZZ
def test_api_not_signed_in(case):
    case.call_and_validate(excluded_checks=EXCLUDED)


STATEFUL = settings(
    max_examples=15,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def test_api_stateful_links_between_operations(everyone):
    """Sequences of calls, each feeding ids from earlier answers to later calls: no 5xx and
    every answer conforms, however the operations are chained."""
    workflow = schema.as_state_machine()
    linked: list[str] = []

    class SignedIn(workflow):  # type: ignore[misc, valid-type]
        def step(self, input):
            if input.transition is not None:
                linked.append(input.transition.id)
            return super().step(input)

        def get_call_kwargs(self, case):
            return {"headers": everyone.headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED, headers=everyone.headers)

    run_state_machine_as_test(SignedIn, settings=STATEFUL)
    assert linked, "no call followed a link from an earlier answer"
