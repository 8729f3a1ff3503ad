"""The two councils that lent to each other (tests/reports/conftest.py) for settlements too."""

from tests.reports.conftest import exchange  # noqa: F401 (a fixture)
