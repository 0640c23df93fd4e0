"""The review queue and unmerge: where a person overrules the matcher.

Borderline pairs (and matched pairs the coherence check kept apart) wait in ``pairs``
with ``decision`` 'review' or 'split'; the queue asks one question per two records as
they now are (see :mod:`dedupe.questions`). ``prospecting review DB --export q.csv``
writes the questions with both records side by side; ``--accept``/``--reject PAIR_ID``
or ``--import q.csv`` (a ``decision`` column holding accept or reject) record the
answer, on every pair between the two records. Answers are kept in ``pairs.review`` and
every later ``dedupe`` obeys them. An ``unmerge`` also records its pairs as rejected, so
the next run does not merge them again.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from prospecting.connectors.csv_file import open_tabular
from prospecting.errors import InputError
from prospecting.models import strip_accents
from prospecting.runs import RunState
from prospecting.store import Store, chunked, utc_now

from .merge import _members_of, table_of, unmerge_cluster
from .questions import Question, current_records, open_questions
from .stage import pair_id

__all__ = ["merges_of", "review_pairs", "unmerge"]

# A person's values side by side in the queue: their full name where no given name or
# surname is split yet, their company by name (its id when it has none), as a reviewer
# reads them.
_FIELDS = ("p.first_name", "p.last_name",
           "CASE WHEN coalesce(p.first_name, p.last_name) IS NULL THEN p.full_name END",
           "p.email", "p.phone", "p.title", "p.city", "coalesce(c.name, c.domain, p.company_id)")
# Why a pair waits, by its decision.
_WHY = {
    "review": "borderline: between the review and the match thresholds",
    "split": "matched, but kept apart: its cluster would join records a name, number or"
             " company tells apart",
}


def merges_of(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The merges a golden record heads (undone ones left out), oldest first: each
    cluster's id (what ``unmerge`` takes), the records merged into it (their id, name,
    addresses and source ids, as they were stated), probability, reasons and time."""
    out = []
    for cid, members, probability, reasons, created_at in store.conn.execute(
        "SELECT id, members, probability, reasons, created_at FROM clusters"
        " WHERE kind = 'person' AND golden_id = ? AND status = 'merged'"
        " ORDER BY created_at, id", (person_id,),
    ).fetchall():
        ids = json.loads(members)
        marks = ", ".join("?" for _ in ids)
        rows = {r[0]: r for r in store.conn.execute(
            "SELECT id, coalesce(full_name, trim(coalesce(first_name, '') || ' ' ||"
            " coalesce(last_name, ''))), emails, source_ids FROM people"
            f" WHERE id IN ({marks})", ids)} if ids else {}
        out.append({
            "cluster_id": cid,
            "members": [{"id": m, "name": (rows[m][1] or None) if m in rows else None,
                         "emails": [e["value"] for e in json.loads(rows[m][2])]
                         if m in rows else [],
                         "source_ids": json.loads(rows[m][3]) if m in rows else []}
                        for m in ids],
            "probability": probability, "reasons": json.loads(reasons),
            "merged_at": created_at,
        })
    return out


def unmerge(store: Store, cluster_id: str, state: RunState) -> None:
    with store.write():
        done = unmerge_cluster(store, cluster_id, state.run_id)
        kind, golden = done["kind"], done["golden"]
        now = utc_now()
        records = [golden, *done["members"]]
        pairs = [(f, s) for x, f in enumerate(records) for s in records[x + 1:]]
        for first, second in pairs:
            a, b = sorted((first, second))
            store.conn.execute(
                "INSERT INTO pairs (id, kind, a, b, probability, weight, reasons, decision,"
                " review, reviewed_at, run_id, scored_at) VALUES (?, ?, ?, ?, 0, 0, ?,"
                " 'review', 'rejected', ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " review = 'rejected', reviewed_at = excluded.reviewed_at",
                (pair_id(kind, a, b), kind, a, b, json.dumps([f"unmerged {cluster_id}"]),
                 now, state.run_id, now),
            )
    state.add("read")
    state.add("written", done["restored"])
    state.messages.append(
        f"cluster {cluster_id} undone: {done['restored']} record(s) restored; their pairs are "
        "marked rejected so the next dedupe keeps them apart"
    )


def review_pairs(
    store: Store, state: RunState, *, accept: list[str], reject: list[str],
    export_path: str | os.PathLike[str] | None, import_path: str | os.PathLike[str] | None,
    kind: str | None = None,
) -> None:
    """Record answers, then list or export the questions still waiting: one per pair of
    current records (see :mod:`dedupe.questions`), however many of their members' pairs
    ask it, and an answer given for any of those pairs."""
    decisions = [(p, "accepted") for p in accept] + [(p, "rejected") for p in reject]
    if import_path is not None:
        decisions += _read_decisions(Path(import_path))
    if decisions:
        now = utc_now()
        unknown = []
        with store.write():
            for pid, verdict in decisions:
                updated = _answer(store, pid, verdict, now)
                if updated is None:
                    unknown.append(pid)
                else:
                    state.add(verdict)
                    state.add("written", updated)
        if unknown:
            raise InputError(f"no pair {', '.join(unknown)} (ids are in the exported queue)")
        state.messages.append("decisions recorded; run 'prospecting dedupe' to apply them")
    pending = open_questions(store.conn, kind)
    state.add("read", len(pending))
    state.add("pending_reviews", len(pending))
    if export_path is not None:
        _export(store, Path(export_path), pending)
        state.messages.append(f"wrote {len(pending)} pair(s) to {export_path}")
    else:
        # Each question as a reviewer decides it from here: its pair id, the reasons,
        # and both records' values on a line of their own.
        shown = pending[:20]
        values = _values_of(store, shown)
        for q in shown:
            more = f" ({q.pairs} scored pairs of their records)" if q.pairs > 1 else ""
            state.messages.append(
                f"{q.pair_id} {q.kind} p={q.probability:.2f}{more}: "
                f"{'; '.join(json.loads(q.reasons)[:3])}"
            )
            for rid in (q.a, q.b):
                state.messages.append(f"    {rid}: {values.get(rid, '')}")
        if len(pending) > 20:
            state.messages.append(f"… and {len(pending) - 20} more (use --export FILE)")


def _answer(store: Store, pid: str, verdict: str, now: str) -> int | None:
    """Record ``verdict`` ('accepted' or 'rejected') for the question pair ``pid`` asks:
    on every pair between the current records of its ends (the pair alone when they
    are one record, or one end is gone). The number of pairs updated; None for an
    unknown pair."""
    row = store.conn.execute("SELECT kind, a, b FROM pairs WHERE id = ?", (pid,)).fetchone()
    if row is None:
        return None
    kind, a, b = row
    table = table_of(kind)
    units = current_records(store.conn, table, (a, b))
    ua, ub = units.get(a), units.get(b)
    ids = {pid}
    if ua is not None and ub is not None and ua != ub:
        merged = _members_of(store, table, (ua, ub))
        left, right = [ua, *merged.get(ua, ())], {ub, *merged.get(ub, ())}
        for chunk in chunked(left, 500):
            marks = ", ".join("?" for _ in chunk)
            for found, _, other in store.conn.execute(
                f"SELECT id, a, b FROM pairs WHERE kind = ? AND a IN ({marks})"
                f" UNION ALL SELECT id, b, a FROM pairs WHERE kind = ? AND b IN ({marks})",
                [kind, *chunk, kind, *chunk],
            ):
                if other in right:
                    ids.add(found)
    store.conn.executemany("UPDATE pairs SET review = ?, reviewed_at = ? WHERE id = ?",
                           [(verdict, now, found) for found in sorted(ids)])
    return len(ids)


def _values_of(store: Store, questions: list[Question]) -> dict[str, str]:
    """Each record of ``questions`` as it now is (a golden record's values, not those
    of the member its pair was scored on), its values joined with ``|``."""
    out: dict[str, str] = {}
    # Read 500 records a query (an export can hold tens of thousands of questions).
    for kind, select in (
        ("person", f"SELECT p.id, {', '.join(_FIELDS)} FROM people p"
                   " LEFT JOIN companies c ON c.id = p.company_id WHERE p.id IN"),
        ("company", "SELECT id, name, domain, siren, city FROM companies WHERE id IN"),
    ):
        ids = sorted({rid for q in questions if q.kind == kind for rid in (q.a, q.b)})
        for chunk in chunked(ids, 500):
            marks = ", ".join("?" for _ in chunk)
            for rid, *values in store.conn.execute(f"{select} ({marks})", chunk):
                out[rid] = " | ".join(str(v) for v in values if v)
    return out


def _export(store: Store, path: Path, pending: list[Question]) -> None:
    """The questions side by side (see :func:`_values_of`)."""
    values = _values_of(store, pending)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pair_id", "kind", "probability", "a", "a_values", "b", "b_values",
                         "reasons", "why", "decision"])
        for q in pending:
            writer.writerow([
                q.pair_id, q.kind, f"{q.probability:.3f}", q.a, values.get(q.a, ""), q.b,
                values.get(q.b, ""), "; ".join(json.loads(q.reasons)),
                _WHY.get(q.decision, q.decision), "",
            ])
    tmp.replace(path)


def _read_decisions(path: Path) -> list[tuple[str, str]]:
    """(pair id, accepted|rejected) from a reviewed file, as a spreadsheet saves it back
    (any common encoding and delimiter: the import's reader detects them)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    out = []
    with open_tabular(path) as table:
        if table.kind != "csv":
            raise InputError(f"{path}: a review file is a CSV with pair_id and decision")
        headers = [h.strip().lower() for h in table.headers]
        if "pair_id" not in headers or "decision" not in headers:
            raise InputError(f"{path}: needs 'pair_id' and 'decision' columns")
        pair_at, decision_at = headers.index("pair_id"), headers.index("decision")
        for record in table.records():
            if record.error or record.cells is None:
                raise InputError(f"{path}: row {record.row}: {record.error}")
            said = record.cells[decision_at].strip()
            verdict = strip_accents(said).casefold()
            if not verdict:
                continue
            if verdict not in _ACCEPT and verdict not in _REJECT:
                raise InputError(
                    f"{path}: row {record.row}: decision must be accept or reject, "
                    f"not {said!r}"
                )
            out.append((record.cells[pair_at].strip(),
                        "accepted" if verdict in _ACCEPT else "rejected"))
    return out


# A reviewer's answer, in English or French, without accents or case: the two records are
# one ("accept", "oui", "doublon") or two ("reject", "non", "différent").
_ACCEPT = frozenset({"accept", "accepted", "yes", "y", "true", "1", "merge", "same",
                     "duplicate", "oui", "o", "accepter", "accepte", "acceptee", "fusionner",
                     "doublon", "meme"})
_REJECT = frozenset({"reject", "rejected", "no", "n", "false", "0", "different", "distinct",
                     "apart", "non", "rejeter", "rejete", "rejetee", "refuser", "refuse",
                     "refusee", "distincts", "differents"})
