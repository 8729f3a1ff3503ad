"""Domain errors carry their HTTP status; one handler turns them into problem+json (RFC 9457)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    # A URI reference naming the kind of problem, for clients that act on it (RFC 9457).
    type: ClassVar[str] = "about:blank"
    # Changes made before the error are kept (committed), e.g. a failed-login record.
    keep_changes: ClassVar[bool] = False

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title

    def extra(self) -> dict[str, Any]:
        return {}


class NotAuthenticated(DomainError):
    status = 401
    title = "Not signed in"


class InvalidCredentials(DomainError):
    status = 401
    title = "Invalid credentials"
    keep_changes = True


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"


class InvalidInput(DomainError):
    """A 422 raised by a service, pointing at the field(s) at fault."""

    status = 422
    title = "Unprocessable content"

    def __init__(self, detail: str, loc: Sequence[str | int] | None = None) -> None:
        super().__init__(detail)
        self.loc = list(loc) if loc else []

    def extra(self) -> dict[str, Any]:
        return {"errors": [{"loc": self.loc, "msg": self.detail}]}


class SecondFactorRequired(DomainError):
    """The password was right; the sign-in also needs a code from the authenticator app (or a
    recovery code) in the same request."""

    status = 401
    title = "Second factor required"
    type = "/problems/second-factor-required"
    keep_changes = True


class SecondFactorSetupRequired(DomainError):
    """Signed in with a password, but two-factor sign-in must be set up before anything else."""

    status = 403
    title = "Set up two-factor sign-in"
    type = "/problems/second-factor-setup-required"
