"""Writes the API's OpenAPI document (what /api/openapi.json serves) as JSON:

    python -m app.openapi [FILE]      # standard output without FILE

`make types` turns it into the SPA's frontend/src/types.ts with openapi-typescript. A module of
its own rather than a `talentpool` command, so that every other command (the worker above all)
starts without importing the whole web app.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.main import create_app


def document() -> str:
    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python -m app.openapi [FILE]", file=sys.stderr)
        return 2
    text = document()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
