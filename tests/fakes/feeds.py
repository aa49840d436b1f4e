"""Product feed files for import tests, and a tiny local HTTP server to fetch them from.

The server answers each path with what the test registered: a body with its status, a delay
before the answer (to trip the client's timeout), a lying or missing Content-Length. Started on
127.0.0.1 with a free port; tests allow http:// with MARKETPLACE_ALLOW_HTTP_URLS=true."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs

# Valid GTIN-13s (check digits computed): one per product of the test feeds.
GTINS = ("4006381333931", "5901234123457", "4012345678901", "9780201379624", "4007817327098",
         "8712345678906", "5449000000996", "7622210449283", "3017620422003", "4000417025005")
HEADER = ("id", "title", "description", "price", "availability", "brand", "gtin", "image_link")


def product(n: int, *, price: str = "19.99 EUR", title: str | None = None, gtin: str | None = None,
            **extra: str) -> dict[str, str]:
    """Row ``n`` of a test feed (``SKU-<n>``), overridable per column."""
    return {"id": f"SKU-{n}", "title": title or f"Produit {n}", "description": f"Description {n}", "price": price,
            "availability": "in_stock", "brand": "Acme", "gtin": GTINS[n % len(GTINS)] if gtin is None else gtin,
            "image_link": f"https://img.example.lu/{n}.jpg", **extra}


def feed(rows: Sequence[dict[str, str]], *, header: Sequence[str] = HEADER, delimiter: str = "\t",
         encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """A feed file: ``header`` then each row's values (missing ones empty). No quoting: tests that
    need quotes write the text themselves."""
    lines = [delimiter.join(header)] + [delimiter.join(row.get(c, "") for c in header) for row in rows]
    return (newline.join(lines) + newline).encode(encoding)


def products(count: int, **extra: str) -> bytes:
    return feed([product(n, **extra) for n in range(1, count + 1)])


@attrs.define
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before the headers
    content_length: int | None = None  # announced instead of the real length
    chunked: bool = False  # no Content-Length at all


class FeedServer:
    """Serves registered bodies by path; counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                route = server.routes.get(self.path, Route(b"not found", 404))
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", "text/tab-separated-values")
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(route.body), 65536):
                        chunk = route.body[start:start + 65536]
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                length = route.content_length if route.content_length is not None else len(route.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def serve(self, path: str, body: bytes = b"", **options: object) -> str:
        self.routes[path] = Route(body, **options)  # type: ignore[arg-type]
        return self.url(path)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()
