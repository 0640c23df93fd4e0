"""The enrichment stage: validate and fill contact fields for people and companies.

Work is picked by what is missing or stale in ``work_log`` (an entity whose inputs
changed, that a component never saw, or saw too long ago), never by "since the last
run". Each batch is computed, then committed in one transaction with its bookkeeping,
so a killed run re-run picks up exactly the entities that were not committed.

Components, each with a version (bumping it re-enriches everyone):

* ``enrich.offline``: email syntax and flags, phones to E.164, names split and
  re-cased, titles to seniority and department, company names, domains and legal
  identifiers. CPU only; spread over both cores for large batches. With ``offline``,
  worker processes do all the per-person work of a range (select, enrich, compare
  with what is stated, build the statement, people and work-log rows) on a read-only
  snapshot and this process only writes the rows (see ``_offline_pass``).
* ``enrich.dns``: MX lookups per distinct domain (cached in ``dns_cache`` with TTL),
  turning syntax results into deliverability statuses. Skipped with ``offline``.
* ``enrich.smtp``: opt-in mailbox probe per domain, catch-all detection.

Every result is an observation with the component as source, so the views pick it
by confidence like any other fact and the file's own value is never overwritten.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice
from json.encoder import encode_basestring as _encode  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any, NamedTuple

from prospecting.collect import fewer_collections
from prospecting.forked import die_with_parent
from prospecting.icp import normalize_country
from prospecting.models import PACKED_SOURCE, Fact, dumps, loads
from prospecting.privacy import e164_shape
from prospecting.runs import Progress, RunState
from prospecting.store import (
    GUESS_SOURCE,
    PreparedFacts,
    Store,
    chunked,
    enriched_person_row,
    moved_companies,
    packed_statement_row,
    prepare_facts,
    split_same_links,
    utc_now,
)

# Imported here, not in the functions: an import statement costs microseconds even
# when the module is loaded, and offline_facts runs once per person.
from .email_syntax import check_email_syntax
from .names import ordered_by_address, recase_place, split_name
from .phones import check_phone, further_numbers
from .titles import classify_title

__all__ = ["COMPONENTS", "enrich"]

OFFLINE = "enrich.offline"
DNS = "enrich.dns"
SMTP = "enrich.smtp"
FINDER = "enrich.finder"
# A component's version changes with what it finds: the next run then does its work
# again for everyone, so a store enriched by an older release gets the newer results.
# 2: phone cells with notes, floats and two numbers; names written as logins; a job
# title after the name; each email verdict with its code and method. offline 3: the
# further numbers of a phone cell. offline 4: a country code written without its +.
COMPONENTS = {OFFLINE: "4", DNS: "2", SMTP: "2", FINDER: "2"}
FINDER_SAMPLE = 12  # known addresses per domain the finder learns from

NAME_CONFIDENCE = 0.85  # above a file's 0.8: the same name, split and cased properly
ASIDE_CONFIDENCE = 0.6  # a title read in a name column ("… - CEO", "Service comptabilité")
DERIVED_CONFIDENCE = 0.9  # seniority, department, E.164: computed from the person's data
CHECK_CONFIDENCE = 0.95  # verification results
GUESS_CONFIDENCE = 0.6  # a company domain inferred from its people's addresses
PLACE_CONFIDENCE = 0.5  # a person's country read from their phone number's
EMAIL_PLACE_CONFIDENCE = 0.4  # … or from their email domain's country code
SPLIT_CONFIDENCE = 0.7  # a further number in a phone cell ("Tél … / Mobile …"): the first leads

_FIRST = itemgetter(0)
_PARALLEL_MIN = 4000  # below this, a process pool costs more than it saves

_PEOPLE_COLUMNS = """
SELECT p.id, p.first_name, p.last_name, p.full_name, p.civility, p.title, p.country,
       p.emails, p.phones, p.company_id, c.country, c.website, c.domain, p.email
FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id
"""
_PEOPLE_SQL = _PEOPLE_COLUMNS + " WHERE p.merged_into IS NULL ORDER BY p.seq"


def _person_input(row: Sequence[Any]) -> dict[str, Any]:
    return {
        "id": row[0],
        "first_name": row[1],
        "last_name": row[2],
        "full_name": row[3],
        "civility": row[4],
        "title": row[5],
        "country": row[6],
        # Guessed addresses are the finder's output, not an input to check again.
        "emails": [e["value"] for e in loads(row[7]) if "guessed" not in e["flags"]],
        "phones": [p["raw"] for p in loads(row[8])],
        "company_id": row[9],
        "company_country": row[10],
        "company_website": row[11],
        "company_domain": row[12],
    }


def input_hash(record: Mapping[str, Any]) -> str:
    """What an enricher's result depends on; a change means the work is stale."""
    return hashlib.sha1(dumps(sorted(record.items())).encode(), usedforsecurity=False).hexdigest()


def _json_text(value: str | None) -> str:
    return "null" if value is None else _encode(value)


def _stale_before(max_age_days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=max_age_days)).isoformat(timespec="microseconds")


def _select_people(
    store: Store, components: Sequence[str], max_age_days: float, batch_size: int,
    only: set[str] | None = None,
) -> Iterator[list[tuple[dict[str, Any], str, list[str]]]]:
    """Batches of (person input, its hash, components that must run on it).

    ``only`` limits the look to these people (a second round after company changes).
    """
    if only is not None and not only:
        return
    stale = _stale_before(max_age_days)
    if only is None:
        done: dict[str, dict[str, tuple[str, str, str]]] = {}
        for entity_id, component, version, digest, done_at in store.conn.execute(
            "SELECT entity_id, component, version, input_hash, done_at FROM work_log"
            " WHERE entity_id LIKE 'p\\_%' ESCAPE '\\'"
        ):
            done.setdefault(entity_id, {})[component] = (version, digest, done_at)
    else:  # a few people: their own entries rather than everyone's
        done = _work_done(store.conn, sorted(only))
    batch: list[tuple[dict[str, Any], str, list[str]]] = []
    for rows in _people_rows(store, only):
        batch.extend(_todo(rows, done, components, stale))
        while len(batch) >= batch_size:
            yield batch[:batch_size]
            batch = batch[batch_size:]
    if batch:
        yield batch


def _todo(
    rows: Iterable[Sequence[Any]], done: Mapping[str, Mapping[str, tuple[str, str, str]]],
    components: Sequence[str], stale: str, *, lazy: bool = False,
) -> list[tuple[dict[str, Any], str, list[str]]]:
    """(person input, its hash, components to run) for the rows some component must see.

    With ``lazy``, a person no component saw yet gets an empty hash: the caller hashes
    the input only if it still needs it (a refreshed person is logged with the hash of
    the row as it then reads).
    """
    found = []
    for row in rows:
        record = _person_input(row)
        logged = done.get(record["id"], {})
        if lazy and not logged:
            found.append((record, "", list(components)))
            continue
        digest = input_hash(record)
        todo = [
            c
            for c in components
            if logged.get(c) is None
            or logged[c][0] != COMPONENTS[c]
            or logged[c][1] != digest
            or logged[c][2] < stale
        ]
        if todo:
            found.append((record, digest, todo))
    return found


def _people_rows(store: Store, only: set[str] | None) -> Iterator[list[Sequence[Any]]]:
    if only is None:
        cursor = store.conn.execute(_PEOPLE_SQL)
        while rows := cursor.fetchmany(1000):
            yield rows
        return
    for chunk in chunked(sorted(only), 500):
        marks = ", ".join("?" for _ in chunk)
        yield store.conn.execute(
            _PEOPLE_COLUMNS + f" WHERE p.id IN ({marks}) AND p.merged_into IS NULL", chunk
        ).fetchall()


def offline_facts(record: Mapping[str, Any]) -> dict[str, Any]:
    """Everything computable from the record alone: facts, and syntax results for DNS.

    A pure function of the record, so it can run in a worker process.
    """
    facts: list[Fact] = []
    parts = split_name(
        record.get("full_name"), first=record.get("first_name"), last=record.get("last_name")
    )
    if not record.get("first_name") and not record.get("last_name"):
        # "Martin Sophie" at sophie.martin@: the order the person's address writes.
        parts = ordered_by_address(parts, record.get("emails", ()))
    for field in ("first_name", "last_name", "civility"):
        value = getattr(parts, field, None)
        if value and value != record.get(field):
            facts.append((field, value, NAME_CONFIDENCE))
    if parts.full_name and not record.get("full_name"):
        facts.append(("full_name", parts.full_name, NAME_CONFIDENCE))
    title = classify_title(record["title"]) if record.get("title") else None
    if title is None:
        # No title stated: the job title after the name in a name column ("Luc Bernard -
        # CEO"), or the team or role written instead of a name ("Direction commerciale",
        # "Service comptabilité"), if that is what it reads as, below any stated title.
        said = parts.aside
        if said is None and parts.reason == "not a person":
            said = record.get("full_name") or " ".join(
                v for v in (record.get("first_name"), record.get("last_name")) if v)
        role = classify_title(said) if said else None
        if role is not None and (role.seniority or role.department):
            facts.append(("title", said, ASIDE_CONFIDENCE))
            title = role
    if title is not None:
        if title.seniority:
            facts.append(("seniority", title.seniority, DERIVED_CONFIDENCE))
        if title.department:
            facts.append(("department", title.department, DERIVED_CONFIDENCE))
    syntaxes = []
    for email in record.get("emails", ()):
        syntax = check_email_syntax(email)
        syntaxes.append((email, syntax))
        if syntax.valid and syntax.normalized and syntax.normalized != email:
            facts.append(("email", syntax.normalized, NAME_CONFIDENCE))
    region = record.get("country") or record.get("company_country")
    region = region if isinstance(region, str) and len(region) == 2 else None
    located = bool(record.get("country"))
    for raw in record.get("phones", ()):
        check, where = _phone_check(raw, region)
        facts.append(("phone_check", check, CHECK_CONFIDENCE))
        # The check reads the cell's first number; the others in it are numbers too.
        for number in further_numbers(raw):
            facts.append(("phone", number, SPLIT_CONFIDENCE))
            facts.append(("phone_check", _phone_check(number, region)[0], CHECK_CONFIDENCE))
        if where and not located:
            # No country of their own: the country of their first valid number, below
            # anything a source states ("+33 6 12 34 56 78" is a French line).
            facts.append(("country", where, PLACE_CONFIDENCE))
            located = True
    if not located and not record.get("company_country"):
        # Nor a number to tell: the country code of their address's domain (orange.fr,
        # web.de, acme.co.uk; never .com or .io), lower still.
        for _, syntax in syntaxes:
            where = _domain_country(syntax.domain) if syntax.valid else None
            if where:
                facts.append(("country", where, EMAIL_PLACE_CONFIDENCE))
                break
    return {"id": record["id"], "facts": facts, "syntax": syntaxes}


@lru_cache(maxsize=1 << 16)
def _phone_check(raw: str, region: str | None) -> tuple[str, str | None]:
    """The ``phone_check`` fact of one number, and its country when it is valid (the
    non-geographic "001" is none): the same number in the same country is common in a
    file (a company's switchboard), and so is its JSON."""
    check = check_phone(raw, region, bare_international=True)
    country = check.region if check.valid and check.region not in (None, "001") else None
    fact = dumps(
        {
            "raw": raw,
            "e164": check.e164,
            "valid": check.valid,
            "type": check.type,
            "region": check.region,
            "timezones": list(check.timezones),
            "extension": check.extension,
            "reason": check.reason,
        }
    )
    return fact, country


def _offline_chunk(records: list[dict[str, Any]], finish: bool = False) -> list[dict[str, Any]]:
    """Offline results for ``records``; with ``finish`` (no DNS or SMTP to wait for), the
    email statuses too and each statement ready to write, so the committing process
    only compares and writes."""
    results = [offline_facts(r) for r in records]
    if finish:
        _status_facts(results, None, None)
        for result in results:
            result["statements"] = _statements(result["id"], result["facts"])
            result["syntax"] = []
    return results


Statement = tuple[str, list[Fact], PreparedFacts | None]


def _statements(entity_id: str, facts: list[Fact]) -> list[Statement]:
    """The facts grouped by enricher source, one statement each; JSON and id included
    when there is only one (several are packed into one row, see ``Store.plan_facts``)."""
    by_source: dict[str, list[Fact]] = {}
    for fact in facts:
        by_source.setdefault(_SOURCES.get(fact[0], "enricher:other"), []).append(fact)
    if len(by_source) > 1:
        return [(source, grouped, None) for source, grouped in by_source.items()]
    return [
        (source, grouped, prepare_facts(entity_id, source, grouped, keys=False))
        for source, grouped in by_source.items()
    ]


def _computed(
    batches: Iterable[list[tuple[dict[str, Any], str, list[str]]]],
    pool: ProcessPoolExecutor | None,
    workers: int,
    finish: bool = False,
) -> Iterator[tuple[list[tuple[dict[str, Any], str, list[str]]], list[dict[str, Any]]]]:
    """Each batch with its offline results, computing one batch ahead on the pool."""
    if pool is None:
        for batch in batches:
            yield batch, _offline_chunk([record for record, _, _ in batch], finish)
        return
    ahead: tuple[Any, list[Future[list[dict[str, Any]]]]] | None = None
    for batch in batches:
        records = [record for record, _, _ in batch]
        size = max(250, len(records) // (2 * workers))
        futures = [
            pool.submit(_offline_chunk, records[i : i + size], finish)
            for i in range(0, len(records), size)
        ]
        if ahead is not None:
            yield ahead[0], [r for f in ahead[1] for r in f.result()]
        ahead = (batch, futures)
    if ahead is not None:
        yield ahead[0], [r for f in ahead[1] for r in f.result()]


def _status_facts(
    results: list[dict[str, Any]], mx: Mapping[str, Any] | None, smtp: Mapping[str, Any] | None
) -> None:
    from .email_status import email_status

    for result in results:
        for email, syntax in result["syntax"]:
            domain = syntax.domain if syntax.valid else None
            mx_result = mx.get(domain) if (mx is not None and domain) else None
            smtp_result = smtp.get(syntax.normalized or email) if smtp else None
            if mx_result is None and smtp_result is None:
                # Nothing looked up or probed (offline): the verdict depends on the
                # syntax's validity, reason and flags alone, a few dozen combinations.
                key = (syntax.valid, syntax.reason, syntax.flags)
                tail = _UNCHECKED_TAILS.get(key)
                if tail is None:
                    tail = _verdict_tail(email_status(syntax, None, None))
                    if len(_UNCHECKED_TAILS) < 4096:
                        _UNCHECKED_TAILS[key] = tail
            else:
                tail = _verdict_tail(email_status(syntax, mx_result, smtp_result))
            # The JSON ``dumps`` gives for {"email", "normalized", "status", "flags",
            # "reason", "code", "method"}, written directly: one per address of a
            # million-row run.
            rest = f', "normalized": {_json_text(syntax.normalized)}, "status": {tail}'
            result["facts"].append(
                ("email_status", f'{{"email": {_encode(email)}{rest}', CHECK_CONFIDENCE)
            )
            if syntax.normalized and syntax.normalized != email:
                result["facts"].append((
                    "email_status", f'{{"email": {_encode(syntax.normalized)}{rest}',
                    CHECK_CONFIDENCE,
                ))


# The end of an ``email_status`` fact's JSON, from "status" on, by (valid, reason, flags)
# of the syntax, for addresses neither looked up nor probed (see ``_status_facts``).
_UNCHECKED_TAILS: dict[tuple[bool, str, frozenset[str]], str] = {}


def _verdict_tail(verdict: Any) -> str:
    return (
        f'{_encode(verdict.status)}, "flags": [{", ".join(map(_encode, verdict.flags))}],'
        f' "reason": {_encode(verdict.reason)}, "code": {_encode(verdict.code)},'
        f' "method": {_encode(verdict.method)}}}'
    )


def enrich(
    store: Store,
    state: RunState,
    *,
    offline: bool = False,
    smtp: bool = False,
    batch_size: int = 2000,
    max_age_days: float = 30.0,
    workers: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Run the enrichment components that have work, in committed batches."""
    with fewer_collections():
        _enrich(store, state, offline=offline, smtp=smtp, batch_size=batch_size,
                max_age_days=max_age_days, workers=workers, progress=progress)


def _enrich(
    store: Store,
    state: RunState,
    *,
    offline: bool,
    smtp: bool,
    batch_size: int,
    max_age_days: float,
    workers: int | None,
    progress: Progress | None,
) -> None:
    components = [OFFLINE] + ([] if offline else [DNS]) + ([SMTP] if smtp and not offline else [])
    resolver = None if offline else _resolver(store)
    prober = _prober(store) if smtp and not offline else None
    total = store.conn.execute("SELECT count(*) FROM people WHERE merged_into IS NULL").fetchone()[
        0
    ]
    workers = workers or min(2, os.cpu_count() or 1)
    parallel = workers > 1 and total >= _PARALLEL_MIN
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
    ) if parallel and not offline else None
    done = 0
    try:
        # Two rounds: companies first, since people's inputs include their company's
        # country and domain; then companies again, whose domain may now be read off
        # their people's normalised addresses, and the few people that changes. One
        # run reaches the state a second run would leave unchanged.
        only: set[str] | None = None
        for _ in range(2):
            refresh_later, companies_changed = _enrich_companies(store, state)
            if only is not None:
                only = set(refresh_later)
            elif offline:
                # Everyone is looked at: workers select, compute, compare and build the
                # rows, this process only writes them.
                done = _offline_pass(
                    store, state, components, max_age_days, refresh_later, companies_changed,
                    workers if parallel else 1, progress, done, total,
                )
            # The workers compute the next batch while this process commits the current
            # one.
            for batch, results in _computed(
                _select_people(store, components, max_age_days, batch_size, only)
                if only is not None or not offline else (), pool, workers, finish=offline,
            ):
                if not offline:
                    mx = _lookup_domains(store, resolver, results) if resolver else None
                    probes = (
                        _probe(prober, results, mx, resolver)
                        if prober and mx is not None else None
                    )
                    _status_facts(results, mx, probes)
                _commit(store, state, batch, results, refresh_later)
                done += len(batch)
                if progress:
                    progress(done, total)
            for chunk in chunked(sorted(refresh_later), 2000):
                with store.write():
                    store.refresh_people(chunk)
            only = set()
        _find_emails(
            store, state, prober, resolver, workers if parallel and prober is None else 1
        )
    finally:
        if pool is not None:
            pool.shutdown()


_RANGE = 1000  # people per task of the offline pass
# Ranges written per transaction. Statement ids are hashes, so every transaction adds
# rows all over the statements table and its indexes and writes most of their pages
# again (to the log, then the file): at a million people, 20 ranges per transaction
# wrote 15.8 GB, 100 write 9.2 GB, for about 100 MB more memory.
_COMMIT_RANGES = 100


class _Prepared(NamedTuple):
    """One range of people, enriched, compared and built, ready to write."""

    read: int  # people some component had to see
    statements: list[tuple[Any, ...]]  # for Store.add_statements
    people: list[tuple[Any, ...]]  # for Store.write_people
    gone: list[str]
    company_ids: list[str]
    log: list[tuple[str, str, str, str, str, str]]  # for _log_work
    changed: int
    seen: list[str]  # ids of the people enriched (no longer to refresh later)
    same_links: list[tuple[Any, ...]]  # people rows keeping their email and company


def _offline_pass(
    store: Store, state: RunState, components: Sequence[str], max_age_days: float,
    refresh_later: set[str], companies_changed: set[str], workers: int,
    progress: Progress | None, done: int, total: int,
) -> int:
    """Every person, offline, in ranges of ``_RANGE``; returns ``done`` updated.

    Each range is prepared from a read snapshot (by a worker process when ``workers`` >
    1, several ranges ahead) and written here with its work log, ``_COMMIT_RANGES``
    ranges per transaction. ``PRAGMA data_version`` tells whether another connection
    committed since the range was handed out; if so, the snapshot may be stale and the
    range is done again here the way ``_commit`` does it, comparing inside the write
    transaction. This process's own writes never touch another range's people (ranges
    split the people by ``seq``), nor what a range reads of companies.
    """
    seqs = [
        r[0] for r in store.conn.execute(
            "SELECT seq FROM people WHERE merged_into IS NULL ORDER BY seq"
        )
    ]
    ranges = [(seqs[i], seqs[min(i + _RANGE, len(seqs)) - 1]) for i in range(0, len(seqs), _RANGE)]
    del seqs
    task = (tuple(components), _stale_before(max_age_days), state.run_id)
    changed = frozenset(companies_changed)
    # Fewer, larger checkpoints: each range rewrites pages the next ones touch again; and
    # a larger page cache for the indexes every range inserts into at random places.
    checkpoint = store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    store.conn.execute(f"PRAGMA wal_autocheckpoint = {max(checkpoint, 16384)}")
    try:
        with store.page_cache(256):
            return _offline_ranges(
                store, state, task, ranges, changed, refresh_later, workers, progress, done,
                total,
            )
    finally:
        store.conn.execute(f"PRAGMA wal_autocheckpoint = {checkpoint}")


def _offline_ranges(
    store: Store, state: RunState, task: tuple[tuple[str, ...], str, str],
    ranges: list[tuple[int, int]], changed: frozenset[str], refresh_later: set[str],
    workers: int, progress: Progress | None, done: int, total: int,
) -> int:
    ready: list[tuple[int, int, int, _Prepared]] = []

    def flush() -> None:
        nonlocal done
        read = _write_prepared(store, state, ready, refresh_later)
        for version, lo, hi, _ in ready:
            if version < 0:  # stale snapshot: done again here
                read += _redo_range(store, state, task, lo, hi, refresh_later)
        ready.clear()
        _bound_wal(store)
        done += read
        if progress and read:
            progress(done, total)

    def finish(version: int, lo: int, hi: int, work: _Prepared) -> None:
        ready.append((version, lo, hi, work))
        if len(ready) >= _COMMIT_RANGES:
            flush()

    # Each range's statements are dated from one clock reading, a microsecond apart in
    # the order of the ranges (of the people's seq): which worker took a range first
    # never orders two people's enrichment, and a run stopped and run again dates the
    # ranges left after those done, as one run would. Survivorship's ties on recency
    # (a golden record's members) then rest on the people's order alone.
    base = datetime.now(UTC)

    def dated(k: int) -> str:
        return (base + timedelta(microseconds=k)).isoformat(timespec="microseconds")

    if workers <= 1:
        for k, (lo, hi) in enumerate(ranges):
            version = _data_version(store)
            finish(version, lo, hi,
                   _prepare_range(store, changed, *task, lo, hi, now=dated(k)))
        flush()
        return done
    with _reader_pool(store, workers, changed) as pool:
        ahead: deque[tuple[int, int, int, Future[_Prepared]]] = deque()
        for k, (lo, hi) in enumerate(ranges):
            version = _data_version(store)
            ahead.append((version, lo, hi, pool.submit(
                _prepare_in_worker, *task, lo, hi, version, dated(k))))
            if len(ahead) > 2 * workers + _COMMIT_RANGES:
                version, first, last, future = ahead.popleft()
                finish(version, first, last, future.result())
        while ahead:
            version, first, last, future = ahead.popleft()
            if ready and not future.done() and (
                len(ready) >= _COMMIT_RANGES // 4 or len(ahead) < _COMMIT_RANGES // 4
            ):
                # Nothing left to hand out: write what is ready while the workers finish,
                # rather than all of it once they have; near the end whatever is ready,
                # so that little is left to write once they are done.
                flush()
            finish(version, first, last, future.result())
        flush()
    return done


_WAL_LIMIT = 512 << 20  # bytes


def _bound_wal(store: Store) -> None:
    """Start the WAL over once it passed ``_WAL_LIMIT``.

    Workers read all the time, so the automatic checkpoints copy pages back but the
    file never starts over; RESTART waits (busy timeout) for the readers of the
    moment to finish a range.
    """
    try:
        size = os.path.getsize(f"{store.path}-wal")
    except OSError:
        return
    if size > _WAL_LIMIT:
        store.conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()


def _data_version(store: Store) -> int:
    """Changes whenever another connection commits (never for this one's own commits)."""
    return int(store.conn.execute("PRAGMA data_version").fetchone()[0])


_READER: tuple[Store, frozenset[str]] | None = None


def _load_before_fork() -> None:
    """Load what the workers use (modules, data files, the suffix list, compiled
    patterns) once, here: forked workers then share it instead of each loading its own."""
    from . import email_status, finder  # noqa: F401 - _status_facts imports the first
    from .company import company_domain

    company_domain(email="x@example.org")
    offline_facts({
        "id": "", "first_name": "Jean", "last_name": "Dupont", "full_name": None,
        "civility": None, "title": "Directeur commercial", "country": "FR",
        "emails": ["jean.dupont@example.org"], "phones": ["+33 1 99 00 12 34"],
    })


def _reader_pool(
    store: Store, workers: int, companies_changed: frozenset[str]
) -> ProcessPoolExecutor:
    """Worker processes that read ``store`` (see :func:`_reader_init`) and die with this
    one; what they use is loaded here first, to be shared."""
    _load_before_fork()
    return ProcessPoolExecutor(
        max_workers=workers, initializer=_reader_init,
        initargs=(str(store.path), store.settings, store.source_rank, store.tag_rule,
                  companies_changed, os.getpid()),
    )


def _reader_init(
    path: str, settings: Any, source_rank: dict[str, int], tag_rule: Any,
    companies_changed: frozenset[str], parent: int,
) -> None:
    global _READER
    die_with_parent(parent)
    # A worker's own process: what it inherited and loaded stays out of the collector's
    # scans, and the many short-lived objects of each range rarely trigger one.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    reader = Store.reader(path, settings)
    reader.source_rank, reader.tag_rule = source_rank, tag_rule  # exactly the parent's
    _READER = (reader, companies_changed)


def _prepare_in_worker(
    components: tuple[str, ...], stale: str, run_id: str, lo: int, hi: int, version: int,
    now: str,
) -> _Prepared:
    assert _READER is not None
    store, changed = _READER
    with _no_collections():
        return _prepare_range(
            store, changed, components, stale, run_id, lo, hi, keep_companies=version, now=now
        )


# A worker's company rows kept from one range to the next: (writer's version, the block).
_KEPT: list[tuple[int, contextlib.ExitStack]] = []


def _keep_companies(store: Store, version: int) -> None:
    """Keep the company rows read for people's tags (:meth:`Store.companies_cached`)
    from one range to the next while no connection but the writer committed anything.

    ``version`` is the writing process's ``PRAGMA data_version`` when it handed the range
    out: it changes whenever a connection other than its own commits. Its own commits
    during the pass write people, statements, the work log and companies' people counts,
    never what the kept rows hold. A foreign commit after the range was handed out
    gets the range done again by the writer (see ``_write_prepared``); one before it
    changed ``version``, and the rows are read anew. Only for a worker's connection,
    which never writes.
    """
    if _KEPT and _KEPT[0][0] == version:
        return
    while _KEPT:
        _KEPT.pop()[1].close()
    block = contextlib.ExitStack()
    block.enter_context(store.companies_cached())
    _KEPT.append((version, block))


@contextlib.contextmanager
def _no_collections() -> Iterator[None]:
    """No cycle collection while one range is prepared.

    A range's observations, rows and statements all stay alive until it is done, so
    every collection during it would only scan them again (a tenth of a worker's time);
    the few cycles it may leave are collected after it, with what is left then (the
    rows sent back).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _prepare_range(
    store: Store, companies_changed: frozenset[str], components: tuple[str, ...], stale: str,
    run_id: str, lo: int, hi: int, *, keep_companies: int | None = None,
    now: str | None = None,
) -> _Prepared:
    """Select, enrich, compare with what is stated and build the rows of one range, read-only.

    The same work as ``_select_people``, ``_offline_chunk`` and ``_commit``, on one
    read snapshot. ``keep_companies``: in a worker, the version for ``_keep_companies``;
    ``now``: the time the range's statements and work are dated (see
    ``_offline_ranges``), else the clock's.
    """
    conn = store.conn
    conn.execute("BEGIN")
    try:
        rows, done = _range_rows(conn, lo, hi)
        if keep_companies is not None:
            _keep_companies(store, keep_companies)
        batch = _todo(rows, done, components, stale, lazy=True)
        results = _offline_chunk([record for record, _, _ in batch], finish=True)
        now = now or utc_now()
        direct, direct_statements = _direct_rows(
            store,
            ((record["id"], CHECK_CONFIDENCE, result["statements"])
             for (record, _, _), result in zip(batch, results, strict=True)),
            now, run_id, pack=True,
        )
        items = []
        prepared = []
        for (record, _, _), result in zip(batch, results, strict=True):
            if record["id"] in direct:
                continue
            for source, facts, ready in result["statements"]:
                items.append((record["id"], source, None, now, CHECK_CONFIDENCE, run_id, facts))
                prepared.append(ready)
        statements, changed, _, observations = store.plan_facts(
            items, prepared, known={record["id"] for record, _, _ in batch} - direct.keys(),
            pack=True,
        )
        statements.extend(direct_statements)
        changed.update(direct)
        # Whoever's company changed earlier in this run is refreshed too.
        refresh = {record["id"] for record, _, _ in batch
                   if record["company_id"] in companies_changed}
        to_refresh = sorted(changed | refresh)
        built: list[dict[str, Any]] = []
        people, gone, company_ids = (
            store.people_rows(
                to_refresh, observations=observations, built_rows=built, ready=direct
            )
            if to_refresh else ([], [], [])
        )
        # Most people keep their email and company: written without rewriting those
        # indexes. What the snapshot holds is what the rows are written over (another
        # writer meanwhile and the range is done again, see ``_write_prepared``).
        links = {row[0]: (row[13], row[9]) for row in rows}
        people, same_links = split_same_links(people, links)
        # A company's count of people changes only when one moves in or out (or is
        # gone): not for the rows keeping their company, nor most of the others.
        company_ids = moved_companies(people, gone, links)
        # The work is logged against the person as it now reads (see ``_commit``).
        wanted = set(to_refresh)
        built = [row for row in built if row["id"] in wanted]
        # The companies as the range's own rows joined them (same snapshot); others read.
        companies = {
            record["company_id"]: (
                record["company_country"], record["company_website"], record["company_domain"]
            )
            for record, _, _ in batch if record["company_id"]
        }
        companies.update(_company_inputs(
            store, {row["company_id"] for row in built} - companies.keys()
        ))
        digests = {
            row["id"]: _row_hash(row, companies.get(row["company_id"])) for row in built
        }
        for record, digest, _ in batch:
            if record["id"] not in digests:
                digests[record["id"]] = digest or input_hash(record)
    finally:
        conn.execute("COMMIT")
    log = [
        (record["id"], component, COMPONENTS[component], digests[record["id"]], now, run_id)
        for record, _, todo in batch
        for component in todo
    ]
    return _Prepared(
        len(batch), statements, people, gone, company_ids, log, len(changed),
        [record["id"] for record, _, _ in batch], same_links,
    )


def _direct_rows(
    store: Store, news: Iterable[tuple[str, float, list[Statement]]], now: str, run_id: str,
    *, pack: bool,
) -> tuple[dict[str, dict[str, Any]], list[tuple[Any, ...]]]:
    """People rows and statement rows for what enrichers now say about people, derived
    without exploding observations where :func:`enriched_person_row` can.

    ``news`` holds (person id, confidence, new statements as (source, facts, prepared))
    stated ``now``; ``pack`` makes one row of each person's, as ``Store.plan_facts``
    packs them. Taken: people with one statement by a source (a CSV row, a crawl, a
    connector) plus enrichers' statements, where no new source said anything before
    (a restatement is compared the general way). The others go the general way
    (``Store.plan_facts`` and ``Store.people_rows``); so does everyone once some person
    is merged, since a golden record's row comes from all its members.
    """
    rows: dict[str, dict[str, Any]] = {}
    statements: list[tuple[Any, ...]] = []
    news = [item for item in news if any(facts for _, facts, _ in item[2])]
    if not news or store.has_merges("people"):
        return rows, statements
    stored = store.statements_of(pid for pid, _, _ in news)
    rank = store.source_rank
    for pid, confidence, parts in news:
        split = _source_and_enrichers(stored.get(pid, ()), {source for source, _, _ in parts})
        if split is None:
            continue
        base, added = split
        parts = [part for part in parts if part[1]]
        added.extend(
            (f[0], f[1], f[2] if len(f) > 2 else confidence, source, now)
            for source, facts, _ in parts for f in facts
        )
        row = enriched_person_row(pid, base, added, rank, now)
        if row is None:
            continue
        rows[pid] = row
        if pack:
            statements.append(packed_statement_row(pid, now, confidence, run_id, parts))
        else:
            statements.extend(
                packed_statement_row(pid, now, confidence, run_id, [part]) for part in parts
            )
    return rows, statements


def _source_and_enrichers(
    held: Iterable[tuple[str, str | None, str, float, str, str]], new_sources: set[str],
) -> tuple[tuple[Any, ...], list[tuple[str, Any, float, str, str]]] | None:
    """A person's stored statements (``Store.statements_of``) split as
    :func:`enriched_person_row` takes them: the one statement by a source, its facts
    read, and the enrichers' facts as (field, value, confidence, source, observed_at).
    None for anything else: no such statement or several, unreadable facts, or an
    enricher among ``new_sources`` that said something before."""
    base = None
    added: list[tuple[str, Any, float, str, str]] = []
    try:
        for source, locator, at, confidence, run_id, facts_text in held:
            if source != PACKED_SOURCE and not source.startswith("enricher:"):
                if base is not None:
                    return None
                base = (source, locator, at, confidence, run_id, loads(facts_text))
                continue
            for f in loads(facts_text):
                said_by = f[3] if source == PACKED_SOURCE and len(f) > 3 else source
                if said_by in new_sources:
                    return None
                added.append((f[0], f[1], f[2] if len(f) > 2 else confidence, said_by, at))
    except ValueError:
        return None
    return None if base is None else (base, added)


def _company_inputs(store: Store, ids: Iterable[str | None]) -> dict[str, tuple[Any, ...]]:
    """(country, website, domain) of companies, as ``_PEOPLE_COLUMNS`` joins them."""
    found: dict[str, tuple[Any, ...]] = {}
    for chunk in chunked([i for i in ids if i], 500):
        marks = ", ".join("?" for _ in chunk)
        for cid, *values in store.conn.execute(
            f"SELECT id, country, website, domain FROM companies WHERE id IN ({marks})", chunk
        ):
            found[cid] = tuple(values)
    return found


def _row_hash(row: Mapping[str, Any], company: tuple[Any, ...] | None) -> str:
    """``input_hash(_row_input(row, company))``, its sorted pairs written out directly
    as ``dumps`` writes them (one per person enriched)."""
    country, website, domain = company or (None, None, None)
    get = row.__getitem__
    emails = [e["value"] for e in get("_emails") if "guessed" not in e["flags"]]
    text = (
        f'[["civility", {_value_json(get("civility"))}], '
        f'["company_country", {_value_json(country)}], '
        f'["company_domain", {_value_json(domain)}], '
        f'["company_id", {_value_json(get("company_id"))}], '
        f'["company_website", {_value_json(website)}], '
        f'["country", {_value_json(get("country"))}], '
        f'["emails", {_texts_json(emails)}], '
        f'["first_name", {_value_json(get("first_name"))}], '
        f'["full_name", {_value_json(get("full_name"))}], '
        f'["id", {_value_json(get("id"))}], '
        f'["last_name", {_value_json(get("last_name"))}], '
        f'["phones", {_texts_json([p["raw"] for p in get("_phones")])}], '
        f'["title", {_value_json(get("title"))}]]'
    )
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _value_json(value: Any) -> str:
    """``dumps(value)``, a text or None written without the encoder's call."""
    if value is None:
        return "null"
    return _encode(value) if type(value) is str else dumps(value)


def _texts_json(values: list[Any]) -> str:
    """``dumps(values)`` for a list of texts, written without the encoder's call."""
    if all(type(v) is str for v in values):
        return f"[{', '.join(map(_encode, values))}]"
    return dumps(values)


def _row_input(row: Mapping[str, Any], company: tuple[Any, ...] | None) -> dict[str, Any]:
    """``_person_input`` of a people row just built (before it is written)."""
    country, website, domain = company or (None, None, None)
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "full_name": row["full_name"],
        "civility": row["civility"],
        "title": row["title"],
        "country": row["country"],
        "emails": [e["value"] for e in row["_emails"] if "guessed" not in e["flags"]],
        "phones": [p["raw"] for p in row["_phones"]],
        "company_id": row["company_id"],
        "company_country": country,
        "company_website": website,
        "company_domain": domain,
    }


def _write_prepared(
    store: Store, state: RunState, ready: list[tuple[int, int, int, _Prepared]],
    refresh_later: set[str],
) -> int:
    """Write prepared ranges in one transaction; returns the people read.

    A range whose snapshot may be stale (another connection committed since it was
    handed out) is not written: its version becomes -1 for the caller to redo it.
    """
    statements: list[tuple[Any, ...]] = []
    written = []
    with store.write():
        current = _data_version(store)
        for n, (version, lo, hi, work) in enumerate(ready):
            if version != current:
                ready[n] = (-1, lo, hi, work)
                continue
            statements.extend(work.statements)
            written.append(work)
        # In id order, the unique index's: fewer pages touched per transaction. By the id
        # alone: unique, and a quarter of the time of comparing whole tuples.
        statements.sort(key=_FIRST)
        added = store.add_statements(statements)
        # The people counts of a company many ranges share are taken once, after all.
        store.write_people(
            [row for work in written for row in work.people],
            [pid for work in written for pid in work.gone],
            dict.fromkeys(cid for work in written for cid in work.company_ids),
            same_links=[row for work in written for row in work.same_links],
        )
        _log_work(store, [entry for work in written for entry in work.log])
        state.add("greylisted_to_retry", 0)  # offline: no SMTP answer to wait for
    for work in written:
        refresh_later.difference_update(work.seen)
        state.add("read", work.read)
        state.add("written", work.changed)
    state.add("statements_added", added)
    return sum(work.read for work in written)


def _range_rows(conn: Any, lo: int, hi: int) -> tuple[
    list[Any], dict[str, dict[str, tuple[str, str, str]]]
]:
    """The active people of one range (by ``seq``) and what each enricher did for them:
    entity id -> component -> (version, input hash, done at)."""
    rows = conn.execute(
        _PEOPLE_COLUMNS + " WHERE p.seq BETWEEN ? AND ? AND p.merged_into IS NULL"
        " ORDER BY p.seq", (lo, hi),
    ).fetchall()
    return rows, _work_done(conn, [r[0] for r in rows])


def _work_done(conn: Any, ids: list[str]) -> dict[str, dict[str, tuple[str, str, str]]]:
    """What each enricher did for these people: id -> component -> (version, input
    hash, done at)."""
    done: dict[str, dict[str, tuple[str, str, str]]] = {}
    for chunk in chunked(ids, 500):
        marks = ", ".join("?" for _ in chunk)
        for entity_id, component, version, digest, done_at in conn.execute(
            "SELECT entity_id, component, version, input_hash, done_at FROM work_log"
            f" WHERE entity_id IN ({marks})", chunk,
        ):
            done.setdefault(entity_id, {})[component] = (version, digest, done_at)
    return done


def _redo_range(
    store: Store, state: RunState, task: tuple[tuple[str, ...], str, str], lo: int, hi: int,
    refresh_later: set[str],
) -> int:
    """One range the slow way, in this process (another writer came in meanwhile)."""
    components, stale, _ = task
    rows, done = _range_rows(store.conn, lo, hi)
    batch = _todo(rows, done, components, stale)
    if batch:
        results = _offline_chunk([record for record, _, _ in batch], finish=True)
        _commit(store, state, batch, results, refresh_later)
    return len(batch)


def _resolver(store: Store) -> Any:
    from .email_dns import resolver_from_settings

    settings = store.settings
    return resolver_from_settings(settings.dns) if settings else resolver_from_settings(None)


def _prober(store: Store) -> Any:
    from .email_smtp import prober_from_settings

    return prober_from_settings(store.settings.smtp)


def _lookup_domains(store: Store, resolver: Any, results: list[dict[str, Any]]) -> dict[str, Any]:
    """MX results for every distinct domain of the batch, from the cache or the network."""
    from .email_dns import MxResult

    domains = {
        syntax.domain
        for r in results
        for _, syntax in r["syntax"]
        if syntax.valid and syntax.domain
    }
    now = utc_now()
    cached: dict[str, Any] = {}
    for chunk in chunked(sorted(domains), 500):
        marks = ", ".join("?" for _ in chunk)
        for domain, payload in store.conn.execute(
            f"SELECT domain, result FROM dns_cache WHERE domain IN ({marks}) AND expires_at > ?",
            [*chunk, now],
        ):
            data = json.loads(payload)
            data["hosts"] = tuple(data["hosts"])
            cached[domain] = MxResult(**data)
    missing = [d for d in domains if d not in cached]
    fresh = resolver.lookup_many(missing) if missing else {}
    if fresh:
        with store.write():
            store.conn.executemany(
                "INSERT INTO dns_cache (domain, result, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT(domain) DO UPDATE SET result = excluded.result,"
                " expires_at = excluded.expires_at",
                [
                    (
                        domain,
                        dumps(
                            {
                                "domain": r.domain,
                                "status": r.status,
                                "hosts": list(r.hosts),
                                "ttl": r.ttl,
                                "reason": r.reason,
                            }
                        ),
                        (datetime.now(UTC) + timedelta(seconds=max(r.ttl, 0))).isoformat(
                            timespec="microseconds"
                        ),
                    )
                    for domain, r in fresh.items()
                ],
            )
    return {**cached, **fresh}


def _mail_hosts(resolver: Any, hosts: Sequence[str], port: int) -> list[tuple[str, int]]:
    """The MX hosts as (address, port), resolved through the configured resolver."""
    return [(address, port) for host in hosts for address in resolver.addresses(host)]


def _probe(
    prober: Any, results: list[dict[str, Any]], mx: Mapping[str, Any], resolver: Any
) -> dict[str, Any]:
    by_domain: dict[str, list[str]] = {}
    for result in results:
        for _, syntax in result["syntax"]:
            if syntax.valid and syntax.domain and syntax.normalized:
                by_domain.setdefault(syntax.domain, []).append(syntax.normalized)
    found: dict[str, Any] = {}
    for domain, emails in by_domain.items():
        answer = mx.get(domain)
        if answer is None or not answer.hosts:
            continue
        hosts = _mail_hosts(resolver, answer.hosts, prober.port)
        if not hosts:
            continue
        probe = prober.probe_domain(domain, hosts, sorted(set(emails)))
        found.update(probe.results)
    return found


def _commit(
    store: Store,
    state: RunState,
    batch: list[tuple[dict[str, Any], str, list[str]]],
    results: list[dict[str, Any]],
    refresh_later: set[str],
) -> None:
    now = utc_now()
    items = []
    prepared = []
    for (record, _, _), result in zip(batch, results, strict=True):
        statements = result.get("statements")
        if statements is None:
            statements = _statements(record["id"], result["facts"])
        for source, facts, ready in statements:
            items.append((record["id"], source, None, now, CHECK_CONFIDENCE, state.run_id, facts))
            prepared.append(ready)
    ids = [record["id"] for record, _, _ in batch]
    with store.write():
        added, changed, _, observations = store.state_facts(items, prepared, pack=True)
        # Refresh what changed, and whoever's company changed earlier in this run.
        to_refresh = sorted(changed | (refresh_later & set(ids)))
        refresh_later.difference_update(ids)
        if to_refresh:
            store.refresh_people(to_refresh, observations=observations)
        # The work is logged against the person as it now reads, enrichment included:
        # enriching that again changes nothing, so only a new input (an import, a
        # merge) makes the person stale.
        digests = {record["id"]: digest for record, digest, _ in batch}
        for chunk in chunked(to_refresh, 500):
            marks = ", ".join("?" for _ in chunk)
            for row in store.conn.execute(_PEOPLE_COLUMNS + f" WHERE p.id IN ({marks})", chunk):
                digests[row[0]] = input_hash(_person_input(row))
        # A greylisted address is not settled: leave the SMTP work open so the next
        # run asks again (greylisting servers accept a retry after a few minutes).
        retry = {
            record["id"]
            for (record, _, _), result in zip(batch, results, strict=True)
            if any(
                fact[0] == "email_status" and '"greylisted"' in fact[1]
                for fact in result["facts"]
            )
        }
        log = [
            (
                record["id"],
                component,
                COMPONENTS[component],
                digests[record["id"]],
                now,
                state.run_id,
            )
            for record, _, todo in batch
            for component in todo
            if not (component == SMTP and record["id"] in retry)
        ]
        _log_work(store, log)
        state.add("greylisted_to_retry", len(retry))
    state.add("read", len(batch))
    state.add("written", len(changed))
    state.add("statements_added", added)


def _log_work(store: Store, log: Sequence[tuple[str, str, str, str, str, str]]) -> None:
    """Record (entity, component, version, input hash, time, run) as done."""
    store.conn.executemany(
        "INSERT INTO work_log (entity_id, component, version, input_hash, done_at, run_id)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity_id, component) DO UPDATE SET"
        " version = excluded.version, input_hash = excluded.input_hash,"
        " done_at = excluded.done_at, run_id = excluded.run_id",
        log,
    )


_SOURCES = {
    "first_name": "enricher:names",
    "last_name": "enricher:names",
    "full_name": "enricher:names",
    "civility": "enricher:names",
    "seniority": "enricher:titles",
    "department": "enricher:titles",
    "email": "enricher:email",
    "email_status": "enricher:email",
    "phone_check": "enricher:phones",
    "phone": "enricher:phones",  # a further number read in a phone cell
    "country": "enricher:place",  # read from a phone number or an email domain
}


def _source_of(field: str) -> str:
    return _SOURCES.get(field, "enricher:other")


_FINDER_SQL = """
SELECT p.id, p.first_name, p.last_name, c.domain, p.emails
FROM people AS p JOIN companies AS c ON c.id = p.company_id
WHERE p.merged_into IS NULL AND p.suppressed = 0 AND c.domain IS NOT NULL
  AND p.first_name IS NOT NULL AND p.last_name IS NOT NULL
  -- Implied by what follows (a person's email is one whose status is not 'invalid'),
  -- and spares reading the addresses of everyone who has one.
  AND p.email IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM json_each(p.emails) AS e
      WHERE json_extract(e.value, '$.status') != 'invalid'
  )
"""


_FINDER_PARALLEL_MIN = 400  # people to guess for before worker processes pay off


def _guesses(
    jobs: Sequence[tuple[str, str, str, str]], known: Mapping[str, list[tuple[str, str, str]]],
    *, first_only: bool = False,
) -> list[list[Any]]:
    """The finder's ranked candidates (at most 5) for each (first, last, domain, emails),
    learning each domain's pattern from its ``known`` addresses once.

    ``first_only`` keeps only the best one (with no mail server to ask, the only one
    used), so the others' syntax is never checked.
    """
    from .finder import candidates, learn_patterns

    stats: dict[str, Any] = {}
    found = []
    for first, last, domain, emails_json in jobs:
        if domain not in stats:
            stats[domain] = learn_patterns(known[domain]) if known[domain] else None
        # Never "find" an address already known (and refused) for the person, nor one
        # that cannot exist (a reserved or malformed domain).
        tried = {e["value"].lower() for e in loads(emails_json)}
        usable = (
            c for c in candidates(first, last, domain, stats[domain], limit=5)
            if c.email not in tried and check_email_syntax(c.email).valid
        )
        found.append(list(islice(usable, 1)) if first_only else list(usable))
    return found


class _Guessed(NamedTuple):
    """The finder's work on some people, ready to write (see ``_guess_and_prepare``)."""

    statements: list[tuple[Any, ...]]
    people: list[tuple[Any, ...]]
    gone: list[str]
    company_ids: list[str]
    changed: int
    same_links: list[tuple[Any, ...]]  # people rows keeping their email and company


def _guess_item(
    pid: str, email: str, confidence: float, status: str, flags: list[str], reason: str,
    now: str, run_id: str,
) -> tuple[str, str, None, str, float, str, list[Fact]]:
    """The finder's statement about one person: the address and its status."""
    if status == "valid":
        code, method = "deliverable", "smtp"
    elif status == "risky":
        code, method = next((f for f in flags if f != "guessed"), "catch_all"), "smtp"
    else:  # a guess from the domain's pattern, no server asked
        code, method = "not_checked", "pattern"
    payload = {"email": email, "normalized": email, "status": status,
               "flags": flags, "reason": f"guessed: {reason}", "code": code, "method": method}
    return (pid, GUESS_SOURCE, None, now, confidence, run_id, [
        ("email", email, round(min(confidence, 0.79), 3)),
        ("email_status", dumps(payload), CHECK_CONFIDENCE),
    ])


def _guess_and_prepare(
    jobs: list[tuple[str, str, str, str, str]], known: Mapping[str, list[tuple[str, str, str]]],
    run_id: str, now: str,
) -> _Guessed:
    """In a worker: rank the candidates of (id, first, last, domain, emails) and, with no
    mail server to ask, build the statements and people rows the parent writes, dated
    ``now``. Only the best candidate of each is kept (see ``_guesses``)."""
    assert _READER is not None
    with _no_collections():
        return _guess_and_prepare_now(jobs, known, run_id, _READER[0], now)


def _guess_and_prepare_now(
    jobs: list[tuple[str, str, str, str, str]], known: Mapping[str, list[tuple[str, str, str]]],
    run_id: str, store: Store, now: str,
) -> _Guessed:
    guesses = _guesses([job[1:] for job in jobs], known, first_only=True)
    items = [
        _guess_item(job[0], ranked[0].email, ranked[0].confidence, "unknown", ["guessed"],
                    ranked[0].evidence, now, run_id)
        for job, ranked in zip(jobs, guesses, strict=True) if ranked
    ]
    store.conn.execute("BEGIN")
    try:
        direct, direct_statements = _direct_rows(
            store, ((item[0], item[4], [(item[1], item[6], None)]) for item in items), now,
            run_id, pack=False,
        )
        statements, changed, _, observations = store.plan_facts(
            [item for item in items if item[0] not in direct]
        )
        statements.extend(direct_statements)
        changed.update(direct)
        people, gone, _ = (
            store.people_rows(sorted(changed), observations=observations, ready=direct)
            if changed else ([], [], [])
        )
        # A guess is listed, not the best email: the rows keep their email and company
        # (see _prepare_range).
        links = _stored_links(store, changed)
        people, same_links = split_same_links(people, links)
        company_ids = moved_companies(people, gone, links)
    finally:
        store.conn.execute("COMMIT")
    return _Guessed(statements, people, gone, company_ids, len(changed), same_links)


def _stored_links(store: Store, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(email, company id) of these people's rows as stored."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for chunk in chunked(sorted(ids), 500):
        marks = ", ".join("?" for _ in chunk)
        for pid, email, company_id in store.conn.execute(
            f"SELECT id, email, company_id FROM people WHERE id IN ({marks})", chunk
        ):
            found[pid] = (email, company_id)
    return found


def _guesses_on_pool(
    pool: ProcessPoolExecutor, jobs: list[tuple[str, str, str, str, str]],
    known: Mapping[str, list[tuple[str, str, str]]], run_id: str, workers: int,
) -> Iterator[_Guessed]:
    """:func:`_guess_and_prepare` over ``pool`` (see :func:`_reader_pool`): the prepared
    writes of each part of ``jobs`` as it is ready, in order. The people of one domain
    stay together so its pattern is learnt once."""
    order = sorted(range(len(jobs)), key=lambda i: jobs[i][3])
    size = -(-len(jobs) // (4 * workers))
    parts: list[list[int]] = []
    for i in order:
        if not parts or (len(parts[-1]) >= size and jobs[parts[-1][-1]][3] != jobs[i][3]):
            parts.append([])
        parts[-1].append(i)
    # One date for every part, as the finder in one process gives its guesses: which
    # worker is faster never orders them.
    now = utc_now()
    futures = [
        pool.submit(
            _guess_and_prepare, [jobs[i] for i in part],
            {jobs[i][3]: known[jobs[i][3]] for i in part}, run_id, now,
        )
        for part in parts
    ]
    for future in futures:
        yield future.result()


def _find_emails(
    store: Store, state: RunState, prober: Any, resolver: Any, workers: int = 1
) -> None:
    """A guessed address for people with a name and a company domain but no usable email.

    The domain's pattern is learnt from the addresses already known there; the top
    candidate is kept with its confidence and the ``guessed`` flag, verified over SMTP
    when ``--smtp`` allows it. A guess is never the person's best email unless a mail
    server confirmed it, and on a catch-all domain it stays a guess.
    """
    from .company import is_free_or_disposable_domain
    from .finder import verify_candidates

    version = _data_version(store)  # as the finder reads what it works from
    candidates_for = [
        r for r in store.conn.execute(_FINDER_SQL) if not is_free_or_disposable_domain(r[3])
    ]
    if not candidates_for:
        return
    known: dict[str, list[tuple[str, str, str]]] = {r[3]: [] for r in candidates_for}
    for first, last, email in store.conn.execute(
        "SELECT first_name, last_name, email FROM people"
        " WHERE email IS NOT NULL AND first_name IS NOT NULL AND last_name IS NOT NULL"
        " ORDER BY seq"
    ):
        domain = email.rpartition("@")[2].lower()
        # A dozen addresses settle a domain's pattern; more only cost time.
        if domain in known and len(known[domain]) < FINDER_SAMPLE:
            known[domain].append((first, last, email))
    # Skip people already searched with the same evidence at their domain.
    logged = dict(store.conn.execute(
        "SELECT entity_id, input_hash FROM work_log WHERE component = ?", (FINDER,)
    ).fetchall())
    wanted = []
    by_domain: dict[str, Any] = {}
    for row in candidates_for:
        digest = _finder_digest(row[1:3], row[3], known[row[3]], by_domain)
        if logged.get(row[0]) != digest:
            wanted.append((*row, digest))
    if not wanted:
        return
    domains = sorted({r[3] for r in wanted})
    mx = (
        resolver.lookup_many(domains) if (prober is not None and resolver is not None) else {}
    )
    now = utc_now()
    items = []
    log = [(r[0], FINDER, COMPONENTS[FINDER], r[5], now, state.run_id) for r in wanted]
    jobs = [row[:5] for row in wanted]
    if (workers > 1 and prober is None and len(jobs) >= _FINDER_PARALLEL_MIN
            and _data_version(store) == version):
        # Workers rank and prepare the writes, which this process writes part by part
        # as they come, in one transaction taken before any worker reads: no other
        # connection commits meanwhile, so the workers read what is written over. If
        # one committed since the finder read its inputs, the usual way below.
        with _reader_pool(store, workers, frozenset()) as pool, store.write():
            if _data_version(store) == version:
                changed_count = 0
                with store.people_counts_at_end():
                    for part in _guesses_on_pool(pool, jobs, known, state.run_id, workers):
                        store.add_statements(sorted(part.statements, key=_FIRST))
                        store.write_people(part.people, part.gone, part.company_ids,
                                           same_links=part.same_links)
                        changed_count += part.changed
                _log_work(store, log)
                state.add("emails_guessed", changed_count)
                return
    guesses = _guesses([job[1:] for job in jobs], known, first_only=prober is None)
    for (pid, _, _, domain, _, _), ranked in zip(wanted, guesses, strict=True):
        if not ranked:
            continue
        top = ranked[0]
        status, flags, reason, confidence = "unknown", ["guessed"], top.evidence, top.confidence
        answer = mx.get(domain)
        if prober is not None and answer is not None and answer.hosts:
            hosts = _mail_hosts(resolver, answer.hosts, prober.port)
            probe = prober.probe_domain(domain, hosts, [c.email for c in ranked])
            found = verify_candidates(ranked, probe)
            if found.email is None:
                continue
            top_email, confidence, reason = found.email, found.confidence, found.reason
            if found.status == "deliverable":
                status = "valid"
            elif found.status in ("catch_all", "full_inbox"):
                status = "risky"
                flags.append(found.status)
        else:
            top_email = top.email
        items.append(
            _guess_item(pid, top_email, confidence, status, flags, reason, now, state.run_id)
        )
    with store.write():
        changed: set[str] = set()
        if items:
            _, changed, _, observations = store.state_facts(items)
            if changed:
                store.refresh_people(sorted(changed), observations=observations)
        _log_work(store, log)
    state.add("emails_guessed", len(changed))


def _finder_digest(
    name: Sequence[Any], domain: str, known: list[tuple[str, str, str]], by_domain: dict[str, Any]
) -> str:
    """``input_hash({"name": name, "domain": domain, "known": known})``, with the part the
    people of one domain share (its known addresses) hashed once per domain."""
    base = by_domain.get(domain)
    if base is None:
        # The keys sort as domain, known, name: everything but the name is shared.
        base = by_domain[domain] = hashlib.sha1(
            f'[["domain", {dumps(domain)}], ["known", {dumps(known)}], ["name", '.encode(),
            usedforsecurity=False,
        )
    digest = base.copy()
    digest.update(f"{dumps(list(name))}]]".encode())
    return digest.hexdigest()


def _enrich_companies(store: Store, state: RunState) -> tuple[set[str], set[str]]:
    """Company domains, legal forms and identifiers; domains guessed from people's emails.

    Returns the people whose company changed (their rows need a refresh) and those
    companies.
    """
    from .company import check_identifiers, company_domain, legal_form_of, normalize_company

    rows = store.conn.execute(
        "SELECT id, name, website, domain, siren, siret, vat, country, legal_form, city"
        " FROM companies WHERE merged_into IS NULL"
    ).fetchall()
    websites = [company_domain(website=r[2]) if r[2] else None for r in rows]
    national = _national_numbers(store, [r[0] for r in rows])
    # The people's addresses of the companies with neither a domain nor a website.
    email_domains = _people_email_domains(store, [
        r[0] for r, found in zip(rows, websites, strict=True) if not r[3] and not found])
    now = utc_now()
    items = []
    for (cid, name, _, domain, siren, siret, vat, country, stated_form, city), found in zip(
            rows, websites, strict=True):
        facts: list[Fact] = []
        cased = recase_place(city) if city else None
        if cased and cased != city:
            facts.append(("city", cased, NAME_CONFIDENCE))  # LYON: Lyon
        parsed_form = normalize_company(name).legal_form if name else None
        if parsed_form:
            facts.append(("legal_form", parsed_form, DERIVED_CONFIDENCE))
        elif stated_form:
            # A legal form column ("Société par actions simplifiée", an INSEE code
            # "5710") written as names give it ("SAS"), above the file's own spelling.
            form = legal_form_of(stated_form)
            if form and form != stated_form:
                facts.append(("legal_form", form, NAME_CONFIDENCE))
        guess = None
        if found and found != domain:
            facts.append(("domain", found, NAME_CONFIDENCE))
        elif not domain and not found:
            guess = _majority(email_domains.get(cid, []))
            if guess:
                facts.append(("domain", guess, GUESS_CONFIDENCE))
        valid_siren = False
        if siren or siret or vat:
            ids = check_identifiers(siren=siren, siret=siret, vat=vat, country=country)
            given = {"siren": siren, "siret": siret, "vat": vat}
            for key in ("siren", "siret", "vat"):
                value = ids.get(key)
                if isinstance(value, str) and value:
                    facts.append((key, value, DERIVED_CONFIDENCE))
                    valid_siren = valid_siren or key in ("siren", "siret")
                elif given[key] and key in ids["errors"]:
                    # Kept as stated, with why it fails (a SIREN of 8 digits: a spreadsheet
                    # dropped its leading zero), never repaired by guess.
                    facts.append(("legal_id_check", dumps({
                        "field": key, "value": given[key], "valid": False,
                        "reason": ids["errors"][key]}), CHECK_CONFIDENCE))
        if not country:
            # A SIREN is French; otherwise a country-code domain says where (.fr, .co.uk),
            # below any country a source states.
            # The domain guessed from the people's addresses counts as soon as it is
            # guessed, as it does once stored: one round, not two, and no second
            # refresh of every person at the company.
            place = "FR" if valid_siren else _domain_country(found or domain or guess)
            if place:
                facts.append(("country", place,
                              DERIVED_CONFIDENCE if valid_siren else PLACE_CONFIDENCE))
                country = place
        # A number written nationally ("04 72 00 11 22") is read in the company's
        # country: its row keeps E.164 numbers only, so unread it would stay out of it.
        region = country if isinstance(country, str) and len(country) == 2 else None
        for raw in national.get(cid, ()) if region else ():
            facts.append(("phone_check", _phone_check(raw, region)[0], CHECK_CONFIDENCE))
        if facts:
            items.append(
                (cid, "enricher:company", None, now, DERIVED_CONFIDENCE, state.run_id, facts)
            )
    if not items:
        return set(), set()
    with store.write():
        _, changed, _, _ = store.state_facts(items)
        if changed:
            store.refresh_companies(sorted(changed))
    state.add("companies_enriched", len(changed))
    return {pid for _, pid in _at_companies(store, changed, "id", active=False)}, changed


def _national_numbers(store: Store, company_ids: list[str]) -> dict[str, list[str]]:
    """The numbers stated for these companies that are not written in international form
    (those a company row can keep as they are), each once."""
    found: dict[str, list[str]] = {}
    for cid, observations in store.observations_for(company_ids).items():
        for o in observations:
            if o.field == "phone" and e164_shape(o.value) is None:
                numbers = found.setdefault(cid, [])
                if o.value not in numbers:
                    numbers.append(o.value)
    return found


# Country-code domains sold worldwide as generic names (.io, .co, .ai…): no country.
_VANITY_CCTLDS = frozenset({
    "io", "co", "ai", "me", "tv", "ly", "fm", "cc", "ws", "to", "sh", "gg", "la", "am", "ag",
    "sc", "vc", "nu", "tk", "ml", "ga", "cf", "gq", "bz", "ms", "st", "im", "ac", "gl", "so",
    "sx", "pw", "cx",
})


def _domain_country(domain: str | None) -> str | None:
    """The country of a domain's country-code top-level domain (``acme.fr`` → FR,
    ``acme.co.uk`` → GB), or None for generic and vanity ones."""
    if not domain or "." not in domain:
        return None
    label = domain.rsplit(".", 1)[1].lower()
    if len(label) != 2 or label in _VANITY_CCTLDS:
        return None
    return normalize_country(label)


def _people_email_domains(store: Store, company_ids: list[str]) -> dict[str, list[str]]:
    """The company domains of the addresses stated for the people at these companies
    (one vote per person and domain; free-mail and the finder's guesses left out).

    Every address a source stated counts, valid or not: what enriching people changes
    (an address found invalid is no longer their best one) never changes the guess, so
    the two rounds of a run, and a run resumed after a crash, guess alike.
    ``company_domain(email=...)`` depends only on what follows the last ``@``, so it is
    asked once per host: a file holds many people at few domains.
    """
    from .company import company_domain

    found: dict[str, list[str]] = {}
    domains: dict[str, str | None] = {}
    for company_id, emails in _at_companies(store, set(company_ids), "emails", active=True):
        votes: set[str] = set()
        for entry in loads(emails):
            email = entry.get("value")
            if not isinstance(email, str) or "@" not in email or "guessed" in (
                    entry.get("flags") or ()):
                continue
            # Its company domain does not depend on the host's case (JEAN@ACME.FR).
            host = email.rpartition("@")[2].lower()
            domain = domains.get(host, "")
            if domain == "":
                domain = domains[host] = company_domain(email=f"@{host}")
            if domain:
                votes.add(domain)
        if votes:
            found.setdefault(company_id, []).extend(sorted(votes))
    return found


def _at_companies(
    store: Store, company_ids: set[str], column: str, *, active: bool
) -> Iterator[tuple[str, Any]]:
    """(company id, ``column``) of the people at these companies; with ``active`` only
    those not merged into another.

    For many companies (a first run: most have neither domain nor website, and most
    change), one pass over the people table: looking each company's people up by the
    index fetches the rows it finds at random, about twice the time for their addresses
    at 100,000 people, three times for their ids (6.2 s against 1.7 s at a million).
    """
    active_only = " AND merged_into IS NULL" if active else ""
    if len(company_ids) >= _SCAN_FROM:
        for company_id, value in store.conn.execute(
            f"SELECT company_id, {column} FROM people WHERE company_id IS NOT NULL"
            f"{active_only}"
        ):
            if company_id in company_ids:
                yield company_id, value
        return
    for chunk in chunked(sorted(company_ids), 500):
        marks = ", ".join("?" for _ in chunk)
        yield from store.conn.execute(
            f"SELECT company_id, {column} FROM people WHERE company_id IN ({marks})"
            f"{active_only}", chunk,
        )


_SCAN_FROM = 1000  # companies from which _at_companies reads the whole people table


def _majority(domains: list[str]) -> str | None:
    if not domains:
        return None
    best = max(set(domains), key=lambda d: (domains.count(d), d))
    return best if domains.count(best) * 2 > len(domains) else None
