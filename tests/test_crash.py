"""kill -9 at random points during an import, then re-run: same database as a clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prospecting import api

from .conftest import dump, generated_people_csv, write

IMPORT = (
    "import sys; from prospecting import api, importer\n"
    "importer.PARALLEL_MIN_BYTES = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 20\n"
    "api.import_files(sys.argv[1], [sys.argv[2]], source='crm', id_column='Record ID',"
    " config=sys.argv[3])\n"
)


@pytest.fixture(scope="module")
def people_csv(tmp_path_factory) -> Path:
    return generated_people_csv(tmp_path_factory.mktemp("crash") / "people.csv", 6000, 3)


def state_of(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    statements = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    ids = sorted(r[0] for r in conn.execute("SELECT id FROM statements"))
    conn.close()
    people = sorted(json.dumps(p, sort_keys=True) for p in dump(db))
    companies = sorted(json.dumps(c, sort_keys=True) for c in dump(db, "--kind", "companies"))
    return statements, ids, people, companies


@pytest.mark.parametrize(("seed", "threshold"), [(1, 1 << 40), (2, 0), (3, 0)])
def test_killed_import_rerun_converges_to_a_clean_run(tmp_path: Path, people_csv: Path, seed,
                                                       threshold):
    """One process (seed 1), or a reading process and a writing one (seeds 2, 3)."""
    config = write(tmp_path / "p.toml", "[import]\nbatch_size = 250\n")
    clean = tmp_path / "clean.db"
    api.import_files(clean, [people_csv], source="crm", id_column="Record ID", config=config)

    crashed = tmp_path / "crashed.db"
    rng = random.Random(seed)
    for _ in range(2):  # two kills at random points, then a full run
        proc = subprocess.Popen(
            [sys.executable, "-c", IMPORT, crashed, people_csv, config, str(threshold)])
        time.sleep(rng.uniform(0.3, 1.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    subprocess.run([sys.executable, "-c", IMPORT, crashed, people_csv, config, str(threshold)],
                   check=True)

    assert state_of(crashed) == state_of(clean)
    runs = api.status(crashed)["runs"]
    assert runs[0]["status"] == "done"


ENRICH = "import sys; from prospecting import api\napi.enrich(sys.argv[1], offline=True)\n"


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    """Running, not gone nor a zombie nobody reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes: Linux")
def test_a_killed_enrich_leaves_no_worker_behind(tmp_path: Path, people_csv: Path):
    """Its worker processes end with it, instead of waiting forever for more work (and
    holding the file, memory and whatever pipe they inherited)."""
    db = tmp_path / "workers.db"
    api.import_files(db, [people_csv], source="crm", id_column="Record ID")
    proc = subprocess.Popen([sys.executable, "-c", ENRICH, db])
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _children(proc.pid)
    assert workers, "the offline pass started no worker"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)


@pytest.mark.parametrize("seed", [4, 5])
def test_killed_enrich_rerun_converges_to_a_clean_run(tmp_path: Path, people_csv: Path, seed):
    import shutil

    imported = tmp_path / "imported.db"
    api.import_files(imported, [people_csv], source="crm", id_column="Record ID")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    shutil.copy(imported, clean)
    shutil.copy(imported, crashed)
    api.enrich(clean, offline=True)

    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-c", ENRICH, crashed])
    time.sleep(rng.uniform(0.5, 2.0))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([sys.executable, "-c", ENRICH, crashed], check=True)

    _, _, people_clean, companies_clean = state_of(clean)
    _, _, people_crashed, companies_crashed = state_of(crashed)
    assert people_crashed == people_clean
    assert companies_crashed == companies_clean
    assert api.enrich(crashed, offline=True).read == 0
