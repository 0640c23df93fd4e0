"""Suppressing and forgetting people (GDPR Art. 17 and 21, CNIL "liste repoussoir").

``suppress`` records an email or an ``@domain`` that must never be contacted.
``forget`` erases a person everywhere (their statements, their row, every copy of
their addresses in other tables) and keeps only the sha256 of each address, so the
person is skipped if a later import brings them back. The erasure runs in one
transaction with ``secure_delete`` on, then the WAL is checkpointed and the file
vacuumed, so no plaintext byte of the address stays in the database files.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from .errors import InputError, StoreError
from .models import explode
from .privacy import (
    SuppressionMatcher,
    email_hash,
    mailbox_key,
    normalize_email_key,
    parse_suppression,
)
from .runs import RunState
from .store import Store

__all__ = ["forget_email", "suppress_values"]


def suppress_values(
    store: Store, values: Iterable[str], state: RunState, *, reason: str = "manual"
) -> None:
    """Add emails and ``@domains`` to the suppression list, all or none."""
    parsed = []
    problems = []
    for value in values:
        try:
            parsed.append(parse_suppression(value))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("; ".join(problems))
    with store.write():
        for kind, value in parsed:
            digest = email_hash(value) if kind == "email" else (
                value if kind == "hash" else hashlib.sha256(f"@{value}".encode()).hexdigest())
            added = store.add_suppressions(
                [(kind, None if kind == "hash" else value, digest, reason)], state.run_id)
            state.add("written" if added else "skipped")
            state.add("read")
        flagged = _flag_people(store)
    state.add("people_suppressed", flagged)


def _flag_people(store: Store) -> int:
    """Mark every person matching the suppression list; return how many are flagged."""
    matcher = SuppressionMatcher.load(store.conn)
    updates = []
    for pid, emails, suppressed in store.conn.execute(
        "SELECT id, emails, suppressed FROM people"
    ).fetchall():
        flag = int(matcher.matches(e["value"] for e in json.loads(emails)))
        if flag != suppressed:
            updates.append((flag, pid))
    store.conn.executemany("UPDATE people SET suppressed = ? WHERE id = ?", updates)
    return store.conn.execute("SELECT count(*) FROM people WHERE suppressed = 1").fetchone()[0]


def forget_email(store: Store, email: str, state: RunState) -> None:
    """Erase the person (or people) with this address, keeping only hashes."""
    key = normalize_email_key(email)
    if "@" not in key:
        raise InputError(f"'{email}' is not an email address")
    store.conn.execute("PRAGMA secure_delete = ON")
    with store.write():
        people = _with_merged(store, _people_with_email(store, key))
        addresses = {key}
        companies: set[str] = set()
        for pid in people:
            for obs in store.observations_for([pid]).get(pid, []):
                if obs.field == "email":
                    addresses.add(normalize_email_key(obs.value))
                if obs.field == "company_id":
                    companies.add(obs.value)
        if people:
            marks = ", ".join("?" for _ in people)
            state.add("statements_deleted", store.conn.execute(
                f"DELETE FROM statements WHERE entity_id IN ({marks})", people).rowcount)
            store.conn.execute(f"DELETE FROM people WHERE id IN ({marks})", people)
            store.conn.execute(f"DELETE FROM activities WHERE person_id IN ({marks})", people)
            # Planned touches may hold rendered text with the address; memberships go too.
            state.add("touches_deleted", store.conn.execute(
                f"DELETE FROM planned_touches WHERE person_id IN ({marks})", people).rowcount)
            store.conn.execute(
                f"DELETE FROM sequence_members WHERE person_id IN ({marks})", people)
            for pid in people:  # sequence quarantine rows name the person, by id in raw
                state.add("quarantine_deleted", store.conn.execute(
                    "DELETE FROM quarantine WHERE raw LIKE ? ESCAPE '\\'",
                    (f'%"{_like_escape(pid)}"%',)).rowcount)
            store.conn.execute(f"DELETE FROM scores WHERE person_id IN ({marks})", people)
            _forget_dedupe(store, people)
        state.add("people_deleted", len(people))
        for address in sorted(addresses):
            companies |= _scrub_address(store, address, state)
            digest = email_hash(address)
            store.conn.execute("DELETE FROM activities WHERE email_sha256 = ?", (digest,))
            store.conn.execute(
                "DELETE FROM suppressions WHERE kind = 'email' AND value = ?", (address,)
            )
            store.add_suppressions([("hash", None, digest, "forgotten")], state.run_id)
            if (mailbox := mailbox_key(address)) != address:
                # Its mailbox written another way (jean@gmail.com for j.e.a.n+x@): never
                # imported again either.
                store.add_suppressions([("hash", None, email_hash(mailbox), "forgotten")],
                                       state.run_id)
        if companies:
            store.refresh_companies(sorted(companies))
            store.refresh_people(
                r[0] for r in store.conn.execute(
                    f"SELECT id FROM people WHERE company_id IN "
                    f"({', '.join('?' for _ in companies)})", sorted(companies))
            )
    state.add("written", len(addresses))
    state.add("read", 1)
    _purge_files(store)


def _with_merged(store: Store, people: list[str]) -> list[str]:
    """The person is the whole merged cluster: its golden record and every member."""
    found = list(dict.fromkeys(people))
    while True:
        marks = ", ".join("?" for _ in found)
        more = [
            r[0] for r in store.conn.execute(
                f"SELECT id FROM people WHERE merged_into IN ({marks})"
                f" UNION SELECT merged_into FROM people WHERE id IN ({marks})"
                " AND merged_into IS NOT NULL", found + found,
            ) if r[0] not in found
        ] if found else []
        if not more:
            return found
        found.extend(more)


def _forget_dedupe(store: Store, people: list[str]) -> None:
    """Drop the dedupe stage's copies: pairs, clusters and merge-log before-images."""
    marks = ", ".join("?" for _ in people)
    store.conn.execute(f"DELETE FROM pairs WHERE a IN ({marks}) OR b IN ({marks})",
                       people + people)
    store.conn.execute(f"DELETE FROM work_log WHERE entity_id IN ({marks})", people)
    gone = set(people)
    for cid, golden, members in store.conn.execute(
        "SELECT id, golden_id, members FROM clusters WHERE kind = 'person'"
    ).fetchall():
        if golden in gone or gone & set(json.loads(members)):
            store.conn.execute("DELETE FROM clusters WHERE id = ?", (cid,))
            store.conn.execute("DELETE FROM merge_log WHERE cluster_id = ?", (cid,))


def _people_with_email(store: Store, key: str) -> list[str]:
    like = f"%{_like_escape(key)}%"
    found = [pid for pid, _ in store.people_with_email(key)]
    # People merged away or not yet refreshed are found through their statements too.
    for entity_id, source, locator, observed_at, confidence, run_id, facts in store.conn.execute(
        "SELECT entity_id, source, locator, observed_at, confidence, run_id, facts"
        " FROM statements WHERE lower(facts) LIKE ? ESCAPE '\\'"
        " AND entity_id LIKE 'p\\_%' ESCAPE '\\'",
        (like,),
    ).fetchall():
        if entity_id in found:
            continue
        if any(
            o.field == "email" and normalize_email_key(o.value) == key
            for o in explode(entity_id, source, locator, observed_at, confidence, run_id, facts)
        ):
            found.append(entity_id)
    return found


def _scrub_address(store: Store, address: str, state: RunState) -> set[str]:
    """Remove every other copy of the address; return the companies to refresh."""
    like = f"%{_like_escape(address)}%"
    touched: set[str] = set()
    for sid, entity_id, source, locator, observed_at, confidence, run_id, facts in (
        store.conn.execute(
            "SELECT id, entity_id, source, locator, observed_at, confidence, run_id, facts"
            " FROM statements WHERE lower(facts) LIKE ? ESCAPE '\\'", (like,)
        ).fetchall()
    ):
        kept = [
            [o.field, o.value, o.confidence] + ([o.source] if o.source != source else [])
            for o in explode(entity_id, source, locator, observed_at, confidence, run_id, facts)
            if address not in o.value.lower()
        ]
        if kept:
            store.conn.execute(
                "UPDATE statements SET facts = ? WHERE id = ?",
                (json.dumps(kept, ensure_ascii=False), sid),
            )
        else:
            store.conn.execute("DELETE FROM statements WHERE id = ?", (sid,))
        touched.add(entity_id)
        state.add("statements_scrubbed")
    state.add("quarantine_deleted", store.conn.execute(
        "DELETE FROM quarantine WHERE lower(raw) LIKE ? ESCAPE '\\'", (like,)).rowcount)
    # A before-image holding the address (a company's: people's keep only ids and stage
    # columns): the merge can no longer be undone exactly, but the address is gone.
    state.add("merge_log_deleted", store.conn.execute(
        "DELETE FROM merge_log WHERE lower(rows_before) LIKE ? ESCAPE '\\'", (like,)).rowcount)
    state.add("runs_scrubbed", store.conn.execute(
        "UPDATE runs SET options = '{}' WHERE lower(options) LIKE ? ESCAPE '\\'",
        (like,)).rowcount)
    companies = {e for e in touched if e.startswith("c_")}
    people = [e for e in touched if e.startswith("p_")]
    if people:
        store.refresh_people(people)
    return companies


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _purge_files(store: Store) -> None:
    """Leave no freed page holding the old bytes: checkpoint the WAL, vacuum, truncate."""
    try:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("VACUUM")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"{store.path}: the person was erased, but another process holds the database "
            f"so old pages could not be purged yet; re-run 'prospecting forget' ({exc})"
        ) from exc
