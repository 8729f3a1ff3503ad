from tests.bookings.conftest import pool  # noqa: F401 (the bookings' pool of two councils)
