"""Run one connector: page through its queries, store each page, checkpoint its cursor.

Every page commits in one transaction together with its cursor, its ICP verdicts and its
quarantine rows (API-5): a run killed between pages resumes at the next page, and a
re-run of a finished query fetches nothing (``force`` fetches it again; the statements it
writes are the same, so nothing doubles).

Facts are stated as ``connector:<name>`` with the API call as locator
(``https://…/search?page=2&…#552032534``) and the time it was observed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..http import ResponseError
from ..models import Fact, canonical_value, dumps
from ..privacy import SuppressionMatcher
from ..runs import Progress, RunState
from ..store import Store, utc_now
from .base import (
    CONNECTOR_CONFIDENCE,
    CompanyRecord,
    Connector,
    Page,
    Query,
    judge,
    person_entity_id,
)

__all__ = ["MAX_CONSECUTIVE_FAILURES", "query_key", "run_connector"]

MAX_CONSECUTIVE_FAILURES = 10


def query_key(params: Any) -> str:
    """A short stable key for a query's parameters (sorted JSON, sha1)."""
    text = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def run_connector(
    store: Store, state: RunState, connector: Connector, *, force: bool = False,
    max_pages: int | None = None, progress: Progress | None = None,
) -> None:
    """Fetch every open query of the connector's plan, page by page, into the store."""
    name = connector.name
    plan = connector.plan()
    roots = {query_key(q.params): q for q in plan}
    now = utc_now()
    with store.write():
        if force:
            marks = ", ".join("?" for _ in roots)
            store.conn.execute(
                f"DELETE FROM cursors WHERE connector = ? AND (query_key IN ({marks})"
                f" OR parent IN ({marks}))",
                [name, *roots, *roots],
            )
        for key, query in roots.items():
            store.conn.execute(
                "INSERT OR IGNORE INTO cursors (connector, query_key, params, status, updated_at)"
                " VALUES (?, ?, ?, 'open', ?)",
                (name, key, dumps(dict(query.params)), now),
            )
    state.messages.extend(connector.messages)
    if not roots:
        state.messages.append(f"{name}: nothing to fetch for this ICP")
        return
    # Loaded once: a suppressed or forgotten address is never stated again by a source.
    matcher = SuppressionMatcher.load(store.conn)
    pages = failures = 0
    failed: set[str] = set()
    while max_pages is None or pages < max_pages:
        row = _next_open(store, name, list(roots), failed)
        if row is None:
            break
        key, params_json, cursor = row
        query = Query(json.loads(params_json))
        try:
            page = connector.fetch(query, cursor)
        except ResponseError as exc:
            failed.add(key)
            connector.client.forget(exc.url)
            with store.write():
                _quarantine(store, state, name, exc.url, str(exc), exc.raw)
            failures += 1
            if failures >= MAX_CONSECUTIVE_FAILURES:
                # A circuit breaker (API-6): the source is down or refusing us; stop
                # asking, keep the cursors, and let a later run try again.
                state.messages.append(
                    f"{name}: {failures} pages failed in a row; stopped asking (the"
                    " cursors are kept: re-run later)"
                )
                break
            continue
        failures = 0
        _store_page(store, state, connector, key, page, roots, matcher)
        pages += 1
        state.add("pages")
        if progress is not None:
            progress(state.counts.get("read", 0), None)
    remaining = _open_count(store, name, list(roots))
    if remaining:
        state.messages.append(
            f"{remaining} quer{'y' if remaining == 1 else 'ies'} not finished: re-run "
            f"'prospecting source DB {name}' to resume"
        )
    else:
        state.messages.append(f"every {name} query is complete (--force fetches again)")


def _next_open(
    store: Store, name: str, roots: list[str], failed: set[str]
) -> tuple[str, str, str | None] | None:
    marks = ", ".join("?" for _ in roots)
    for key, params, cursor in store.conn.execute(
        f"SELECT query_key, params, cursor FROM cursors WHERE connector = ? AND status = 'open'"
        f" AND (query_key IN ({marks}) OR parent IN ({marks})) ORDER BY rowid",
        [name, *roots, *roots],
    ):
        if key not in failed:
            return key, params, cursor
    return None


def _open_count(store: Store, name: str, roots: list[str]) -> int:
    marks = ", ".join("?" for _ in roots)
    return int(store.conn.execute(
        f"SELECT count(*) FROM cursors WHERE connector = ? AND status = 'open'"
        f" AND (query_key IN ({marks}) OR parent IN ({marks}))",
        [name, *roots, *roots],
    ).fetchone()[0])


def _store_page(
    store: Store, state: RunState, connector: Connector, key: str, page: Page,
    roots: dict[str, Query], matcher: SuppressionMatcher,
) -> None:
    name = connector.name
    source = f"connector:{name}"
    now = utc_now()
    run_id = state.run_id
    items: list[tuple[str, str, str | None, str, float, str, list[Fact]]] = []
    verdicts = []
    company_ids: list[str] = []
    person_ids: list[str] = []
    for record in page.records:
        state.add("read")
        cid = record.entity_id()
        verdict, reasons = judge(record, connector.icp)
        verdicts.append((name, record.record_id, cid, verdict, dumps(reasons), record.locator,
                         run_id, now))
        state.add(verdict)
        if verdict != "fit":
            state.add("skipped")
            continue
        items.append((cid, source, record.locator, now, CONNECTOR_CONFIDENCE, run_id,
                      _company_facts(name, record)))
        company_ids.append(cid)
        for person in record.people:
            if person.email and matcher.matches([person.email]):
                state.add("suppressed")
                continue
            pid = person_entity_id(name, cid, person)
            facts = [*person.facts, ("company_id", cid),
                     ("source_id", f"{name}:{person.record_id}")]
            items.append((pid, source, f"{record.locator}/{person.record_id}", now,
                           CONNECTOR_CONFIDENCE, run_id, facts))
            person_ids.append(pid)
            state.add("people")
    parent = key if key in roots else _parent_of(store, name, key)
    with store.write():
        stated = store.state_facts(items) if items else None
        if stated is not None:
            state.add("statements_added", stated.added)
            changed_companies = [c for c in dict.fromkeys(company_ids) if c in stated.changed]
            changed_people = [p for p in dict.fromkeys(person_ids) if p in stated.changed]
            if changed_companies:
                store.refresh_companies(changed_companies)
            if changed_people:
                # Also recounts their companies' people.
                store.refresh_people(changed_people, matcher=matcher)
            state.add("written", len(changed_companies) + len(changed_people))
        store.conn.executemany(
            "INSERT INTO icp_verdicts (connector, record_id, entity_id, verdict, reasons,"
            " locator, run_id, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(connector, record_id) DO UPDATE SET entity_id = excluded.entity_id,"
            " verdict = excluded.verdict, reasons = excluded.reasons,"
            " locator = excluded.locator, run_id = excluded.run_id,"
            " decided_at = excluded.decided_at",
            verdicts,
        )
        for where, reason, raw in page.problems:
            _quarantine(store, state, name, where, reason, raw)
        for child in page.split:
            store.conn.execute(
                "INSERT OR IGNORE INTO cursors (connector, query_key, params, status, parent,"
                " updated_at) VALUES (?, ?, ?, 'open', ?, ?)",
                (name, query_key(child.params), dumps(dict(child.params)), parent, now),
            )
        status = "split" if page.split else ("done" if page.next_cursor is None else "open")
        store.conn.execute(
            "UPDATE cursors SET cursor = ?, status = ?, done = ?, total = coalesce(?, total),"
            " fetched = fetched + ?, run_id = ?, updated_at = ? WHERE connector = ?"
            " AND query_key = ?",
            (page.next_cursor, status, int(status != "open"), page.total, len(page.records),
             run_id, now, name, key),
        )
    state.messages.extend(m for m in page.messages if m not in state.messages)


def _parent_of(store: Store, name: str, key: str) -> str:
    row = store.conn.execute(
        "SELECT parent FROM cursors WHERE connector = ? AND query_key = ?", (name, key)
    ).fetchone()
    return row[0] if row and row[0] else key


def _company_facts(name: str, record: CompanyRecord) -> list[Fact]:
    facts = list(record.facts)
    have = {(f[0], canonical_value(f[1])) for f in facts}
    extra: list[Fact] = [("source_id", f"{name}:{record.record_id}")]
    if record.siren:
        extra.append(("siren", record.siren))
    if record.domain:
        extra.append(("domain", record.domain))
    return facts + [f for f in extra if (f[0], canonical_value(f[1])) not in have]


def _quarantine(store: Store, state: RunState, name: str, where: str, reason: str,
                raw: str) -> None:
    key = hashlib.sha1(
        f"connector:{name}\x1f{where}\x1f{reason}".encode(), usedforsecurity=False
    ).hexdigest()[:20]
    added = store.add_quarantine([{
        "id": key, "source": f"connector:{name} {where}", "row": None, "field": None,
        "reason": reason, "raw": raw[:20000], "run_id": state.run_id, "created_at": utc_now(),
    }])
    state.add("quarantined", max(1, added))
