"""A small threaded HTTP server on 127.0.0.1 that replays recorded API responses.

The demo serves ``data/demo/connectors/`` with it so ``prospecting demo`` runs the real
connectors offline; the tests serve real recorded responses the same way, plus scripted
answers (a 429 with Retry-After, then a 200). A route matches on method, path and the
query parameters it lists; a route with ``times`` is used up after that many answers.
Every request is logged with its arrival time, for tests to check pacing and queries.

``manifest.json`` of a folder::

    {"routes": [{"path": "/search", "query": {"page": "2"}, "body": "page2.json"}]}
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["ReplayServer", "Route"]


@dataclass
class Route:
    """One recorded answer and the requests it answers."""

    path: str
    body: bytes = b""
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    times: int | None = None
    delay_s: float = 0.0  # answer this late (crash tests kill a client mid-run)

    def matches(self, method: str, path: str, query: dict[str, str]) -> bool:
        if self.method != method or self.path != path:
            return False
        if self.times is not None and self.times <= 0:
            return False
        return all(query.get(k) == v for k, v in self.query.items())


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


class ReplayServer:
    """``with ReplayServer.from_folder(path) as server: server.url`` → ``http://127.0.0.1:N``."""

    def __init__(self, routes: list[Route] | None = None) -> None:
        self.routes: list[Route] = list(routes or [])
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_folder(cls, folder: str | Path) -> ReplayServer:
        """Routes from ``folder/manifest.json``; bodies are files of that folder."""
        folder = Path(folder)
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        routes = []
        for item in manifest["routes"]:
            body = (folder / item["body"]).read_bytes() if item.get("body") else b""
            headers = {"Content-Type": "application/json; charset=utf-8",
                       **item.get("headers", {})}
            routes.append(Route(
                path=item["path"], body=body, status=int(item.get("status", 200)),
                query={k: str(v) for k, v in item.get("query", {}).items()},
                headers=headers, method=item.get("method", "GET"), times=item.get("times"),
            ))
        return cls(routes)

    def add(self, path: str, body: Any = b"", *, status: int = 200,
            query: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
            times: int | None = None, content_type: str = "application/json",
            delay_s: float = 0.0) -> Route:
        """Answer ``path`` with ``body`` (bytes, str, or JSON-able data). Earlier routes win."""
        if isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        else:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        route = Route(
            path=path, body=raw, status=status,
            query={k: str(v) for k, v in (query or {}).items()},
            headers={"Content-Type": content_type, **(headers or {})}, times=times,
            delay_s=delay_s,
        )
        with self._lock:
            self.routes.append(route)
        return route

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                replay._answer(self, "GET")

            def do_HEAD(self) -> None:
                replay._answer(self, "HEAD")

            def log_message(self, format: str, *args: Any) -> None:
                return

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return  # a client that gave up (timeout tests) is not an error here

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Seen(method, parts.path, query, dict(handler.headers),
                                      time.monotonic()))
            route = next((r for r in self.routes if r.matches(method, parts.path, query)), None)
            if route is not None and route.times is not None:
                route.times -= 1
        if route is None:
            body = json.dumps({"error": f"no recorded answer for {handler.path}"}).encode()
            status, headers = 404, {"Content-Type": "application/json"}
        else:
            body, status, headers = route.body, route.status, route.headers
            if route.delay_s:
                time.sleep(route.delay_s)
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if method != "HEAD":
            handler.wfile.write(body)
