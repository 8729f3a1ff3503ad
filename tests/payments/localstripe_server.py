"""Run localstripe (a Stripe API stand-in) on loopback only: `localstripe_server.py --port N`.

localstripe's own `localstripe` command binds every interface (`::`) and has no host option. Its
aiohttp application is built at import time as `localstripe.server.app`; this starts that same
app with `aiohttp.web.run_app` on 127.0.0.1.

It also keeps localstripe's store in memory: by default every write pickles the whole store to
the fixed path /tmp/localstripe.pickle (and the command reloads it at start), which two servers
running at once, e.g. the SQLite and PostgreSQL suites side by side, would share.
"""

from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web
from localstripe import server
from localstripe.resources import Store


def _no_dump(_store: Store) -> None:
    """Keep the store in memory only (see the module's docstring)."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    Store.dump_to_disk = _no_dump  # type: ignore[method-assign]

    # localstripe reports webhook deliveries ("webhook ... delivered/failed") on this logger.
    access_log = logging.getLogger("aiohttp.access")
    access_log.setLevel(logging.INFO)
    access_log.addHandler(logging.StreamHandler(sys.stderr))

    web.run_app(
        server.app,
        host=args.host,
        port=args.port,
        access_log=access_log,
        print=lambda message: print(message, flush=True),
        handle_signals=True,
    )


if __name__ == "__main__":
    main()
