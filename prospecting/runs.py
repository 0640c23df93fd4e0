"""What a stage reports, and the bookkeeping every stage shares.

Each command opens a ``runs`` row, does its work in committed batches, and closes the
row with its counts. A row left ``running`` by a killed process is marked
``interrupted`` by the next run, which carries on: stages are idempotent, so
re-running finishes the job without doubling anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .store import Store

__all__ = ["Progress", "RunReport", "stage_run"]

# A progress callback receives the number of items done so far (and the total when
# known). The API never draws anything; the CLI turns this into a bar.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RunReport:
    """The outcome of one command, as the CLI prints it and ``status`` lists it."""

    stage: str
    run_id: str
    read: int = 0
    written: int = 0
    skipped: int = 0
    quarantined: int = 0
    seconds: float = 0.0
    details: Mapping[str, Any] = field(default_factory=dict)
    messages: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when everything was used, 1 when some input went to quarantine."""
        return 1 if self.quarantined else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "run_id": self.run_id,
            "read": self.read,
            "written": self.written,
            "skipped": self.skipped,
            "quarantined": self.quarantined,
            "seconds": round(self.seconds, 3),
            "details": dict(self.details),
            "messages": list(self.messages),
        }


@dataclass
class RunState:
    """Counts a stage fills in while it works."""

    run_id: str
    counts: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def add(self, key: str, amount: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + amount

    def report(self, stage: str) -> RunReport:
        c = self.counts
        core = {"read", "written", "skipped", "quarantined"}
        return RunReport(
            stage=stage,
            run_id=self.run_id,
            read=c.get("read", 0),
            written=c.get("written", 0),
            skipped=c.get("skipped", 0),
            quarantined=c.get("quarantined", 0),
            seconds=time.perf_counter() - self.started,
            details={k: v for k, v in c.items() if k not in core},
            messages=tuple(self.messages),
        )


@contextmanager
def stage_run(store: Store, command: str, options: Mapping[str, Any]) -> Iterator[RunState]:
    """Open a run, hand its state to the stage, and close it as done or failed.

    On an exception the run is closed ``failed`` with the error, and what earlier
    batches committed stays: re-running the command resumes.
    """
    state = RunState(store.start_run(command, options))
    try:
        yield state
    except BaseException as exc:
        counts = dict(state.counts)
        counts["seconds"] = round(time.perf_counter() - state.started, 3)
        store.finish_run(state.run_id, counts, status="failed", error=f"{type(exc).__name__}")
        raise
    counts = dict(state.counts)
    counts["seconds"] = round(time.perf_counter() - state.started, 3)
    store.finish_run(state.run_id, counts)
