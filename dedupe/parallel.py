"""Use the second core: comparison levels of candidate pairs, and person merges.

Levels: the pairs are split in two halves, a forked process computes the second while
this one computes the first (the features are shared by the fork, the levels come back
as bytes).

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

import contextlib
import math
import multiprocessing
import os
import queue
import sys
import threading
import traceback
from collections.abc import Iterator
from typing import Any

import numpy as np

from prospecting.errors import StoreError
from prospecting.store import Store

from .comparisons import COMPARISONS, person_levels
from .features import PersonFeatures
from .merge import Merge, PersonMergeWrite, prepare_person_merges

__all__ = ["PARALLEL_MIN_MERGES", "PARALLEL_MIN_PAIRS", "levels_in_two", "person_merge_plans"]

# Below these sizes, forking costs more than the second core saves.
PARALLEL_MIN_MERGES = 1000
PARALLEL_MIN_PAIRS = 50_000


def levels_in_two(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
                  batch: int) -> np.ndarray:
    """:func:`person_levels` of every pair, in batches, half of them in a forked process."""
    if len(pairs) < PARALLEL_MIN_PAIRS or not sys.platform.startswith("linux"):
        return _levels(f, pairs, phone_counts, batch)
    # The per-record columns person_levels caches on ``f`` are built once, here, so the
    # forked process inherits them instead of building its own.
    person_levels(f, pairs[:1], phone_counts)
    half = len(pairs) // 2
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_levels_child, daemon=True,
                            args=(reader, writer, f, pairs[half:], phone_counts, batch))
    child.start()
    writer.close()
    try:
        first = _levels(f, pairs[:half], phone_counts, batch)
        try:
            what, payload = reader.recv()
        except EOFError:
            raise StoreError(f"the process comparing pairs stopped unexpectedly (exit "
                             f"{child.exitcode})") from None
        if what == "error":
            raise payload
        second = np.frombuffer(payload, dtype=first.dtype).reshape(-1, first.shape[1])
        return np.concatenate([first, second])
    finally:
        reader.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def _levels(f: PersonFeatures, pairs: np.ndarray, phone_counts: dict[str, int],
            batch: int) -> np.ndarray:
    parts = [person_levels(f, pairs[s:s + batch], phone_counts)
             for s in range(0, len(pairs), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, len(COMPARISONS)), dtype=np.int8)


def _levels_child(reader: Any, writer: Any, f: PersonFeatures, pairs: np.ndarray,
                  phone_counts: dict[str, int], batch: int) -> None:
    reader.close()
    try:
        writer.send(("levels", _levels(f, pairs, phone_counts, batch).tobytes()))
    except (BrokenPipeError, ConnectionResetError):
        return
    except BaseException as exc:  # handed to the parent
        try:
            writer.send(("error", exc))
        except Exception:  # the exception itself does not pickle
            try:
                writer.send(("error", RuntimeError("".join(traceback.format_exception(exc)))))
            except OSError:
                os._exit(1)
    finally:
        writer.close()


def person_merge_plans(store: Store, merges: list[Merge], batch: int, run_id: str,
                       workers: int = 2) -> Iterator[PersonMergeWrite]:
    """Prepared batches of ``merges``, each once, in the order they are ready.

    With two processes, each takes the next batch not yet taken (a shared counter) until
    none is left: whichever is faster (this one also writes) prepares more. The other
    process hands its plans to a sending thread, so it goes on preparing while this one
    has not read them yet.
    """
    parallel = (workers > 1 and len(merges) >= PARALLEL_MIN_MERGES
                and sys.platform.startswith("linux"))
    if parallel:
        batch = min(batch, math.ceil(len(merges) / 6))  # enough batches to share out
    parts = [merges[s:s + batch] for s in range(0, len(merges), batch)]
    if not parallel or len(parts) < 2:
        for part in parts:
            yield prepare_person_merges(store, part, run_id)
        return
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_prepare_share, daemon=True,
                            args=(reader, writer, store, parts, taken, run_id))
    child.start()
    writer.close()

    def received() -> tuple[str, Any]:
        try:
            what, payload = reader.recv()
        except EOFError:
            raise StoreError(
                f"{store.path}: the process preparing merges stopped unexpectedly "
                f"(exit {child.exitcode}); re-run dedupe to apply the pending merges"
            ) from None
        if what == "error":
            raise payload
        return what, payload

    try:
        finished = False
        while True:
            while not finished and reader.poll():
                what, payload = received()
                if what == "done":
                    finished = True
                else:
                    yield payload
            k = _take(taken)
            if k >= len(parts):
                break
            yield prepare_person_merges(store, parts[k], run_id)
        while not finished:
            what, payload = received()
            if what == "done":
                finished = True
            else:
                yield payload
    finally:
        reader.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def _take(taken: Any) -> int:
    with taken.get_lock():
        k = taken.value
        taken.value = k + 1
    return k


def _prepare_share(reader: Any, writer: Any, parent: Store, parts: list[list[Merge]],
                   taken: Any, run_id: str) -> None:
    """In the forked process: its own read-only connection (never the parent's), the
    parent's settings; plans go out through a thread so preparing never waits on the
    pipe."""
    reader.close()
    outbox: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=2)
    gone = threading.Event()

    def send() -> None:
        while (item := outbox.get()) is not None:
            try:
                writer.send(item)
            except (BrokenPipeError, ConnectionResetError):
                gone.set()  # the writing process is gone
                return
            except Exception as exc:  # the exception itself does not pickle
                with contextlib.suppress(OSError):
                    writer.send(("error", RuntimeError(
                        "".join(traceback.format_exception(exc)))))
                gone.set()
                return

    sender = threading.Thread(target=send, daemon=True)
    sender.start()

    def post(item: tuple[str, Any]) -> None:
        while not gone.is_set():
            try:
                outbox.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    try:
        with Store.reader(parent.path) as store:
            store.settings = parent.settings
            store.tag_rule = parent.tag_rule
            store.source_rank = parent.source_rank
            while not gone.is_set() and (k := _take(taken)) < len(parts):
                post(("plan", prepare_person_merges(store, parts[k], run_id)))
        post(("done", None))
    except BaseException as exc:  # handed to the writing process
        post(("error", exc))
    finally:
        if not gone.is_set():
            outbox.put(None)
            sender.join()
        writer.close()
        if gone.is_set():
            os._exit(1)
