"""Use the second core: comparison levels of candidate pairs, and person merges.

Levels: the pairs are split in two halves, a forked process computes the second while
this one computes the first (the features are shared by the fork, the levels come back
as bytes).

Loading: the people are read in two halves of the table; a forked process builds the
columns of the second (on its own read connection) while this one builds the first's.

Merges: batches are prepared in two processes while one writes them.

Preparing a merge (reading the members' rows and facts, deriving the golden record,
its provenance and its dedupe hash) is most of its cost; writing it is a few
statements. The batches of one plan touch disjoint records, so on Linux a forked
process prepares every other batch on its own read connection and sends the result
through a pipe, while this process prepares the others and writes every batch, in
order, each in its own transaction. Only this process writes: a killed run leaves the
plan's remaining clusters pending, as with one process.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from prospecting.forked import Child, QueuedSender, can_fork, fast_pickle
from prospecting.store import Store

from .comparisons import COMPARISONS, person_levels
from .features import PersonFeatures, _person_columns, _person_rows, build_person_features
from .merge import Merge, PersonMergeWrite, prepare_person_merges

__all__ = ["PARALLEL_MIN_MERGES", "PARALLEL_MIN_PAIRS", "PARALLEL_MIN_PEOPLE",
           "levels_in_two", "load_people_in_two", "person_merge_plans"]

# Below these sizes, forking costs more than the second core saves.
PARALLEL_MIN_MERGES = 1000
PARALLEL_MIN_PAIRS = 50_000
PARALLEL_MIN_PEOPLE = 50_000


def load_people_in_two(store: Store, batch: int = 2000) -> PersonFeatures:
    """:func:`~dedupe.features.load_people` of every active person, each half of the
    table read and turned into columns by one of two processes.

    The halves split the table by ``seq``, the order one scan reads it in: the columns
    joined are those one process builds.
    """
    conn = store.conn
    active = conn.execute("SELECT count(*) FROM people WHERE merged_into IS NULL").fetchone()[0]
    if active < PARALLEL_MIN_PEOPLE or not can_fork() or conn.in_transaction:
        return build_person_features(*_person_columns(_person_rows(store, None, batch)))
    middle = conn.execute(
        "SELECT seq FROM people WHERE merged_into IS NULL ORDER BY seq LIMIT 1 OFFSET ?",
        (active // 2,)).fetchone()[0]
    end = conn.execute("SELECT max(seq) FROM people").fetchone()[0] + 1
    with Child(_columns_child, (store, middle, end, batch),
               doing=f"{store.path}: the process reading people",
               then="nothing was written") as child:
        cols, shared = _person_columns(_person_rows(store, None, batch, (0, middle)))
        _, (more, theirs) = child.recv()
    for name, values in more.items():
        cols[name].extend(values)
    del more
    for key, value in theirs.items():
        shared.setdefault(key, value)
    return build_person_features(cols, shared)


def _columns_child(writer: Any, parent: Store, start: int, end: int, batch: int) -> None:
    with Store.reader(parent.path) as store:
        writer.send(("columns", _person_columns(_person_rows(store, None, batch,
                                                             (start, end)))))


def levels_in_two(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
                  batch: int) -> np.ndarray:
    """:func:`person_levels` of every pair, in batches, half of them in a forked process."""
    if len(pairs) < PARALLEL_MIN_PAIRS or not can_fork():
        return _levels(f, pairs, phone_counts, batch)
    # The per-record columns person_levels caches on ``f`` are built once, here, so the
    # forked process inherits them instead of building its own.
    person_levels(f, pairs[:1], phone_counts)
    half = len(pairs) // 2
    # Each half is written straight into its place: no halves joined afterwards.
    out = np.empty((len(pairs), len(COMPARISONS)), dtype=np.int8)
    with Child(_levels_child, (f, pairs[half:], phone_counts, batch),
               doing="the process comparing pairs", then="nothing was written") as child:
        _levels(f, pairs[:half], phone_counts, batch, out[:half])
        _, payload = child.recv()
    out[half:] = np.frombuffer(payload, dtype=out.dtype).reshape(-1, out.shape[1])
    return out


def _levels(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
            batch: int, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        out = np.empty((len(pairs), len(COMPARISONS)), dtype=np.int8)
    for s in range(0, len(pairs), batch):
        out[s:s + batch] = person_levels(f, pairs[s:s + batch], phone_counts)
    return out


def _levels_child(writer: Any, f: PersonFeatures, pairs: np.ndarray,
                  phone_counts: dict[str, int], batch: int) -> None:
    writer.send(("levels", _levels(f, pairs, phone_counts, batch).tobytes()))


def person_merge_plans(store: Store, merges: list[Merge], batch: int, run_id: str,
                       workers: int = 2, first: Callable[[], None] | None = None,
                       ) -> Iterator[PersonMergeWrite]:
    """Prepared batches of ``merges``, each once, in the order they are ready.

    With two processes, each takes the next batch not yet taken (a shared counter) until
    none is left: whichever is faster (this one also writes) prepares more. The other
    process hands its plans to a sending thread, so it goes on preparing while this one
    has not read them yet.

    ``first`` runs here before any batch is handed out, once the other process has
    started preparing: the writes that must precede the merges (the scored pairs, the
    plan) overlap with the preparing. Preparing only reads the people and their
    statements, which those writes do not touch.
    """
    parallel = workers > 1 and len(merges) >= PARALLEL_MIN_MERGES and can_fork()
    if parallel:
        batch = min(batch, math.ceil(len(merges) / 6))  # enough batches to share out
    parts = [merges[s:s + batch] for s in range(0, len(merges), batch)]
    if not parallel or len(parts) < 2:
        if first is not None:
            first()
        for part in parts:
            yield prepare_person_merges(store, part, run_id)
        return
    taken = multiprocessing.get_context("fork").Value("i", 0)
    with Child(_prepare_share, (store, parts, taken, run_id),
               doing=f"{store.path}: the process preparing merges",
               then="re-run dedupe to apply the pending merges") as child:
        if first is not None:
            first()
        finished = False
        while True:
            while not finished and child.poll():
                what, payload = child.recv()
                if what == "done":
                    finished = True
                else:
                    yield payload
            k = _take(taken)
            if k >= len(parts):
                break
            yield prepare_person_merges(store, parts[k], run_id)
        while not finished:
            what, payload = child.recv()
            if what == "done":
                finished = True
            else:
                yield payload


def _take(taken: Any) -> int:
    with taken.get_lock():
        k = taken.value
        taken.value = k + 1
    return k


def _prepare_share(writer: Any, parent: Store, parts: list[list[Merge]], taken: Any,
                   run_id: str) -> None:
    """In the forked process: its own read-only connection (never the parent's), the
    parent's settings; plans go out through a thread so preparing never waits on the
    pipe, pickled without the memo (see ``fast_pickle``). An error reaches the writing
    process after the plans already sent (see ``Child``)."""
    with QueuedSender(writer, depth=2) as sender, Store.reader(parent.path) as store:
        store.settings = parent.settings
        store.tag_rule = parent.tag_rule
        store.source_rank = parent.source_rank
        while (k := _take(taken)) < len(parts):
            sender.send(fast_pickle(("plan", prepare_person_merges(store, parts[k], run_id))))
    writer.send(("done", None))
