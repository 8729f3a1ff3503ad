"""UK postcodes: validated and written the one way Royal Mail writes them ("RG14 5LD")."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str:
    """ "rg145ld" → "RG14 5LD"; ValueError when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        raise ValueError("must be a UK postcode, like RG14 5LD")
    return f"{compact[:-3]} {compact[-3:]}"


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except ValueError:
        return False
    return True
