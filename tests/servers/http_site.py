"""Websites on 127.0.0.1 for the crawler tests, each with a behaviour of its own.

Built on :class:`prospecting.crawl.localsite.SiteServer` (the demo's server): a folder of
pages, plus routes for what static files cannot do::

    calendar_trap   /events?month=N links to month N+1 forever, and /a/ links to /a/a/…
    busy_then_ok    /busy answers 429 Retry-After: 2 once, then the page
    forbidden       /p… answer 403
    big_page        /big is a 5 MB HTML page
    slow            /slow answers after 5 s (the tests' timeout is 1 s)
    robots_503      /robots.txt answers 503

Every request is logged (``server.paths``), so a test can assert what was never asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prospecting.crawl.localsite import SiteServer

__all__ = ["crawl_config", "make_site", "site_factory"]

HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(body: str, *, title: str = "Page", lang: str = "fr") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body>{body}</body></html>")


def make_site(root: Path, pages: dict[str, str | bytes]) -> Path:
    """Write ``pages`` ({"index.html": html, "robots.txt": text…}) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in pages.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def calendar_trap(path: str) -> tuple[int, dict[str, str], bytes] | None:
    if path.startswith("/events"):
        month = int(path.split("month=", 1)[1]) if "month=" in path else 0
        body = page(f'<a href="/events?month={month + 1}">Mois suivant</a>'
                    f'<a href="/events?month={month + 1}&amp;view=list">Liste</a>'
                    f'<a href="/a/">Boucle</a><a href="/session?sid={month}">s</a>')
        return 200, HTML, body.encode()
    if path.startswith("/a/"):
        return 200, HTML, page(f'<a href="{path}a/">encore</a>').encode()
    return None


def big_page(path: str) -> tuple[int, dict[str, str], bytes] | None:
    if path == "/big":
        filler = b"<p>" + b"x" * 1000 + b"</p>\n"
        body = b"<html><body>" + filler * (5 * 1024 * 1024 // len(filler) + 1) + b"</body></html>"
        return 200, HTML, body
    return None


def slow(path: str) -> tuple[int, dict[str, str], bytes] | None:
    if path == "/slow":
        time.sleep(5)
        return 200, HTML, page("enfin").encode()
    return None


def busy_then_ok() -> Callable[[str], tuple[int, dict[str, str], bytes] | None]:
    """/busy answers 429 with ``Retry-After: 2`` the first time, then the page."""
    asked: list[str] = []

    def route(path: str) -> tuple[int, dict[str, str], bytes] | None:
        if path == "/busy":
            asked.append(path)
            if len(asked) == 1:
                return 429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down"
            return 200, HTML, page("<p>hello@busy.example</p>").encode()
        return None

    return route


def forbidden(path: str) -> tuple[int, dict[str, str], bytes] | None:
    """Every page but the home page answers 403."""
    if path.startswith("/p"):
        return 403, HTML, page("Forbidden").encode()
    return None


def robots_503(path: str) -> tuple[int, dict[str, str], bytes] | None:
    if path == "/robots.txt":
        return 503, {"Content-Type": "text/plain"}, b"busy"
    return None


@pytest.fixture
def site_factory(tmp_path: Path) -> Iterator[Callable[..., SiteServer]]:
    """``site_factory(pages, route=None)`` starts a site; all are stopped after the test."""
    servers: list[SiteServer] = []

    def start(pages: dict[str, str | bytes] | None = None,
              route: Callable[[str], tuple[int, dict[str, str], bytes] | None] | None = None,
              ) -> SiteServer:
        root = make_site(tmp_path / f"site{len(servers)}", pages or {})
        server = SiteServer(root, route).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def crawl_config(tmp_path: Path) -> Path:
    """Settings for fast local crawls: no delay, 1 s timeout, no retries."""
    path = tmp_path / "prospecting.toml"
    path.write_text(
        '[http]\nrequests_per_second = 200.0\ntimeout_s = 1.0\nuser_agent = "TestCrawler/1.0"\n'
        "[crawl]\nretries = 0\nautothrottle = false\n",
        encoding="utf-8",
    )
    return path
