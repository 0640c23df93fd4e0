"""kill -9 during dedupe, then re-run: the same dump as one clean run."""

from __future__ import annotations

import importlib.util
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

from .conftest import write
from .test_crash import state_of

ROOT = Path(__file__).resolve().parents[1]
DEDUPE = (
    "import sys; from prospecting import api\n"
    "api.dedupe(sys.argv[1], config=sys.argv[2])\n"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("gen_people", ROOT / "bench" / "gen_people.py")
    if spec is None or spec.loader is None:
        pytest.skip("bench/gen_people.py is not in this checkout")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("dedupe-crash")
    path = folder / "people.csv"
    module.write_people_csv(path, 6000, seed=5)
    db = folder / "imported.db"
    api.import_files(db, [path], source="crm", id_column="Record ID")
    return db


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_dedupe_rerun_converges_to_a_clean_run(tmp_path: Path, imported: Path, seed):
    # Small merge batches, so a kill lands between two of them.
    config = write(tmp_path / "p.toml", "[dedupe]\nmerge_batch = 25\n")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    shutil.copy(imported, clean)
    shutil.copy(imported, crashed)
    api.dedupe(clean, config=config)

    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-c", DEDUPE, crashed, config])
    time.sleep(rng.uniform(1.0, 3.0))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([sys.executable, "-c", DEDUPE, crashed, config], check=True)

    _, _, people_clean, companies_clean = state_of(clean)
    _, _, people_crashed, companies_crashed = state_of(crashed)
    assert people_crashed == people_clean
    assert companies_crashed == companies_clean
    assert api.dedupe(crashed, config=config).written == 0
