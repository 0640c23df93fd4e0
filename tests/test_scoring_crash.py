"""kill -9 during score, then re-run: the same verdicts as one clean run."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prospecting import api

from .conftest import generated_people_csv

ROOT = Path(__file__).resolve().parents[1]
ICP = ROOT / "data" / "icp.example.toml"
SCORE = (
    "import sys; from prospecting import api\n"
    "api.score(sys.argv[1], as_of='2026-11-30', batch_size=100)\n"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("score-crash")
    people = generated_people_csv(folder / "people.csv", 4000, 7)
    db = folder / "base.db"
    api.init(db, icp=ICP)
    api.import_files(db, [people], source="crm", id_column="Record ID")
    api.enrich(db, offline=True)
    return db


def verdicts(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute(
        "SELECT p.id, p.stage, p.score, p.temperature, s.fit, s.signal, s.total, s.stage,"
        " s.temperature, s.disqualified_reason, s.reasons FROM people AS p"
        " LEFT JOIN scores AS s ON s.person_id = p.id ORDER BY p.id"
    ).fetchall()
    conn.close()
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_score_rerun_converges_to_a_clean_run(tmp_path: Path, imported: Path, seed):
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    shutil.copy(imported, clean)
    shutil.copy(imported, crashed)
    api.score(clean, as_of="2026-11-30")
    rng = random.Random(seed)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-c", SCORE, crashed], cwd=ROOT)
        time.sleep(rng.uniform(0.5, 1.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    subprocess.run([sys.executable, "-c", SCORE, crashed], cwd=ROOT, check=True)
    assert verdicts(crashed) == verdicts(clean)
    assert all(row[1] is not None for row in verdicts(crashed))
    assert api.status(crashed)["runs"][0]["status"] == "done"
