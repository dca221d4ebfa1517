#!/usr/bin/env python3
"""Serve the built slide decks on this machine only.

    python3 course.py serve-slides [--port 8000] [--dir build/slides]

Serves DIR on http://127.0.0.1:PORT (loopback: nothing is exposed to the network) and prints one URL
per deck. If PORT is busy, a free port is chosen. Speaker notes (key `s`) need the deck to come from
a server rather than a file:// URL, because the notes window talks to the deck as the same origin.
Stop with Ctrl+C.
"""
from __future__ import annotations

import argparse
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def start(directory: Path, port: int = 0, *, quiet: bool = True) -> ThreadingHTTPServer:
    """Serve `directory` on 127.0.0.1 in a daemon thread; port 0 or a busy port picks a free one."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} does not exist; build the decks with "
                                "`python3 course.py slides` first.")
    handler = functools.partial(QuietHandler if quiet else SimpleHTTPRequestHandler,
                                directory=str(directory))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError:  # busy: let the OS choose
        server = ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url(server: ThreadingHTTPServer, path: str = "") -> str:
    return f"http://{HOST}:{server.server_address[1]}/{path}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port to try first (default 8000)")
    parser.add_argument("--dir", type=Path, default=ROOT / "build" / "slides")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        raise SystemExit(f"--port == {args.port}, must be in [0, 65535].")
    try:
        server = start(args.dir.resolve(), args.port, quiet=False)
    except FileNotFoundError as error:
        raise SystemExit(str(error)) from None
    decks = sorted(args.dir.glob("*.slides.html"))
    if args.port and server.server_address[1] != args.port:
        print(f"Port {args.port} is busy; using {server.server_address[1]} instead.")
    print(f"Serving {args.dir} on {url(server)}  (Ctrl+C stops; press s in a deck for notes)")
    for deck in decks:
        print("   ", url(server, deck.name))
    if not decks:
        print("    (no decks yet: run `python3 course.py slides`)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
