"""Use the second core: comparison levels of candidate pairs, and person merges.

Levels: the pairs are split in two halves, a forked process computes the second while
this one computes the first (the features are shared by the fork, the levels written
straight into memory both processes share, see :func:`shared_array`).

Loading: the people are read in chunks of the table shared out between two processes
(a forked one on its own read connection), which the stage starts while it still
deduplicates the companies.

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

import itertools
import math
import mmap
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from prospecting.forked import Child, QueuedSender, can_fork, fast_pickle, next_turn, turns
from prospecting.store import Store

from .comparisons import COMPARISONS, code_columns, person_levels, shared_phones
from .features import (
    CompanyNames,
    CompanySnapshot,
    PersonFeatures,
    _person_columns,
    _person_rows,
    build_person_features,
    company_snapshot,
    concat_features,
    load_people,
    patch_company_features,
    repoint_company_columns,
)
from .merge import (
    Merge,
    MergesToBuild,
    PersonMergeWrite,
    merges_between,
    prepare_person_merges,
)

__all__ = ["PARALLEL_MIN_MERGES", "PARALLEL_MIN_PAIRS", "PARALLEL_MIN_PEOPLE",
           "PeopleLoading", "coded_in_two", "levels_in_two", "load_people_in_two",
           "person_merge_plans", "shared_array"]

# Below these sizes, forking costs more than the second core saves.
PARALLEL_MIN_MERGES = 1000
PARALLEL_MIN_PAIRS = 50_000
PARALLEL_MIN_PEOPLE = 5_000
# Records from which the columns are coded in two processes. Coding, then comparing
# the pairs: 44,926 records 0.42-0.44 s against 0.46-0.54 s in one; 14,976 records
# 0.17-0.19 s either way (the fork and the columns sent back cost what is saved).
PARALLEL_MIN_CODES = 30_000


def load_people_in_two(store: Store, batch: int = 2000) -> PersonFeatures:
    """:func:`~dedupe.features.load_people` of every active person, the table read and
    turned into columns by two processes (see :class:`PeopleLoading`)."""
    loading = PeopleLoading.start(store, batch)
    if loading is None:
        return load_people(store, batch)
    with loading:
        return loading.finish(store)


class PeopleLoading:
    """Every active person's columns, read by two processes in chunks of the table.

    A forked process takes the chunks one by one (a shared counter) from the moment it
    is started; this process joins in once :meth:`finish` is called. Each builds the
    features of the chunks it reads (record by record, so chunks built apart and
    joined in table order give those of one scan). The dedupe stage starts it before
    the companies are deduplicated (``early``), so the reading overlaps that phase.
    The only writes to people there point them at their golden company (and re-tag
    them): the forked process keeps the chunks it read meanwhile until :meth:`finish`
    says the companies are done, then makes their company columns those of a read
    after the merges before sending them (see ``repoint_company_columns``).
    """

    def __init__(self, store: Store, ranges: list[tuple[int, int]], batch: int,
                 early: bool) -> None:
        context = multiprocessing.get_context("fork")
        self._ranges, self._batch = ranges, batch
        self._taken = turns()
        # Set once no company changes any more: chunks read after it are final.
        self._settled = context.Event()
        if not early:
            self._settled.set()
        # The companies as they were before any was merged (read before the fork).
        before = company_snapshot(store) if early else {}
        self._child = Child(_load_share, (store, ranges, self._taken, self._settled, batch,
                                          os.getpid(), before),
                            doing=f"{store.path}: the process reading people",
                            then="nothing was written")

    @classmethod
    def start(cls, store: Store, batch: int = 2000, *, early: bool = False,
              ) -> PeopleLoading | None:
        """Start reading in a forked process; None where one process does it (few people,
        no fork, an open transaction, or, with ``early``, person merges a killed run
        left pending: applying them changes who is active)."""
        conn = store.conn
        if not can_fork() or conn.in_transaction:
            return None
        active = conn.execute("SELECT count(*) FROM people WHERE merged_into IS NULL"
                              ).fetchone()[0]
        if active < PARALLEL_MIN_PEOPLE:
            return None
        if early and conn.execute("SELECT 1 FROM clusters WHERE kind = 'person' AND status"
                                  " = 'pending' LIMIT 1").fetchone() is not None:
            return None
        low, high = conn.execute("SELECT min(seq), max(seq) FROM people").fetchone()
        parts = max(2, min(_LOAD_PARTS, active // _LOAD_PART_MIN))
        step = -(-(high + 1 - low) // parts)
        ranges = [(s, min(s + step, high + 1)) for s in range(low, high + 1, step)]
        return cls(store, ranges, batch, early)

    def finish(self, store: Store, idle: Callable[[], object] | None = None,
               ) -> PersonFeatures:
        """Read the chunks left, gather the other process's, and join the features.
        Called once the companies are done with. ``idle`` (work the caller needs
        later) runs here if this process would otherwise wait for the other's chunks."""
        self._settled.set()
        got: dict[int, PersonFeatures] = {}
        done = False
        names = CompanyNames()

        def receive() -> bool:
            what, payload = self._child.recv()
            if what == "done":
                return True
            got[payload[0]] = payload[1]
            return False

        while True:
            while not done and self._child.poll():
                done = receive()
            k = next_turn(self._taken)
            if k >= len(self._ranges):
                break
            got[k] = build_person_features(*_read_chunk(store, self._ranges[k], self._batch,
                                                        names))
        if not done and idle is not None and not self._child.poll():
            idle()
        while not done:
            done = receive()
        return concat_features([got.pop(k) for k in range(len(self._ranges))])

    def close(self) -> None:
        self._settled.set()
        self._child.close()

    def __enter__(self) -> PeopleLoading:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# The table is read in up to this many chunks, of at least this many people each: enough
# to share the reading out evenly, few enough that each is worth a message.
_LOAD_PARTS = 32
_LOAD_PART_MIN = 2000


def _read_chunk(store: Store, seqs: tuple[int, int], batch: int, names: CompanyNames,
                ) -> tuple[dict[str, list[Any]], dict[str, str]]:
    return _person_columns(_person_rows(store, None, batch, seqs, names))


def _load_share(writer: Any, parent: Store, ranges: list[tuple[int, int]], taken: Any,
                settled: Any, batch: int, parent_pid: int, before: CompanySnapshot) -> None:
    """In the forked process: chunks read on its own connection, their features built
    and sent from a thread.

    A chunk read before ``settled`` is kept until then: its company columns are then
    made those of a read after the merges (from ``before``, the companies when the
    stage started, and the companies now), and the records whose columns changed are
    hashed again. The messages keep pickle's memo: the columns share many strings
    (company ids, domains, names), sent once each and read back shared, in half the
    time the receiving process would take to build a copy of each.
    """
    def send(k: int, features: PersonFeatures) -> None:
        sender.send(pickle.dumps(("features", (k, features)),
                                 protocol=pickle.HIGHEST_PROTOCOL))

    held: list[tuple[int, dict[str, list[Any]], dict[str, str], PersonFeatures]] = []

    def send_held() -> None:
        if not held:
            return
        after = company_snapshot(store)
        while held:
            k, cols, shared, features = held.pop(0)
            patch_company_features(features, cols,
                                   repoint_company_columns(cols, shared, before, after))
            send(k, features)

    names = CompanyNames()  # this connection's own
    with QueuedSender(writer, depth=len(ranges)) as sender, Store.reader(parent.path) as store:
        while (k := next_turn(taken)) < len(ranges):
            final = settled.is_set()
            cols, shared = _read_chunk(store, ranges[k], batch, names)
            if final:
                send_held()
                send(k, build_person_features(cols, shared))
            else:
                # Built now: hold the columns too, in their own lists (building pops
                # the two-slot ones).
                features = build_person_features(dict(cols), shared)
                held.append((k, cols, shared, features))
        while held and not settled.wait(0.5):
            if os.getppid() != parent_pid:  # the parent is gone
                return
        send_held()
    writer.send(("done", None))


def coded_in_two(f: PersonFeatures) -> dict[str, int]:
    """The per-record columns :func:`person_levels` caches on ``f``, built in two
    processes (a share each, see ``code_columns``), and :func:`shared_phones` of ``f``
    (returned), counted by the other process from the numbers it codes.

    Built once, before the pairs are compared, so the processes comparing them inherit
    the columns instead of building their own (at a million records, eight seconds in
    one process, the shared numbers included).
    """
    if len(f) < PARALLEL_MIN_CODES or not can_fork():
        return shared_phones(f)
    with Child(_codes_child, (f,), doing="the process coding columns",
               then="nothing was written") as child:
        code_columns(f, 0)
        _, (built, counts) = child.recv()
    for key, value in built.items():
        f.extra.setdefault(key, value)
    f.extra[_CODED] = True
    return counts


_CODED = "coded in two"  # the key coded_in_two leaves on ``f``


def levels_in_two(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
                  batch: int) -> np.ndarray:
    """:func:`person_levels` of every pair, in batches, half of them in a forked process."""
    if len(pairs) < PARALLEL_MIN_PAIRS or not can_fork():
        return _levels(f, pairs, phone_counts, batch)
    # The per-record columns person_levels caches on ``f`` are built once, before the
    # fork, so the forked process inherits them (see coded_in_two).
    if len(f) >= PARALLEL_MIN_CODES and not f.extra.get(_CODED):
        coded_in_two(f)
    person_levels(f, pairs[:1], phone_counts)
    # Each process takes the next batch not yet taken (pairs differ in cost: with a half
    # each, one process waited 1.4 s for the other at a million people) and writes its
    # levels straight into their place, in memory both share.
    out = shared_array((len(pairs), len(COMPARISONS)), np.int8)
    taken = turns()
    # Batches enough for both to take some: 230,000 pairs (30,000 people) in one batch
    # of 400,000 left the other process idle, and each batch has a cost of its own
    # (there, 0.19-0.20 s in four, 0.20-0.22 s in eight, 0.21-0.22 s in sixteen).
    batch = max(1, min(batch, -(-len(pairs) // _LEVEL_TURNS)))
    with Child(_levels_child, (f, pairs, phone_counts, batch, out, taken),
               doing="the process comparing pairs", then="nothing was written") as child:
        _levels_in_turns(f, pairs, phone_counts, batch, out, taken)
        child.recv()  # the batches it took are written
    return out


def shared_array(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A zeroed array in memory shared with the processes forked from now on: what one
    of them writes there, this one reads, with no copy sent through a pipe.

    A half of the results sent back as bytes took fresh memory four times over (the
    child's array, its bytes, the bytes received, the copy into place) and three
    copies; at a million people, hundreds of megabytes for the levels and the scores.
    Fresh memory is what a loaded machine is slowest to give. Write it only where no
    other process reads the same part.
    """
    size = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    if not size:
        return np.zeros(shape, dtype=dtype)
    buffer = mmap.mmap(-1, size)  # anonymous and shared (MAP_SHARED)
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


def _levels(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
            batch: int, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        out = np.empty((len(pairs), len(COMPARISONS)), dtype=np.int8)
    for s in range(0, len(pairs), batch):
        out[s:s + batch] = person_levels(f, pairs[s:s + batch], phone_counts)
    return out


def _codes_child(writer: Any, f: PersonFeatures) -> None:
    known = set(f.extra)  # as forked: only what this process adds goes back
    code_columns(f, 1)
    counts = shared_phones(f)
    writer.send(("codes", ({k: v for k, v in f.extra.items() if k not in known}, counts)))


_LEVEL_TURNS = 4  # batches of pairs, at least, that two processes compare in turns


def _levels_in_turns(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
                     batch: int, out: np.ndarray, taken: Any) -> None:
    """:func:`person_levels` of the batches this process takes (see ``turns``)."""
    while (start := next_turn(taken) * batch) < len(pairs):
        out[start:start + batch] = person_levels(f, pairs[start:start + batch], phone_counts)


def _levels_child(writer: Any, f: PersonFeatures, pairs: np.ndarray,
                  phone_counts: dict[str, int], batch: int, out: np.ndarray,
                  taken: Any) -> None:
    _levels_in_turns(f, pairs, phone_counts, batch, out, taken)
    writer.send(("levels", None))


def person_merge_plans(store: Store, merges: list[Merge] | MergesToBuild, batch: int,
                       run_id: str, workers: int = 2, first: Callable[[], None] | None = None,
                       ) -> Iterator[PersonMergeWrite]:
    """Prepared batches of ``merges``, each once, in the order they are ready.

    Merges still to build are built batch by batch by the process preparing the batch:
    choosing golden records and cluster ids then runs on both cores with the rest (at a
    million people, 2.3 s on one before).

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
        # Enough batches to share out: six, or twelve once that leaves each over 4,000
        # merges. A batch's plan is read, built, pickled and written in one piece, and
        # large ones cost more system time in fresh memory (at 200k people, merging took
        # 11.2 s in twelve batches against 12.0 s in six); small ones cost their overhead.
        size = math.ceil(len(merges) / 12)
        batch = min(batch, size if size >= 4000 else math.ceil(len(merges) / 6))
        sizes = _tapering(len(merges), batch)
    else:
        sizes = [batch] * math.ceil(len(merges) / batch)
    starts = list(itertools.accumulate(sizes, initial=0))
    parts = list(itertools.pairwise(starts))
    if not parallel or len(parts) < 2:
        if first is not None:
            first()
        for start, end in parts:
            yield prepare_person_merges(store, merges_between(store, merges, start, end),
                                        run_id)
        return
    taken = turns()
    with Child(_prepare_share, (store, merges, parts, taken, run_id),
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
            k = next_turn(taken)
            if k >= len(parts):
                break
            yield prepare_person_merges(store, merges_between(store, merges, *parts[k]),
                                        run_id)
        while not finished:
            what, payload = child.recv()
            if what == "done":
                finished = True
            else:
                yield payload


def _tapering(count: int, batch: int) -> list[int]:
    """Batch sizes for ``count`` merges: ``batch`` while much is left, then a quarter of
    what is left, never under a tenth of ``batch``.

    The process that writes takes a batch to prepare only when no plan waits to be
    written; once the other process has prepared its last batch, whatever is left (plans
    it sent, the batch this one was preparing) is written with one core idle. Small
    batches at the end keep that short: at a million people, 3 s of writing after the
    other process had finished with batches of 20,000.
    """
    sizes = []
    left = count
    least = max(1, batch // 10)
    while left > 0:
        size = min(batch, max(least, math.ceil(left / 4)))
        if left - size < least:
            size = left  # no batch of a few merges left over
        sizes.append(size)
        left -= size
    return sizes


def _prepare_share(writer: Any, parent: Store, merges: list[Merge] | MergesToBuild,
                   parts: list[tuple[int, int]], taken: Any, run_id: str) -> None:
    """In the forked process: its own read-only connection (never the parent's), the
    parent's settings; plans go out through a thread so preparing never waits on the
    pipe, pickled without the memo (see ``fast_pickle``). An error reaches the writing
    process after the plans already sent (see ``Child``). The company rows people's tags
    read are kept from one batch to the next: merging people writes only their
    ``people_count``, which tags do not read, and at the end."""
    with QueuedSender(writer, depth=2) as sender, Store.reader(parent.path) as store, \
            store.companies_cached():
        store.settings = parent.settings
        store.tag_rule = parent.tag_rule
        store.source_rank = parent.source_rank
        while (k := next_turn(taken)) < len(parts):
            plan = prepare_person_merges(store, merges_between(store, merges, *parts[k]),
                                         run_id)
            sender.send(fast_pickle(("plan", plan)))
    writer.send(("done", None))
