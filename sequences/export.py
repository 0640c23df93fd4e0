"""Exports: the full JSONL dump and the files email tools and CRMs import.

``--format jsonl`` is the full dump of every person still in the store, suppressed
ones flagged. Every other format writes only people who may be contacted: the
suppression list is applied again here, whatever the views say, and people whose
stage is ``opted_out`` (unsubscribed) count as suppressed.

Segments: ``enriched`` and ``non-enriched`` are the outreach lists; once ``score`` has
run they leave out people who are not prospected (stage ``disqualified``, ``customer``
or ``opted_out``; people never scored stay in). ``newsletter`` is the low-cost list for
the disqualified and customers who have not opted out and are not suppressed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prospecting.errors import ConfigError
from prospecting.forked import Child, can_fork
from prospecting.privacy import SuppressionMatcher
from prospecting.runs import RunState
from prospecting.store import Store

from .exporters.profiles import PROFILES, export_tool
from .exporters.writer import (
    atomic_output,
    write_csv,
    write_jsonl,
    write_jsonl_lines,
    write_lines,
)
from .scoring import NEWSLETTER_STAGES, NOT_PROSPECTED
from .segments import ENRICHED, NON_ENRICHED
from .touches import first_email_steps, planned_steps

__all__ = [
    "FORMATS", "SEGMENTS", "export_people", "iter_companies", "iter_people", "people_lines",
]

FORMATS = (
    "lemlist", "instantly", "smartlead", "hubspot", "brevo", "mailchimp", "apollo",
    "salesforce", "csv", "jsonl",
)
SEGMENTS = (ENRICHED, NON_ENRICHED, "newsletter")

# In the order of ids, sorted rather than read through the index of ids: that index
# visits the rows all over the table, one page read for each (at a million people the
# query took 21 s, read in table order and sorted 11 s; the sort spills to a temporary
# file past the page cache).
_PERSON_SQL = """
SELECT p.id, p.first_name, p.last_name, p.full_name, p.title, p.seniority, p.department,
       p.email, p.emails, p.phone, p.phones, p.linkedin_url, p.tags, p.suppressed, p.stage,
       p.score, p.temperature, p.source_ids, p.address, p.postcode, p.city, p.region,
       p.country, p.extra, p.sources, p.civility,
       c.id, c.name, c.domain, c.website, c.country, c.siren
FROM people AS p LEFT JOIN companies AS c ON c.id = p.company_id
WHERE p.merged_into IS NULL{range}
ORDER BY +p.id
"""


# A stored address entry also holds its verdict's machine-readable code and method (see
# enrichers.email_status), after "reason": the dump keeps the entry keys of its contract
# (CLI.md). Codes and methods are lower-case words.
_VERDICT_DETAIL = re.compile(r', "code": (?:null|"[a-z_]+"), "method": (?:null|"[a-z]+")')


def contract_emails(text: str) -> str:
    """A person's stored ``emails`` JSON with the entry keys of the dump's contract."""
    return _VERDICT_DETAIL.sub("", text) if '"code": ' in text else text


def iter_people(
    store: Store, matcher: SuppressionMatcher | None = None
) -> Iterator[dict[str, Any]]:
    """Every golden person record in the shape of the JSONL dump (see CLI.md)."""
    matcher = matcher if matcher is not None else SuppressionMatcher.load(store.conn)
    for r, steps in _person_rows(store):
        emails = json.loads(contract_emails(r[8]))
        yield {
            "id": r[0],
            "first_name": r[1],
            "last_name": r[2],
            "full_name": _full_name(r),
            "title": r[4],
            "seniority": r[5],
            "department": r[6],
            "email": r[7],
            "emails": emails,
            "phone": r[9],
            "phones": json.loads(r[10]),
            "linkedin_url": r[11],
            "company": None if r[26] is None else {
                "name": r[27], "domain": r[28], "website": r[29], "country": r[30],
                "siren": r[31],
            },
            "tags": json.loads(r[12]),
            "suppressed": _suppressed(r, matcher, emails),
            "stage": r[14],
            "score": r[15],
            "temperature": r[16],
            "source_ids": json.loads(r[17]),
            "address": r[18],
            "postcode": r[19],
            "city": r[20],
            "region": r[21],
            "country": r[22],
            "extra": json.loads(r[23]),
            "sources": json.loads(r[24]),
            "steps": steps,
        }


def _person_rows(store: Store, low: str | None = None, high: str | None = None,
                 ) -> Iterator[tuple[Any, list[Any]]]:
    """Each ``_PERSON_SQL`` row with its planned steps, read a thousand at a time (the
    ids from ``low`` included to ``high`` excluded, when given)."""
    # The range read in table order all the same (``+``: not through the index of ids).
    where = ((" AND +p.id >= :low" if low is not None else "")
             + (" AND +p.id < :high" if high is not None else ""))
    cursor = store.conn.execute(_PERSON_SQL.format(range=where), {"low": low, "high": high})
    while rows := cursor.fetchmany(1000):
        steps = planned_steps(store, [r[0] for r in rows])
        for r in rows:
            yield r, steps.get(r[0], [])


def _full_name(r: Any) -> str | None:
    return r[3] or " ".join(v for v in (r[1], r[2]) if v) or None


def _suppressed(r: Any, matcher: SuppressionMatcher, emails: list[Any] | None = None) -> bool:
    """Suppressed or opted out; the addresses (``emails``, else the row's, decoded only
    when the suppression list is not empty) are checked against the list."""
    if r[13] or r[14] == "opted_out":
        return True
    if not matcher:
        return False
    return matcher.matches(e["value"] for e in (json.loads(r[8]) if emails is None else emails))


_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]  # as dumps(ensure_ascii=False)


def _json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` of a column value."""
    if value is None:
        return "null"
    if type(value) is str:
        return _encode(value)
    return json.dumps(value, ensure_ascii=False)


def people_lines(store: Store, matcher: SuppressionMatcher | None = None, *,
                 low: str | None = None, high: str | None = None) -> Iterator[str]:
    """:func:`iter_people` as JSON lines, written without decoding and re-encoding the
    JSON columns (emails, phones, tags, source ids, extra, sources): they are stored as
    ``json.dumps`` writes them, so they go in as they are. The same objects, in the same
    key order, a third of the time. ``low`` and ``high``: the ids from ``low`` included
    to ``high`` excluded alone."""
    matcher = matcher if matcher is not None else SuppressionMatcher.load(store.conn)
    j = _json
    for r, planned in _person_rows(store, low, high):
        company = "null" if r[26] is None else (
            f'{{"name": {j(r[27])}, "domain": {j(r[28])}, "website": {j(r[29])}, '
            f'"country": {j(r[30])}, "siren": {j(r[31])}}}'
        )
        yield (
            f'{{"id": {j(r[0])}, "first_name": {j(r[1])}, "last_name": {j(r[2])}, '
            f'"full_name": {j(_full_name(r))}, "title": {j(r[4])}, "seniority": {j(r[5])}, '
            f'"department": {j(r[6])}, "email": {j(r[7])}, "emails": {contract_emails(r[8])}, '
            f'"phone": {j(r[9])}, "phones": {r[10]}, "linkedin_url": {j(r[11])}, '
            f'"company": {company}, "tags": {r[12]}, '
            f'"suppressed": {"true" if _suppressed(r, matcher) else "false"}, "stage": {j(r[14])}, '
            f'"score": {j(r[15])}, "temperature": {j(r[16])}, "source_ids": {r[17]}, '
            f'"address": {j(r[18])}, "postcode": {j(r[19])}, "city": {j(r[20])}, '
            f'"region": {j(r[21])}, "country": {j(r[22])}, "extra": {r[23]}, '
            f'"sources": {r[24]}, '
            f'"steps": {json.dumps(planned, ensure_ascii=False) if planned else "[]"}}}'
        )


# Sorted, as the people are (see _PERSON_SQL).
_COMPANY_SQL = """
SELECT id, name, legal_name, domain, website, country, city, siren, siret, vat, naf,
       headcount, legal_ids, emails, phones, people_count, source_ids, sources
FROM companies WHERE merged_into IS NULL ORDER BY +id
"""


def iter_companies(store: Store) -> Iterator[dict[str, Any]]:
    """Every golden company record in the shape of ``--kind companies`` (see CLI.md)."""
    cursor = store.conn.execute(_COMPANY_SQL)
    keys = (
        "id", "name", "legal_name", "domain", "website", "country", "city", "siren", "siret",
        "vat", "naf", "headcount", "legal_ids", "emails", "phones", "people_count",
        "source_ids", "sources",
    )
    json_keys = {"legal_ids", "emails", "phones", "source_ids", "sources"}
    while True:
        rows = cursor.fetchmany(1000)
        if not rows:
            return
        for row in rows:
            item = dict(zip(keys, row, strict=True))
            for k in json_keys:
                item[k] = json.loads(item[k])
            yield item


CSV_COLUMNS = (
    "id", "first_name", "last_name", "full_name", "email", "email_status", "phone", "title",
    "seniority", "department", "company_name", "company_domain", "website", "linkedin_url",
    "address", "postcode", "city", "region", "country", "tags", "stage", "score",
    "temperature", "source_ids",
)


def _best_status(person: dict[str, Any]) -> str | None:
    """The status of the person's best email (None without one)."""
    return next(
        (e["status"] for e in person["emails"] if e["value"] == person["email"]), None
    )


def _csv_row(person: dict[str, Any]) -> dict[str, Any]:
    company = person["company"] or {}
    return {
        **person,
        "email_status": _best_status(person),
        "company_name": company.get("name"),
        "company_domain": company.get("domain"),
        "website": company.get("website"),
    }


def export_people(
    store: Store, state: RunState, *, fmt: str, out: Path, segment: str | None = None,
    kind: str = "people",
) -> None:
    """Write one export file; counts go to ``state`` (written, skipped and why)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    if segment is not None and segment not in SEGMENTS:
        raise ConfigError(f"--segment must be one of {', '.join(SEGMENTS)}, not '{segment}'")
    if kind not in ("people", "companies"):
        raise ConfigError(f"--kind must be 'people' or 'companies', not '{kind}'")
    try:
        if kind == "companies":
            if fmt != "jsonl":
                raise ConfigError("--kind companies is exported with --format jsonl only")
            state.add("written", write_jsonl(out, _counted(iter_companies(store), state)))
            return
        if fmt == "jsonl" and segment is None:
            state.add("written", _write_people_lines(store, out, state))
            return
        people = _counted(iter_people(store), state)
        if segment == "newsletter":
            people = (
                p for p in people
                if (p["stage"] in NEWSLETTER_STAGES and not p["suppressed"])
                or _skip(state, "segment")
            )
        elif segment:
            people = (
                p for p in people
                if (segment in p["tags"] or _skip(state, "segment"))
                and (p["stage"] not in NOT_PROSPECTED or _skip(state, "not_prospected"))
            )
        if fmt == "jsonl":
            state.add("written", write_jsonl(out, people))
            return
        if fmt in PROFILES:
            people = _verdicts_in_date(store, people, state)
            result = export_tool(_with_first_step(store, people), PROFILES[fmt], out)
            state.add("written", result.written)
            for reason, count in sorted(result.left_out.items()):
                state.add("skipped", count)
                state.add(f"left out: {reason}", count)
            if result.files != [out]:
                state.messages.append(
                    f"split into {len(result.files)} files of at most "
                    f"{PROFILES[fmt].max_rows:,} rows: " + ", ".join(str(f) for f in result.files)
                )
            return
        contactable = (
            p for p in people if not p["suppressed"] or _skip(state, "suppressed")
        )
        written = write_csv(
            out, CSV_COLUMNS, (_csv_row(p) for p in contactable), phone_columns=("phone",)
        )
        state.add("written", written)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"{store.path}: cannot read the database ({exc})") from exc


VERDICT_MAX_AGE_DAYS = 90.0  # [enrichers] verdict_max_age_days
_CHECKING = ("enrich.dns", "enrich.smtp")  # the components whose verdicts claim delivery


def _verdicts_in_date(
    store: Store, people: Iterator[dict[str, Any]], state: RunState
) -> Iterator[dict[str, Any]]:
    """People whose best address's deliverability verdict is recent enough to send to.

    A ``valid`` or ``risky`` verdict reached by a DNS lookup or an SMTP probe holds for
    ``[enrichers] verdict_max_age_days`` (90) after the person was last checked (their
    ``work_log`` time for those components): a mailbox closes, a domain lapses. Past
    that, the person is left out of email-tool files until ``enrich`` checks them again
    (which it does for anyone checked more than ``max_age_days`` ago). A verdict no
    server was asked for (offline, a role address) claims nothing and is not held back;
    nor is a bounce.
    """
    settings = store.settings.enrichers if store.settings is not None else {}
    days = float(settings.get("verdict_max_age_days", VERDICT_MAX_AGE_DAYS))
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="microseconds")
    reason = f"left out: email verdict older than {days:g} days (run enrich)"

    def flush(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        ids = [p["id"] for p in batch]  # at most 500 (_by_500)
        checked = dict(store.conn.execute(
            f"SELECT entity_id, max(done_at) FROM work_log WHERE entity_id IN"
            f" ({', '.join('?' for _ in ids)}) AND component IN"
            f" ({', '.join('?' for _ in _CHECKING)}) GROUP BY entity_id",
            [*ids, *_CHECKING],
        ))
        for person in batch:
            at = checked.get(person["id"])
            if at is not None and at < cutoff and _best_status(person) in ("valid", "risky"):
                state.add("skipped")
                state.add(reason)
                continue
            yield person

    return _by_500(people, flush)


def _with_first_step(
    store: Store, people: Iterator[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """People with ``first_step``: their sequence's first email, rendered, for the tools
    that take custom variables (see exporters/profiles.py)."""

    def flush(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        found = first_email_steps(store, [p["id"] for p in batch])
        for person in batch:
            yield {**person, "first_step": found.get(person["id"])}

    return _by_500(people, flush)


def _by_500(
    people: Iterator[dict[str, Any]],
    handle: Callable[[list[dict[str, Any]]], Iterator[dict[str, Any]]],
) -> Iterator[dict[str, Any]]:
    """``handle`` over ``people`` 500 at a time (one query per batch), in order."""
    batch: list[dict[str, Any]] = []
    for person in people:
        batch.append(person)
        if len(batch) >= 500:
            yield from handle(batch)
            batch = []
    yield from handle(batch)


# From this many rows of people (merged ones included) the dump is written by two
# processes (see _write_people_lines): 45,000 rows, 0.40-0.44 s against 0.62-0.69 s;
# 15,000, 0.15-0.17 s against 0.21-0.22 s; 4,500, 0.06-0.07 s against 0.07-0.08 s.
PARALLEL_MIN_PEOPLE = 5_000


def _write_people_lines(store: Store, out: Path, state: RunState) -> int:
    """The JSONL dump of people; return how many lines were written.

    From :data:`PARALLEL_MIN_PEOPLE` rows of people (Linux), a forked process reads and
    encodes the second half of the ids into a file of its own beside ``out`` while this
    one does the first, then that file is copied after the first half: the same bytes as
    one process writes, in a little over half the time. Each process reads through a
    connection of its own, as a one-process dump reads its rows and their steps through
    several statements: a dump taken while another process writes may mix the states
    before and after one of its commits, either way.
    """
    pivot = _middle_id(store) if can_fork() else None
    if pivot is None:
        return write_jsonl_lines(out, _counted(people_lines(store), state))
    matcher = SuppressionMatcher.load(store.conn)
    with atomic_output(out, newline="\n") as handle:
        fd, part = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".half", dir=out.parent)
        os.close(fd)
        try:
            with Child(_write_half, (store.path, matcher, pivot, part),
                       doing=f"{out}: the process writing the second half",
                       then="nothing was written") as child:
                count = write_lines(handle, _counted(people_lines(store, matcher, high=pivot),
                                                     state))
                _, second = child.recv()
            state.add("read", second)
            handle.flush()
            with open(part, "rb") as half:
                shutil.copyfileobj(half, handle.buffer, 1 << 20)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
    return count + second


def _middle_id(store: Store) -> str | None:
    """The id halfway through the people table (merged people counted: ids are spread
    evenly), or None where it holds too few people to share the dump out."""
    total = store.conn.execute("SELECT count(*) FROM people").fetchone()[0]
    if total < PARALLEL_MIN_PEOPLE:
        return None
    row = store.conn.execute("SELECT id FROM people ORDER BY id LIMIT 1 OFFSET ?",
                             (total // 2,)).fetchone()
    return row[0] if row else None


def _write_half(writer: Any, path: Path, matcher: SuppressionMatcher, low: str,
                part: str) -> None:
    """In the forked process: the dump's lines from id ``low`` on, into ``part``."""
    with Store.reader(path) as store, open(part, "w", encoding="utf-8", newline="\n") as out:
        count = write_lines(out, people_lines(store, matcher, low=low))
    writer.send(("written", count))


def _counted(items: Iterator[Any], state: RunState) -> Iterator[Any]:
    for item in items:
        state.add("read")
        yield item


def _skip(state: RunState, reason: str) -> bool:
    state.add("skipped")
    state.add(f"skipped_{reason}")
    return False
