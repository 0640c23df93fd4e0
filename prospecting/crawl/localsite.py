"""Static websites served on 127.0.0.1, one port per site: the demo's and the tests' web.

:class:`SiteServer` serves one folder (``index.html`` for ``/``, ``name.html`` for
``/name``) from a thread, records every request it receives, and can be given extra
routes (a function of the path returning status, headers and body, or None to fall back
to the folder) for behaviours no static file has: a page that never ends, a slow answer.

>>> with serve_sites(Path("data/demo/sites")) as urls:      # doctest: +SKIP
...     api.crawl("demo.db", urls.values())
"""

from __future__ import annotations

import contextlib
import mimetypes
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["Route", "SiteServer", "serve_sites"]

HOST = "127.0.0.1"
# A route answers (status, headers, body) for a path, or None to serve the folder.
Route = Callable[[str], tuple[int, dict[str, str], bytes] | None]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        site = self.server.site
        site.log.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
        answer = site.route(self.path) if site.route else None
        if answer is None:
            answer = site.static(self.path)
        status, headers, body = answer
        try:
            self.send_response(status)
            headers = {"Content-Length": str(len(body)), **headers}
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: SiteServer


class SiteServer:
    """One website on ``http://127.0.0.1:<port>/``; ``log`` lists (path, time, user agent)."""

    def __init__(self, root: Path | None = None, route: Route | None = None,
                 port: int = 0) -> None:
        self.root = Path(root) if root is not None else None
        self.route = route
        self.log: list[tuple[str, float, str]] = []
        self._server = _Server((HOST, port), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def paths(self) -> list[str]:
        return [entry[0] for entry in self.log]

    def static(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """The folder's file for ``path`` (``/`` → index.html, ``/a`` → a.html or a/)."""
        if self.root is None:
            return _not_found()
        clean = path.split("?", 1)[0].split("#", 1)[0]
        parts = [p for p in clean.split("/") if p and p not in (".", "..")]
        candidate = self.root.joinpath(*parts) if parts else self.root
        options = [candidate]
        if candidate.is_dir():
            options = [candidate / "index.html"]
        elif not candidate.suffix:
            options = [candidate.with_name(candidate.name + ".html"), candidate / "index.html"]
        for option in options:
            try:
                resolved = option.resolve()
                resolved.relative_to(self.root.resolve())
            except (OSError, ValueError):
                continue
            if resolved.is_file():
                kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
                if kind.startswith("text/"):
                    kind += "; charset=utf-8"
                return 200, {"Content-Type": kind}, resolved.read_bytes()
        return _not_found()


def _not_found() -> tuple[int, dict[str, str], bytes]:
    return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>Not found</body></html>"


@contextlib.contextmanager
def serve_sites(folder: Path) -> Iterator[dict[str, str]]:
    """Serve every subfolder of ``folder`` as its own site; yields {name: base URL}."""
    servers = [SiteServer(path) for path in sorted(folder.iterdir()) if path.is_dir()]
    for server in servers:
        server.start()
    try:
        yield {server.root.name: server.url for server in servers if server.root is not None}
    finally:
        for server in servers:
            server.stop()


def crawl_demo_sites(db: Any, *, config: Any = None, progress: Any = None) -> Any:
    """Serve the bundled demo websites on 127.0.0.1 and crawl them (``prospecting demo``)."""
    from importlib import resources

    from prospecting import api

    folder = resources.files("prospecting.data").joinpath("demo", "sites")
    with resources.as_file(folder) as path, serve_sites(Path(path)) as urls:
        return api.crawl(db, list(urls.values()), config=config, progress=progress)
