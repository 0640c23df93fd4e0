"""kill -9 during dedupe, then re-run: the same dump as one clean run."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prospecting import api

from .conftest import imported_people_db, write
from .test_crash import state_of

DEDUPE = (
    "import sys; from prospecting import api; from dedupe import parallel\n"
    "parallel.PARALLEL_MIN_MERGES = int(sys.argv[3])\n"
    "api.dedupe(sys.argv[1], config=sys.argv[2])\n"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    return imported_people_db(tmp_path_factory.mktemp("dedupe-crash"), 6000, 5)


@pytest.mark.parametrize(("seed", "threshold"), [(1, 10**9), (2, 1)])
def test_killed_dedupe_rerun_converges_to_a_clean_run(tmp_path: Path, imported: Path, seed,
                                                       threshold):
    """Merges prepared in one process (seed 1) or two (seed 2)."""
    # Small merge batches, so a kill lands while many are prepared or written.
    config = write(tmp_path / "p.toml", "[dedupe]\nmerge_batch = 25\n")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    shutil.copy(imported, clean)
    shutil.copy(imported, crashed)
    api.dedupe(clean, config=config)

    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-c", DEDUPE, crashed, config, str(threshold)])
    time.sleep(rng.uniform(1.0, 3.0))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([sys.executable, "-c", DEDUPE, crashed, config, str(threshold)],
                   check=True)

    _, _, people_clean, companies_clean = state_of(clean)
    _, _, people_crashed, companies_crashed = state_of(crashed)
    assert people_crashed == people_clean
    assert companies_crashed == companies_clean
    assert _decisions(crashed) == _decisions(clean)
    assert api.dedupe(crashed, config=config).written == 0
    # The pair indexes a first run builds once its pairs are written exist, killed run
    # or not.
    assert _indexes(crashed) == _indexes(clean) >= {"pairs_a", "pairs_b", "pairs_decision"}


def _clean_run_and_copy(tmp_path: Path, imported: Path, monkeypatch) -> tuple[Path, Path, Path]:
    """A config of small merge batches, a store deduplicated by one clean run in one
    process, and a copy of the imported store to stop a run on."""
    from dedupe import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 10**9)
    config = write(tmp_path / "p.toml", "[dedupe]\nmerge_batch = 200\n")
    clean, stopped = tmp_path / "clean.db", tmp_path / "stopped.db"
    shutil.copy(imported, clean)
    shutil.copy(imported, stopped)
    api.dedupe(clean, config=config)
    return config, clean, stopped


def _stop(*args: object, **kwargs: object) -> None:
    raise RuntimeError("stopped")


def _person_clusters(db: Path) -> list[tuple]:
    return [row for row in _decisions(db)[0] if row[1] == "person"]


def _indexes(db: Path) -> set[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pairs'")}
    finally:
        conn.close()


def _decisions(db: Path) -> tuple[list[tuple], list[tuple]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT id, kind, golden_id, members, status, probability, reasons,"
                             " provenance FROM clusters ORDER BY id").fetchall(),
                conn.execute("SELECT id, a, b, probability, weight, reasons, decision"
                             " FROM pairs ORDER BY id").fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize("stop", ["after-training", "while-merging"])
def test_a_stopped_run_run_again_records_what_a_clean_run_records(tmp_path: Path,
                                                                   imported: Path,
                                                                   monkeypatch, stop):
    """Stopped once the model is stored (the next run scores with the stored one), or
    while the merges are written (nothing of them stays; the next run finds them again
    with the stored model): the same pairs, probabilities, clusters and provenance as
    one clean run."""
    from dedupe import parallel, stage

    config, clean, stopped = _clean_run_and_copy(tmp_path, imported, monkeypatch)

    if stop == "after-training":
        record = stage._record_pairs

        def record_companies_only(store, kind, *args, **kwargs):
            if kind == "person":
                _stop()
            return record(store, kind, *args, **kwargs)

        monkeypatch.setattr(stage, "_record_pairs", record_companies_only)
    else:
        monkeypatch.setattr(stage, "write_person_merges", _stop)
    with pytest.raises(RuntimeError, match="stopped"):
        api.dedupe(stopped, config=config)
    monkeypatch.undo()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 10**9)
    if stop == "while-merging":
        assert not _person_clusters(stopped)  # the merges' transaction left nothing
    report = api.dedupe(stopped, config=config)
    assert not any("model trained" in m for m in report.messages)
    assert _decisions(stopped) == _decisions(clean)
    assert state_of(stopped)[2:] == state_of(clean)[2:]


def test_a_plan_of_person_merges_left_by_an_earlier_version_is_applied_first(
        tmp_path: Path, imported: Path, monkeypatch):
    """Earlier versions planned person merges (pending clusters) before writing them; a
    run killed then left the plan, which the next run applies before anything else:
    every planned cluster merged, with its provenance, and a further run changes
    nothing."""
    import sqlite3

    from dedupe import parallel, stage

    config, clean, stopped = _clean_run_and_copy(tmp_path, imported, monkeypatch)
    planned = _person_clusters(clean)

    monkeypatch.setattr(stage, "write_person_merges", _stop)
    with pytest.raises(RuntimeError, match="stopped"):
        api.dedupe(stopped, config=config)
    monkeypatch.undo()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 10**9)
    conn = sqlite3.connect(stopped)
    with conn:
        conn.executemany(
            "INSERT INTO clusters (id, kind, golden_id, members, status, probability,"
            " reasons, run_id, created_at) VALUES (?, 'person', ?, ?, 'pending', ?, ?,"
            " 'r_older', '2026-01-01T00:00:00+00:00')",
            [row[:1] + row[2:4] + row[5:7] for row in planned])
    conn.close()
    report = api.dedupe(stopped, config=config)
    assert any(f"{len(planned)} person merge(s) left by an interrupted run" in m
               for m in report.messages)
    after = {row[0]: row for row in _person_clusters(stopped)}
    for row in planned:  # merged as planned, provenance written over the plan's row
        assert after[row[0]][:7] == row[:7]
        assert json.loads(after[row[0]][7])["statements"]
    with sqlite3.connect(stopped) as conn:
        assert conn.execute("SELECT count(*) FROM clusters WHERE status = 'pending'"
                            ).fetchone()[0] == 0
    assert api.dedupe(stopped, config=config).written == 0
