"""Fewer cycle collections while a stage streams many records through.

A stage allocates millions of short-lived objects (observations, rows, statements)
and almost no cycles. With the default thresholds a full collection runs every few
thousand records and scans everything alive: modules, reference lists, the phone
metadata, the features of every person being deduplicated. Those were measured at a
fifth to a half of a worker's time.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["fewer_collections"]

THRESHOLDS = (50_000, 50, 100)  # gen0 allocations, then collections of the younger ones


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles less often inside the block; what was alive before is frozen out
    of the scans (a forked process inherits it frozen too)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
