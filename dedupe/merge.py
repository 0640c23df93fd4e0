"""Merging and unmerging: flags plus log rows, never a delete.

A merge keeps one record of the cluster as the golden record (its id stays the
person's id in exports), sets ``merged_into`` on the others (and on records already
merged into them), and re-derives the golden row from the facts of every member.
Nothing is deleted: each member keeps its statements and its own row. The
``merge_log`` holds the rows of every record the merge touched as they were before,
so ``unmerge`` puts them back exactly, then re-derives them in case facts arrived
since (an unchanged store gives back the identical rows).

For people, the log keeps what re-deriving cannot give back: the id and the columns
other stages own (``merged_into``, ``stage``, ``score``…). Every other column is
derived from the person's statements, which a merge never touches, and ``unmerge``
derives them again anyway; a full copy would cost two kilobytes per merge (a million
people write a gigabyte of it) and would keep a copy of personal data that erasure
then has to hunt down.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from prospecting.errors import InputError
from prospecting.models import Observation, dumps
from prospecting.store import (
    Store,
    chunked,
    people_columns,
    people_values,
    split_same_links,
    utc_now,
)

__all__ = ["Merge", "MergesToBuild", "PersonMergeWrite", "apply_company_merges",
           "assign_cluster_ids", "merges_between", "pending_merges", "plan_merges",
           "prepare_person_merges", "table_of", "unmerge_cluster", "write_person_merges"]


@dataclass
class Merge:
    kind: str  # "person" | "company"
    golden: str
    others: list[str]
    probability: float
    reasons: list[str]
    cluster_id: str = ""
    # The records' rowids (``people.seq``) by id, when the run that built the merge read
    # them: their rows are then read by rowid instead of through the index of ids.
    seqs: dict[str, int] | None = None


@dataclass
class MergesToBuild:
    """``count`` merges not built yet, ``moved`` records merged away by them: ``build``
    makes those from ``start`` to ``end`` (cluster ids assigned) on a store's connection,
    in whichever process prepares them (see ``dedupe.parallel.person_merge_plans``)."""

    count: int
    moved: int
    build: Callable[[Store, int, int], list[Merge]]

    def __len__(self) -> int:
        return self.count


def merges_between(store: Store, merges: list[Merge] | MergesToBuild, start: int,
                   end: int) -> list[Merge]:
    """Merges ``start`` to ``end`` of a list, or built (see :class:`MergesToBuild`)."""
    if isinstance(merges, MergesToBuild):
        return merges.build(store, start, end)
    return merges[start:end]


def plan_merges(store: Store, merges: list[Merge], run_id: str) -> None:
    """Write every merge of a run as a 'pending' cluster before applying any.

    A run killed between two batches leaves the rest of its plan here; the next run
    applies it first, so a killed and re-run stage ends where one clean run would.
    """
    now = utc_now()
    if any(not m.cluster_id for m in merges):
        assign_cluster_ids(store, merges)
    rows = [
        (m.cluster_id, m.kind, m.golden, dumps(sorted(m.others)), "pending",
         m.probability, dumps(m.reasons), run_id, now)
        for m in merges
    ]
    store.conn.executemany(
        "INSERT OR IGNORE INTO clusters (id, kind, golden_id, members, status, probability,"
        " reasons, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows,
    )


def assign_cluster_ids(store: Store, merges: list[Merge]) -> None:
    """Give each merge its cluster id (reads only): the golden record, the sorted
    members, and how many clusters the golden record already heads."""
    # How many clusters each golden record already heads: one query per 500 goldens,
    # not one per merge (a first run plans tens of thousands).
    counts: dict[str, int] = {}
    kinds = sorted({m.kind for m in merges})
    # None at all of these kinds (a first run): every count is nought. Ids of people and
    # companies never meet (p_…, c_…).
    none_yet = not any(store.conn.execute(
        "SELECT 1 FROM clusters WHERE kind = ? LIMIT 1", (kind,)).fetchone() for kind in kinds)
    for chunk in chunked([] if none_yet else sorted({m.golden for m in merges}), 500):
        marks = ", ".join("?" for _ in chunk)
        counts.update(store.conn.execute(
            f"SELECT golden_id, count(*) FROM clusters WHERE golden_id IN ({marks})"
            " GROUP BY golden_id", chunk,
        ).fetchall())
    sha1 = hashlib.sha1
    for m in merges:
        others = m.others
        members = others[0] if len(others) == 1 else ",".join(sorted(others))
        m.cluster_id = "cl_" + sha1(
            f"{m.kind}\x1f{m.golden}\x1f{members}\x1f{counts.get(m.golden, 0)}".encode(),
            usedforsecurity=False,
        ).hexdigest()[:16]


def pending_merges(store: Store, kind: str) -> list[Merge]:
    """The merges a killed run planned and did not apply."""
    return [
        Merge(kind, golden, json.loads(members), probability or 1.0, json.loads(reasons), cid)
        for cid, golden, members, probability, reasons in store.conn.execute(
            "SELECT id, golden_id, members, probability, reasons FROM clusters"
            " WHERE kind = ? AND status = 'pending' ORDER BY created_at, id", (kind,)
        )
    ]


def table_of(kind: str) -> str:
    return {"person": "people", "company": "companies"}[kind]


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})") if r[1] != "seq"]


def _logged_columns(store: Store, table: str) -> list[str]:
    """The columns a merge's before-image keeps: all of a company's; of a person's, the
    id and the columns no derivation writes (``unmerge`` re-derives the others from the
    person's statements)."""
    if table != "people":
        return _columns(store, table)
    derived = set(people_columns())
    return ["id", *(c for c in _columns(store, table) if c not in derived)]


def _before_images(rows: Iterable[dict[str, Any]], logged: list[str]) -> list[dict[str, Any]]:
    return [{c: row[c] for c in logged} for row in rows]


def _rows(store: Store, table: str, ids: Sequence[str],
          cols: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """Rows by id (``cols``: these columns alone, the id first; all by default)."""
    cols = cols or _columns(store, table)
    out: dict[str, dict[str, Any]] = {}
    for chunk in chunked(list(ids), 500):
        marks = ", ".join("?" for _ in chunk)
        for row in store.conn.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE id IN ({marks})", chunk
        ):
            out[row[0]] = dict(zip(cols, row, strict=True))
    return out


def _members_of(store: Store, table: str, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if store.conn.execute(f"SELECT 1 FROM {table} WHERE merged_into IS NOT NULL LIMIT 1"
                          ).fetchone() is None:
        return found  # nobody merged yet (a first run): no query per 500 ids
    for chunk in chunked(list(ids), 500):
        marks = ", ".join("?" for _ in chunk)
        for head, member in store.conn.execute(
            f"SELECT merged_into, id FROM {table} WHERE merged_into IN ({marks})", chunk
        ):
            found.setdefault(head, []).append(member)
    return found


def apply_company_merges(store: Store, merges: list[Merge], run_id: str) -> list[str]:
    """Apply company merges (one transaction, the caller's); return the cluster ids
    written. Person merges are prepared, then written: see :func:`prepare_person_merges`.
    """
    if not merges:
        return []
    table = "companies"
    inherited = _members_of(store, table, [o for m in merges for o in m.others])
    # Whole rows: a company's before-image is its row (see _logged_columns).
    before = _rows(store, table, _touched(merges, inherited))
    ids, flags, clusters, logs = _merge_rows(merges, inherited, before, run_id, None)
    _write_flags(store, table, flags, logs)
    store.conn.executemany(
        "UPDATE clusters SET status = 'merged', created_at = ? WHERE id = ?", clusters,
    )
    goldens = [m.golden for m in merges]
    # What the rows read say is not read again: the golden rows as they were (their
    # rebuild compares people's tags with them), the members' (their people's tags).
    with store.companies_cached():
        store.remember_companies(before)
        store.refresh_companies(goldens)
        _repoint_people(store, {member: golden for golden, member in flags}, goldens)
    return ids


@dataclass
class PersonMergeWrite:
    """Everything one batch of person merges writes, computed from reads alone.

    Batches of one plan touch disjoint records, so the next batch can be prepared (in
    another process) while this one is written.
    """

    cluster_ids: list[str]
    # (golden, member's seq) for merged_into, in seq order: written by seq, as the golden
    # records' rows are (``seqs``, see Store.write_people).
    flags: list[tuple[str, int]]
    # The clusters' rows, status merged, provenance included (see _cluster_rows).
    clusters: list[tuple[Any, ...]]
    logs: list[tuple[Any, ...]]  # merge_log rows
    people: list[tuple[Any, ...]]  # the golden records' rows, for Store.write_people
    same_links: list[tuple[Any, ...]]  # the others: email and company as stored
    gone: list[str]  # golden records left without any fact (none in practice)
    company_ids: list[str]  # their companies, to recount
    recount: list[str]  # companies of merged-away members, to recount
    golden_ids: list[str]
    hashes: list[str]  # each golden record's dedupe input hash, once written
    seqs: dict[str, int]


def prepare_person_merges(store: Store, merges: list[Merge], run_id: str) -> PersonMergeWrite:
    """Read and derive what :func:`write_person_merges` writes for these merges."""
    from .features import person_hashes

    table = "people"
    inherited = _members_of(store, table, [o for m in merges for o in m.others])
    goldens = [m.golden for m in merges]
    already = _members_of(store, table, goldens)  # merged into a golden by earlier runs
    known: dict[str, int] = {}
    for m in merges:
        if m.seqs:
            known.update(m.seqs)
    before, links = _people_before(store, _touched(merges, inherited), known)
    seq_of = {pid: seq for pid, (_, _, seq) in links.items()}
    ids, flags, clusters, logs = _merge_rows(merges, inherited, before, run_id, None)
    members_of: dict[str, list[str]] = {g: list(already.get(g, ())) for g in goldens}
    for golden, member in flags:
        members_of[golden].append(member)
    members_of = {g: sorted(set(ms)) for g, ms in members_of.items() if ms}
    facts = store.observations_for(before)
    built = store.build_people_rows(goldens, observations=facts, members_of=members_of,
                                    keep_entries=True)
    golden_rows = {r["id"]: r for r in built.rows}
    # A member merged away no longer counts at its own company (the golden records'
    # own companies are recounted with them).
    counted = {r["company_id"] for r in built.rows}
    recount = sorted({company for company, _, _ in links.values()
                      if company and company not in counted})
    provenance = _provenance_rows(merges, ids, inherited, facts, golden_rows)
    companies = built.companies
    golden_ids, hashes = person_hashes([[
        (r["id"], r["first_name"], r["last_name"], r["full_name"], r["_emails"], r["_phones"],
         r["company_id"], companies.get(r["company_id"], {}).get("name"),
         companies.get(r["company_id"], {}).get("domain"), r["city"] or "",
         r["postcode"] or "", r["address"] or "", r["title"] or "", r["linkedin_url"] or "",
         0)  # no seq: the hashes alone are wanted
        for r in built.rows
    ]])
    changed, same = split_same_links(people_values(built.rows), {
        g: (links[g][1], links[g][0]) for g in goldens if g in links})
    # A member no longer in the table (erased since it was read) has nothing to flag.
    flag_seqs = sorted(((g, seq_of[m]) for g, m in flags if m in seq_of), key=_SECOND)
    return PersonMergeWrite(ids, flag_seqs, _cluster_rows(merges, clusters, provenance, run_id),
                            logs, changed, same, built.deleted, list(companies), recount,
                            golden_ids, hashes, {g: seq_of[g] for g in goldens if g in seq_of})


def _cluster_rows(merges: list[Merge], clusters: list[tuple[str, str]],
                  provenance: list[tuple[str, str]], run_id: str) -> list[tuple[Any, ...]]:
    """The clusters' rows as merged: what plan_merges writes, status merged, with the
    time of the merge and the provenance of the golden record's values."""
    rows = []
    texts: dict[tuple[str, ...], str] = {}  # a few dozen distinct lists of reasons
    for m, (at, cid), (kept, same) in zip(merges, clusters, provenance, strict=True):
        if not cid == same == m.cluster_id:
            raise AssertionError(f"cluster rows out of step: {cid} / {same}")
        key = tuple(m.reasons)
        reasons = texts.get(key)
        if reasons is None:
            reasons = texts[key] = dumps(m.reasons)
        rows.append((cid, m.kind, m.golden, dumps(sorted(m.others)), "merged", m.probability,
                     reasons, kept, run_id, at))
    return rows


def write_person_merges(store: Store, plan: PersonMergeWrite) -> list[str]:
    """Write one prepared batch of person merges (one transaction, the caller's)."""
    _write_flags(store, "people", plan.flags, plan.logs, key="seq")
    # Written over a plan a killed run left (the same members, probability and reasons),
    # or new.
    store.conn.executemany(
        "INSERT INTO clusters (id, kind, golden_id, members, status, probability, reasons,"
        " provenance, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET status = excluded.status,"
        " created_at = excluded.created_at, provenance = excluded.provenance", plan.clusters,
    )
    store.write_people(plan.people, plan.gone, [*plan.company_ids, *plan.recount],
                       same_links=plan.same_links, seqs=plan.seqs)
    return plan.cluster_ids


def _touched(merges: list[Merge], inherited: dict[str, list[str]]) -> list[str]:
    touched = [x for m in merges for x in (m.golden, *m.others)]
    return touched + [x for v in inherited.values() for x in v]


def _people_before(store: Store, ids: Sequence[str], seqs: dict[str, int] | None = None,
                   ) -> tuple[dict[str, dict[str, Any]],
                              dict[str, tuple[str | None, str | None, int]]]:
    """The people's before-images (the columns a merge logs, see ``_logged_columns``)
    and, apart, what preparing their merge reads besides: (company, email, seq). The
    company recounts its people; a golden row keeping both company and email is written
    without touching their indexes; rows are written by seq.

    People whose seq is in ``seqs`` are read by it (one search of the table, in table
    order, instead of one of the ids' index and then one of the table: at a million
    people, half the time); a row found there with another id (the person erased and
    the seq given again since) does not count, and the person is read by id.
    """
    logged = _logged_columns(store, "people")
    wanted = ("company_id", "email", "seq")
    cols = [*logged, *wanted]
    at = [cols.index(c, len(logged)) for c in wanted]
    images: dict[str, dict[str, Any]] = {}
    links: dict[str, tuple[str | None, str | None, int]] = {}

    def read(where: str, keys: list[Any]) -> None:
        for chunk in chunked(keys, 500):
            marks = ", ".join("?" for _ in chunk)
            for row in store.conn.execute(
                f"SELECT {', '.join(cols)} FROM people WHERE {where} IN ({marks})", chunk
            ):
                if row[0] in expected:
                    images[row[0]] = dict(zip(logged, row, strict=False))  # logged prefix
                    links[row[0]] = (row[at[0]], row[at[1]], row[at[2]])

    expected = set(ids)
    by_seq = sorted(seqs[x] for x in expected if x in seqs) if seqs else []
    if by_seq:
        read("seq", by_seq)
    read("id", [x for x in ids if x not in images])
    return images, links


def _merge_rows(
    merges: list[Merge], inherited: dict[str, list[str]], before: dict[str, dict[str, Any]],
    run_id: str, logged: list[str] | None,
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]], list[tuple[Any, ...]]]:
    """Cluster ids, (golden, member) flags, cluster status rows and merge_log rows
    (``logged``: the columns of the before-images; None when the rows are the images)."""
    now = utc_now()
    flags: list[tuple[str, str]] = []
    clusters: list[tuple[str, str]] = []
    logs: list[tuple[Any, ...]] = []
    ids = []
    kind = merges[0].kind
    for m in merges:
        members = sorted(m.others)
        moved = members + sorted(x for o in members for x in inherited.get(o, ()))
        flags.extend((m.golden, x) for x in moved)
        cid = m.cluster_id
        ids.append(cid)
        rows = (before[x] for x in (m.golden, *moved) if x in before)
        rows_before = list(rows) if logged is None else _before_images(rows, logged)
        clusters.append((now, cid))
        logs.append((cid, "merge", kind, dumps(rows_before), run_id, now))
    return ids, flags, clusters, logs


def _write_flags(store: Store, table: str, flags: Sequence[tuple[str, str | int]],
                 logs: list[tuple[Any, ...]], key: str = "id") -> None:
    """Merged flags ((golden, member's ``key``) pairs) and merge log rows."""
    store.conn.executemany(f"UPDATE {table} SET merged_into = ? WHERE {key} = ?", flags)
    store.conn.executemany(
        "INSERT INTO merge_log (cluster_id, action, kind, rows_before, run_id, at)"
        " VALUES (?, ?, ?, ?, ?, ?)", logs,
    )


_SECOND = operator.itemgetter(1)
_PROVENANCE_FIELDS = ("first_name", "last_name", "full_name", "title", "email", "phone",
                      "linkedin_url", "city", "country", "company_id")
_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]  # as dumps writes strings
_ENCODED_FIELDS = {f: _encode(f) for f in _PROVENANCE_FIELDS}
_ABSENT = object()  # no kept value equals it


def _provenance_rows(merges: list[Merge], cluster_ids: list[str],
                     inherited: dict[str, list[str]],
                     facts: dict[str, list[Observation]],
                     goldens: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """Where each kept value of a golden record came from, when the merge was made.

    ``{"statements": [{"record", "source", "locator", "observed_at", "fields"}, ...]}``:
    each statement of a member that states a kept value, with the kept fields it states
    (at most five statements per field). One entry per statement rather than one per
    field and statement: a CSV row gives most fields of a record, and the copies made
    the clusters table the largest of a deduplicated store.
    """
    # In the order _merge_rows moves them (members sorted), whatever order the merge
    # lists them in: a plan applied by the next run (its members read back sorted)
    # writes what the run that made it would have.
    members = {}
    for m in merges:
        others = sorted(m.others)
        members[m.golden] = [m.golden, *others,
                             *sorted(x for o in others for x in inherited.get(o, ()))]
    updates = []
    # Each statement's entry text, built once (the fields of one statement share it).
    entries: dict[tuple[str, str, str | None, str], str] = {}
    for m, cid in zip(merges, cluster_ids, strict=True):
        row = goldens.get(m.golden, {})
        wanted = {f: row.get(f) for f in _PROVENANCE_FIELDS}
        counts: dict[str, int] = {}
        kept: dict[str, list[str]] = {}  # statement entry -> its kept fields (as JSON)
        for x in members[m.golden]:
            # Unpacked rather than read by attribute: a merge of a million records walks
            # every observation of every member here.
            for record, field, value, source, observed_at, _, _, locator in facts.get(x, ()):
                if value != wanted.get(field, _ABSENT):
                    continue
                seen = counts.get(field, 0)
                if seen >= 5:
                    continue
                key = (record, source, locator, observed_at)
                text = entries.get(key)
                if text is None:
                    text = entries[key] = (
                        f'{{"record": {_encode(record)}, "source": {_encode(source)}'
                        f', "locator": {"null" if locator is None else _encode(locator)}'
                        f', "observed_at": {_encode(observed_at)}, "fields": [')
                fields = kept.get(text)
                name = _ENCODED_FIELDS[field]  # a field of wanted's
                if fields is None:
                    fields = kept[text] = []
                elif name in fields:
                    continue  # the same statement states the field twice
                fields.append(name)
                counts[field] = seen + 1
        updates.append(('{"statements": [' + ", ".join(
            text + ", ".join(fields) + "]}"
            for text, fields in kept.items()) + "]}", cid))
    return updates


def _repoint_people(store: Store, golden_of: dict[str, str], goldens: list[str]) -> None:
    """People at a merged company point at its golden company, tags re-derived.

    What ``refresh_people`` would write for them (their own facts did not change,
    only the company they resolve to), without re-reading every fact: a big company
    merged brings hundreds of people. When the golden company gives a tag what the
    merged one gave (a name, firmographics), their tags stand and one UPDATE per
    company repoints them. (People at the golden company itself were re-tagged by
    ``refresh_companies`` if it gained firmographics.)
    """
    from sequences.segments import company_extras

    companies = store._companies_by_id(set(golden_of) | set(golden_of.values()))
    same = {member: golden for member, golden in golden_of.items()
            if company_extras(companies.get(member)) == company_extras(companies.get(golden))}
    # Row by row in table order: a company's people are spread over the whole table, and
    # one UPDATE per company read their pages in the index's order, most of them again
    # for each company once the table outgrew the page cache (at a million people, a
    # third of the run's system time).
    moves: list[tuple[str, int]] = []
    for chunk in chunked(sorted(same), 500):
        marks = ", ".join("?" for _ in chunk)
        moves.extend((same[company], seq) for seq, company in store.conn.execute(
            f"SELECT seq, company_id FROM people WHERE company_id IN ({marks})", chunk))
    moves.sort(key=_SECOND)
    store.conn.executemany("UPDATE people SET company_id = ? WHERE seq = ?", moves)
    repointed = set(same)
    store.retag_people([m for m in golden_of if m not in repointed], companies, golden_of)
    store._update_people_counts(sorted(set(goldens) | set(golden_of)))


def _refresh_companies_and_people(store: Store, company_ids: list[str]) -> None:
    """Re-derive companies and their people (who follow the company's merge)."""
    store.refresh_companies(company_ids)
    people: list[str] = []
    for chunk in chunked(company_ids, 500):
        marks = ", ".join("?" for _ in chunk)
        people.extend(r[0] for r in store.conn.execute(
            f"SELECT id FROM people WHERE company_id IN ({marks})", chunk))
    if people:
        store.refresh_people(sorted(set(people)))
    store._update_people_counts(company_ids)


def unmerge_cluster(store: Store, cluster_id: str, run_id: str) -> dict[str, Any]:
    """Undo one merge; the caller holds the write transaction."""
    row = store.conn.execute(
        "SELECT kind, golden_id, members, status FROM clusters WHERE id = ?", (cluster_id,)
    ).fetchone()
    if row is None:
        raise InputError(f"no cluster '{cluster_id}' (see 'prospecting status' or the clusters "
                         "table)")
    kind, golden, members_json, status = row
    if status != "merged":
        raise InputError(f"cluster '{cluster_id}' is already {status}")
    members = json.loads(members_json)
    later = [
        r[0] for r in store.conn.execute(
            "SELECT c.id FROM clusters AS c JOIN merge_log AS l ON l.cluster_id = c.id"
            " WHERE c.status = 'merged' AND c.kind = ? AND c.id != ? AND l.action = 'merge'"
            " AND l.seq > (SELECT max(seq) FROM merge_log WHERE cluster_id = ?)"
            " AND (c.golden_id = ? OR c.members LIKE ?)",
            (kind, cluster_id, cluster_id, golden, f'%"{golden}"%'),
        )
    ]
    if later:
        raise InputError(
            f"cluster '{cluster_id}' was extended by later merges: unmerge "
            f"{', '.join(sorted(set(later)))} first"
        )
    log = store.conn.execute(
        "SELECT rows_before FROM merge_log WHERE cluster_id = ? AND action = 'merge'"
        " ORDER BY seq DESC LIMIT 1", (cluster_id,)
    ).fetchone()
    previous = json.loads(log[0])
    table = table_of(kind)
    ids = [r["id"] for r in previous]
    current = _rows(store, table, ids)
    cols = _columns(store, table)
    for item in previous:
        if item["id"] not in current:
            continue  # erased since (forget): nothing to put back
        sets = [c for c in cols if c != "id" and c in item]
        store.conn.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in sets)} WHERE id = ?",
            [item[c] for c in sets] + [item["id"]],
        )
    now = utc_now()
    store.conn.execute(
        "UPDATE clusters SET status = 'unmerged', undone_at = ? WHERE id = ?", (now, cluster_id)
    )
    images = _before_images(current.values(), _logged_columns(store, table))
    store.conn.execute(
        "INSERT INTO merge_log (cluster_id, action, kind, rows_before, run_id, at)"
        " VALUES (?, 'unmerge', ?, ?, ?, ?)",
        (cluster_id, kind, json.dumps(images, ensure_ascii=False), run_id, now),
    )
    if kind == "person":
        store.refresh_people(ids)
    else:
        _refresh_companies_and_people(store, ids)
    return {"kind": kind, "golden": golden, "members": members, "restored": len(current)}
