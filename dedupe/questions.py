"""The review queue's questions: two records, as they now are, that a person must judge.

Pairs are scored between the records a run reads. Once some are merged, several pairs
can ask one thing: the pairs between the members of two golden records all ask whether
those two are one person (or one company). A question is the pair of current records
(golden, or never merged); it waits while one of its pairs waits and none of the pairs
between those two records was answered, and asks nothing once they are one record.
An answer to any of its pairs answers all of them (see :func:`answer`).

Only sqlite3 here: ``status`` counts the questions without loading the matcher.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

__all__ = ["Question", "answer", "open_questions"]

TABLES = {"person": "people", "company": "companies"}


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


def _ends(kind: str, where: str) -> str:
    """Pairs of ``kind`` matching ``where``, with the current record of each end."""
    table = TABLES[kind]
    return (
        "SELECT p.id, p.probability, p.reasons, p.decision, p.run_id,"
        " coalesce(x.merged_into, x.id), coalesce(y.merged_into, y.id)"
        f" FROM pairs p JOIN {table} x ON x.id = p.a JOIN {table} y ON y.id = p.b"
        f" WHERE p.kind = '{kind}' AND {where}"
    )


def open_questions(conn: sqlite3.Connection, kind: str | None = None,
                   run_id: str | None = None) -> list[Question]:
    """The questions waiting, most probable first (then by pair id); of one ``kind``
    when given; with ``run_id``, those one of whose waiting pairs that run scored."""
    kinds = [kind] if kind else list(TABLES)
    answered: set[tuple[str, str, str]] = set()
    for k in kinds:
        for *_, ua, ub in conn.execute(_ends(k, "p.review IS NOT NULL")):
            answered.add((k, ua, ub) if ua < ub else (k, ub, ua))
    # Per question: its most probable pair (then the smallest id), and how many wait.
    best: dict[tuple[str, str, str], tuple[str, str, str, str, float, str, str]] = {}
    waiting: Counter[tuple[str, str, str]] = Counter()
    asked_by_run: set[tuple[str, str, str]] = set()
    for k in kinds:
        for pid, probability, reasons, decision, scored_by, ua, ub in conn.execute(
            _ends(k, "p.decision IN ('review', 'split') AND p.review IS NULL")
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


def answer(conn: sqlite3.Connection, pair_id: str, verdict: str, now: str) -> int | None:
    """Record ``verdict`` ('accepted' or 'rejected') for the question pair ``pair_id``
    asks: on every pair between the two current records of its ends (the pair alone
    when they are one record, or one end is gone). The number of pairs updated; None
    for an unknown pair."""
    row = conn.execute("SELECT kind, a, b FROM pairs WHERE id = ?", (pair_id,)).fetchone()
    if row is None:
        return None
    kind, a, b = row
    table = TABLES[kind]

    def current(record: str) -> str | None:
        found = conn.execute(f"SELECT coalesce(merged_into, id) FROM {table} WHERE id = ?",
                             (record,)).fetchone()
        return None if found is None else found[0]

    def members(unit: str) -> list[str]:
        return [unit] + [r[0] for r in conn.execute(
            f"SELECT id FROM {table} WHERE merged_into = ?", (unit,))]

    ua, ub = current(a), current(b)
    ids = {pair_id}
    if ua is not None and ub is not None and ua != ub:
        left, right = members(ua), set(members(ub))
        for start in range(0, len(left), 500):
            chunk = left[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for pid, _, y in conn.execute(
                f"SELECT id, a, b FROM pairs WHERE kind = ? AND a IN ({marks})"
                f" UNION ALL SELECT id, b, a FROM pairs WHERE kind = ? AND b IN ({marks})",
                [kind, *chunk, kind, *chunk],
            ):
                if y in right:
                    ids.add(pid)
    conn.executemany("UPDATE pairs SET review = ?, reviewed_at = ? WHERE id = ?",
                     [(verdict, now, pid) for pid in sorted(ids)])
    return len(ids)
