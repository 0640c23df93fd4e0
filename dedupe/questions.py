"""The review queue's questions: two records, as they now are, that a person must judge.

Pairs are scored between the records a run reads. Once some are merged, several pairs
can ask one thing: the pairs between the members of two golden records all ask whether
those two are one person (or one company). A question is the pair of current records
(golden, or never merged); it waits while one of its pairs waits and none of the pairs
between those two records was answered, and asks nothing once they are one record.
An answer to any of its pairs answers all of them (see ``review.review_pairs``).

No numpy here (of the merging module, its table names alone): ``status`` counts the
questions without loading the matcher.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prospecting.store import chunked

from .merge import table_of

__all__ = ["Question", "current_records", "open_questions"]

KINDS = ("person", "company")


@dataclass(frozen=True)
class Question:
    """One question: its pair (the most probable of the pairs asking it, whose id
    ``--accept`` and ``--reject`` take), the two current records ``a`` and ``b`` (in the
    pair's order), and how many waiting pairs it stands for."""

    pair_id: str
    kind: str
    a: str
    b: str
    probability: float
    reasons: str  # JSON list
    decision: str  # 'review' (borderline) or 'split' (matched, kept apart)
    pairs: int


def _ends(conn: sqlite3.Connection, kind: str, where: str) -> list[tuple[Any, ...]]:
    """Pairs of ``kind`` matching ``where``: (id, probability, reasons, decision, run_id,
    current record of ``a``, of ``b``); a pair whose record is gone (erased) is none.

    The pairs first, then each of their records' current one, the ids in order: joined
    to the records, every pair cost two searches of the records' index and two of the
    table, all over both (at a million people, 1.3 s for 45,000 pairs against 0.8 s)."""
    pairs = conn.execute(
        "SELECT id, probability, reasons, decision, run_id, a, b FROM pairs"
        f" WHERE kind = '{kind}' AND {where}").fetchall()
    if not pairs:
        return []
    unit = current_records(conn, table_of(kind), (x for row in pairs for x in row[5:]))
    return [(*row[:5], unit[row[5]], unit[row[6]]) for row in pairs
            if row[5] in unit and row[6] in unit]


def current_records(conn: sqlite3.Connection, table: str, ids: Iterable[str]
                    ) -> dict[str, str]:
    """Each id's active record: itself, or the golden record it was merged into (ids no
    longer in ``table`` left out). The ids in order: their index is read in order."""
    out: dict[str, str] = {}
    for chunk in chunked(sorted(set(ids)), 500):
        marks = ", ".join("?" for _ in chunk)
        out.update(conn.execute(
            f"SELECT id, coalesce(merged_into, id) FROM {table} WHERE id IN ({marks})",
            chunk))
    return out


def open_questions(conn: sqlite3.Connection, kind: str | None = None,
                   run_id: str | None = None) -> list[Question]:
    """The questions waiting, most probable first (then by pair id); of one ``kind``
    when given; with ``run_id``, those one of whose waiting pairs that run scored."""
    # One snapshot for every query below (the pairs, then their records).
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        return _open_questions(conn, kind, run_id)
    finally:
        if own:
            conn.execute("COMMIT")


def _open_questions(conn: sqlite3.Connection, kind: str | None,
                    run_id: str | None) -> list[Question]:
    kinds = [kind] if kind else list(KINDS)
    answered: set[tuple[str, str, str]] = set()
    for k in kinds:
        for *_, ua, ub in _ends(conn, k, "review IS NOT NULL"):
            answered.add((k, ua, ub) if ua < ub else (k, ub, ua))
    # Per question: its most probable pair (then the smallest id), and how many wait.
    best: dict[tuple[str, str, str], tuple[str, str, str, str, float, str, str]] = {}
    waiting: Counter[tuple[str, str, str]] = Counter()
    asked_by_run: set[tuple[str, str, str]] = set()
    for k in kinds:
        for pid, probability, reasons, decision, scored_by, ua, ub in _ends(
            conn, k, "decision IN ('review', 'split') AND review IS NULL"
        ):
            if ua == ub:
                continue  # one record now: nothing to ask
            key = (k, ua, ub) if ua < ub else (k, ub, ua)
            if key in answered:
                continue
            waiting[key] += 1
            if scored_by == run_id:
                asked_by_run.add(key)
            held = best.get(key)
            if held is None or (-probability, pid) < (-held[4], held[0]):
                best[key] = (pid, k, ua, ub, probability, reasons, decision)
    questions = [Question(*pair, waiting[key]) for key, pair in best.items()
                 if run_id is None or key in asked_by_run]
    questions.sort(key=lambda q: (-q.probability, q.pair_id))
    return questions
