"""Prepare batches of person merges in two processes while one writes them.

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
import os
import sys
import traceback
from collections.abc import Iterator
from typing import Any

from prospecting.errors import StoreError
from prospecting.store import Store

from .merge import Merge, PersonMergeWrite, prepare_person_merges

__all__ = ["PARALLEL_MIN_MERGES", "person_merge_plans"]

# Below this many merges, forking costs more than the second core saves.
PARALLEL_MIN_MERGES = 1000


def person_merge_plans(store: Store, merges: list[Merge], batch: int, run_id: str,
                       workers: int = 2) -> Iterator[PersonMergeWrite]:
    """Prepared batches of ``merges``, in order."""
    parallel = (workers > 1 and len(merges) >= PARALLEL_MIN_MERGES
                and sys.platform.startswith("linux"))
    if parallel:
        # An even number of batches of equal size keeps both processes busy to the end.
        count = 2 * math.ceil(len(merges) / (2 * batch))
        batch = math.ceil(len(merges) / count)
    parts = [merges[s:s + batch] for s in range(0, len(merges), batch)]
    if not parallel or len(parts) < 2:
        for part in parts:
            yield prepare_person_merges(store, part, run_id)
        return
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_prepare_odd, daemon=True,
                            args=(reader, writer, store, parts[1::2], run_id))
    child.start()
    writer.close()
    try:
        for k, part in enumerate(parts):
            if k % 2 == 0:
                yield prepare_person_merges(store, part, run_id)
                continue
            try:
                what, payload = reader.recv()
            except EOFError:
                raise StoreError(
                    f"{store.path}: the process preparing merges stopped unexpectedly "
                    f"(exit {child.exitcode}); re-run dedupe to apply the pending merges"
                ) from None
            if what == "error":
                raise payload
            yield payload
    finally:
        reader.close()
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()


def _prepare_odd(reader: Any, writer: Any, parent: Store, parts: list[list[Merge]],
                 run_id: str) -> None:
    """In the forked process: its own connection (never the parent's), same settings."""
    reader.close()
    try:
        with Store(parent.path, create=False) as store:
            store.settings = parent.settings
            store.tag_rule = parent.tag_rule
            store.source_rank = parent.source_rank
            for part in parts:
                writer.send(("plan", prepare_person_merges(store, part, run_id)))
    except (BrokenPipeError, ConnectionResetError):
        return  # the writing process is gone
    except BaseException as exc:  # handed to the writing process
        try:
            writer.send(("error", exc))
        except Exception:  # the exception itself does not pickle
            try:
                writer.send(("error", RuntimeError("".join(traceback.format_exception(exc)))))
            except OSError:
                os._exit(1)
    finally:
        writer.close()
