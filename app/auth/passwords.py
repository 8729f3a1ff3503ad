"""Passwords as the NCSC advises: long (12 characters at least, up to 128), no composition
rules (any characters, no "one digit and one capital"), and refused when they are on a list
of common or breached passwords.

The list is the 30,000 most common passwords that ships inside `zxcvbn` (Dropbox's password
strength estimator, from the breached-password corpora); a password is refused when it is on
that list (ignoring case) or when zxcvbn estimates it falls to fewer than a million guesses,
which catches what the list's long tail misses: repeats ("aaaaaaaaaaaa"), sequences
("abcdefghijkl", "123456789012"), keyboard walks ("qwertyuiopas") and list words with a
year or a digit stuck on. Nothing about which characters it holds is ever asked for.
"""

from __future__ import annotations

from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.core.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's own bound on what it analyses (longer inputs are slow and never weak).
_ANALYSED = 72
# Fewer estimated guesses than this is "too guessable" (zxcvbn's scores 0 and 1).
MIN_GUESSES_LOG10 = 6.0


@cache
def _common() -> frozenset[str]:
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def problem_with(password: str, *hints: str) -> str | None:
    """Why `password` is refused, in words for the person choosing it; None when it is fine.
    `hints` (their email, their name) count as guessable too."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer."
    if password.lower() in _common():
        return "That password is on a list of common passwords. Choose another one."
    inputs = [part for hint in hints for part in hint.lower().replace("@", " ").split()]
    estimate = zxcvbn(password[:_ANALYSED], user_inputs=inputs)
    if float(estimate["guesses_log10"]) < MIN_GUESSES_LOG10:
        return (
            "That password would be too easy to guess (it is common, repeated or a sequence). "
            "Try three random words."
        )
    return None


def check(password: str, *hints: str, field: str = "password") -> None:
    """Raise a 422 naming `field` when the password is refused."""
    problem = problem_with(password, *hints)
    if problem is not None:
        raise InvalidInput(problem, ["body", field])
