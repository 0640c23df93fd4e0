"""The parent side of a crawl: choose the sites, run the crawl process, store what it finds.

:func:`crawl_sites` starts ``python -m prospecting.crawl.run`` (Scrapy in a process of its
own), reads its events line by line and, as each site finishes, writes that site's facts
in one transaction: statements whose source is ``crawl:<page URL>``, the derived rows
refreshed, failed pages in ``quarantine``, and a ``work_log`` row (component ``crawl``)
so ``--from-db`` skips the site until it is ``[crawl] max_age_days`` old. A site is
written whole or not at all, so a crawl killed with ``kill -9`` and run again ends in
the same state; restating a fact writes nothing.

Company identity follows the importer: a company already stored with the site's domain
keeps its id, otherwise the id is ``make_id("company", "domain:<domain>")``. A person's id
is ``make_id("person", "name:<name>|<company id>")``, the importer's key for a named
person without an email, so the same page gives the same person every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from prospecting.errors import ConfigError, StageFailed
from prospecting.importer import registered_domain
from prospecting.models import Fact, company_id_for, make_id, named_person_key
from prospecting.privacy import SuppressionMatcher
from prospecting.runs import Progress, RunState
from prospecting.store import Store, utc_now

from .site import COMPANY_CONFIDENCE, PERSON_CONFIDENCE, site_domain_of

__all__ = ["CRAWL_VERSION", "Target", "crawl_sites", "targets_from_db", "targets_from_urls"]

CRAWL_VERSION = "1"
COMPONENT = "crawl"


@dataclass(frozen=True)
class Target:
    """One site to crawl: its start URL and, when known, the company it belongs to."""

    url: str
    company_id: str | None = None
    country: str | None = None
    default_scheme: bool = False

    @property
    def key(self) -> str:
        return self.url


def _start_url(text: str) -> tuple[str, bool]:
    value = text.strip()
    if not value:
        raise ConfigError("crawl: an empty URL was given")
    default = "://" not in value
    if default:
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"crawl: {text!r} is not a web address (expected a domain or an "
                          "http(s):// URL)")
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (
        f"?{parts.query}" if parts.query else ""), default


def targets_from_urls(store: Store, urls: Iterable[str]) -> list[Target]:
    """The sites named on the command line, matched to stored companies by domain."""
    targets: dict[str, Target] = {}
    for text in urls:
        url, default = _start_url(text)
        domain = site_domain_of(url)
        company_id = country = None
        if domain:
            row = store.conn.execute(
                "SELECT id, country FROM companies WHERE domain = ? AND merged_into IS NULL"
                " ORDER BY seq LIMIT 1",
                (domain,),
            ).fetchone()
            if row:
                company_id, country = row
        targets.setdefault(url, Target(url, company_id, _country(country), default))
    return list(targets.values())


def targets_from_db(store: Store, max_age_days: float) -> tuple[list[Target], int]:
    """Every stored company with a website or domain not crawled within ``max_age_days``;
    also how many were skipped as crawled recently."""
    cutoff = (datetime.now(UTC) - timedelta(days=max_age_days)).isoformat()
    recent = {
        row[0] for row in store.conn.execute(
            "SELECT entity_id FROM work_log WHERE component = ? AND done_at >= ?",
            (COMPONENT, cutoff),
        )
    }
    targets: dict[str, Target] = {}
    skipped = 0
    for company_id, website, domain, country in store.conn.execute(
        "SELECT id, website, domain, country FROM companies WHERE merged_into IS NULL"
        " AND (coalesce(website, '') != '' OR coalesce(domain, '') != '') ORDER BY seq"
    ):
        if company_id in recent:
            skipped += 1
            continue
        try:
            url, default = _start_url(website or domain)
        except ConfigError:
            continue
        targets.setdefault(url, Target(url, company_id, _country(country), default))
    return list(targets.values()), skipped


def _country(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    from prospecting.icp import normalize_country

    return normalize_country(value)


def _job(store: Store, targets: Sequence[Target], *, max_pages: int, ignore_robots: bool,
         extract: bool = True) -> dict[str, Any]:
    settings = store.settings
    if settings is None:
        from prospecting.settings import Settings

        settings = Settings()
    http, crawl = settings.http, settings.crawl
    return {
        "sites": [{"key": t.key, "url": t.url, "country": t.country,
                   "default_scheme": t.default_scheme} for t in targets],
        "max_pages": max_pages,
        "ignore_robots": ignore_robots,
        "extract": extract,
        "http": {"user_agent": http.user_agent, "requests_per_second": http.requests_per_second,
                 "max_connections_per_host": http.max_connections_per_host,
                 "timeout_s": http.timeout_s},
        "crawl": {"max_depth": crawl.max_depth, "max_page_bytes": crawl.max_page_bytes,
                  "retries": crawl.retries, "concurrent_requests": crawl.concurrent_requests,
                  "autothrottle": crawl.autothrottle,
                  "robots_user_agent": crawl.robots_user_agent,
                  "memory_limit_mb": crawl.memory_limit_mb},
    }


def run_crawl_process(job: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Run the crawl process on ``job`` and yield its events as they come."""
    log = tempfile.TemporaryFile(  # noqa: SIM115 - read after the process ends, then closed
        mode="w+", encoding="utf-8", errors="replace"
    )
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prospecting.crawl.run"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
        encoding="utf-8", env=env,
    )
    ended = False
    try:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(json.dumps(job))
        proc.stdin.close()
        for line in proc.stdout:
            if not line.startswith("{"):
                continue  # not an event: a library printed something
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "end":
                ended = True
            yield event
        code = proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if code != 0 or not ended:
        log.seek(0)
        tail = [line.strip() for line in log.read().splitlines() if line.strip()][-3:]
        log.close()
        raise StageFailed(
            f"crawl: the crawl process stopped (exit {code}); sites finished before it were "
            f"stored, re-run to resume. Last log lines: {' | '.join(tail) or 'none'}"
        )
    log.close()


def crawl_sites(
    store: Store, state: RunState, targets: Sequence[Target], *, max_pages: int,
    ignore_robots: bool, progress: Progress | None = None,
) -> None:
    """Crawl ``targets`` and store every finished site; counts go to ``state``."""
    if not targets:
        return
    by_key = {t.key: t for t in targets}
    job = _job(store, targets, max_pages=max_pages, ignore_robots=ignore_robots)
    matcher = SuppressionMatcher.load(store.conn)
    pages = 0
    sites_done = 0
    for event in run_crawl_process(job):
        kind = event.get("event")
        if kind == "page":
            pages += 1
            state.add("read")
            if progress:
                progress(pages, None)
        elif kind == "site":
            sites_done += 1
            store_site(store, state, by_key[event["site"]], event, matcher)
    if progress:
        progress(pages, pages)
    state.add("sites", sites_done)


def _person_id(name: str, company_id: str) -> str:
    return make_id("person", named_person_key(name, company_id))


def _company_id(target: Target, store: Store, domain: str | None) -> str:
    if target.company_id:
        return target.company_id
    if domain:
        row = store.conn.execute(
            "SELECT id FROM companies WHERE domain = ? AND merged_into IS NULL"
            " ORDER BY seq LIMIT 1", (domain,),
        ).fetchone()
        if row:
            return str(row[0])
        return company_id_for(None, domain, None)
    # An address with no domain (a local copy): the host and the site's folder.
    parts = urlsplit(target.url)
    folder = parts.path.rsplit("/", 1)[0]
    return make_id("company", f"domain:{parts.netloc.lower()}{folder}")


def store_site(
    store: Store, state: RunState, target: Target, event: dict[str, Any],
    matcher: SuppressionMatcher,
) -> None:
    """Write one finished site: facts, refreshed rows, quarantine and work log."""
    domain = event.get("domain")
    domain = registered_domain(domain) if domain else None
    company_id = _company_id(target, store, domain)
    now = utc_now()
    run_id = state.run_id
    by_source: dict[tuple[str, str], list[Fact]] = {}

    def add(entity: str, url: str, fact: Fact) -> None:
        by_source.setdefault((entity, url), []).append(fact)

    home = event.get("home_source") or event.get("home_url")
    if home and event.get("pages"):
        if domain:
            add(company_id, home, ("domain", domain))
        add(company_id, home, ("website", home))
    for fieldname, value, url in event.get("company", []):
        add(company_id, url, (fieldname, str(value)))
    people = 0
    person_ids: list[str] = []
    for facts in event.get("people", []):
        name = next((v for f, v, _ in facts if f == "full_name"), None)
        if not name:
            continue
        pid = _person_id(name, company_id)
        person_ids.append(pid)
        people += 1
        first_url = min(url for _, _, url in facts)
        add(pid, first_url, ("company_id", company_id))
        for fieldname, value, url in facts:
            add(pid, url, (fieldname, str(value)))
    items = [
        (entity, f"crawl:{url}", None, now,
         PERSON_CONFIDENCE if entity.startswith("p_") else COMPANY_CONFIDENCE, run_id, facts)
        for (entity, url), facts in sorted(by_source.items())
    ]
    failures = event.get("failures", [])
    quarantine = [
        {
            "id": hashlib.sha1(
                f"crawl\x1f{f['url']}\x1f{f['reason']}".encode(), usedforsecurity=False
            ).hexdigest()[:20],
            "source": f"crawl:{target.url}",
            "row": None,
            "field": None,
            "reason": f["reason"],
            "raw": f["url"],
            "run_id": run_id,
            "created_at": now,
        }
        for f in failures
    ]
    with store.write():
        added, changed, _known, _ = store.state_facts(items)
        companies = [c for c in dict.fromkeys(i[0] for i in items) if c in changed
                     and c.startswith("c_")]
        if companies:
            store.refresh_companies(companies)
        touched = [p for p in dict.fromkeys(person_ids) if p in changed]
        if touched:
            store.refresh_people(touched, matcher=matcher)
        store.add_quarantine(quarantine)
        if event.get("status") == "done" and event.get("pages"):
            store.conn.execute(
                "INSERT INTO work_log (entity_id, component, version, input_hash, done_at,"
                " run_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity_id, component) DO"
                " UPDATE SET version = excluded.version, input_hash = excluded.input_hash,"
                " done_at = excluded.done_at, run_id = excluded.run_id",
                (company_id, COMPONENT, CRAWL_VERSION,
                 hashlib.sha1(target.url.encode(), usedforsecurity=False).hexdigest(),
                 now, run_id),
            )
    state.add("written", added)
    state.add("quarantined", len(quarantine))
    state.add("people_found", people)
    state.add("emails_found", sum(1 for f in event.get("company", []) if f[0] == "email") + sum(
        1 for facts in event.get("people", []) for f in facts if f[0] == "email"))
    for key, value in (event.get("counts") or {}).items():
        state.add(key, value)
    if event.get("status") != "done" or not event.get("pages"):
        state.add("sites_failed")
