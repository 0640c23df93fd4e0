"""kill -9 during a connector run, then re-run: the same database as one clean run (API-5)."""

from __future__ import annotations

import copy
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
from prospecting.connectors.replay import ReplayServer
from tests.conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "recherche_entreprises"
GANYMEDE = json.loads((FIXTURES / "search_q-ganymede_page1.json").read_text("utf-8"))
SOURCE = (
    "import sys; from prospecting import api\n"
    "api.source(sys.argv[1], 'recherche_entreprises', base_url=sys.argv[2],"
    " options={'q': 'ganymede', 'per_page': '5'}, config=sys.argv[3])\n"
)
PAGES = 20


@pytest.fixture(scope="module")
def server():
    """20 pages of 5 distinct companies (real records, renumbered), each answered slowly."""
    with ReplayServer() as srv:
        for page in range(1, PAGES + 1):
            body = copy.deepcopy(GANYMEDE)
            body["results"] = []
            for n in range(5):
                record = copy.deepcopy(GANYMEDE["results"][n])
                record["siren"] = f"{900000000 + page * 10 + n}"
                record["siege"]["siret"] = record["siren"] + "00011"
                body["results"].append(record)
            body.update(total_results=PAGES * 5, per_page=5, page=page, total_pages=PAGES)
            srv.add("/search", body, query={"page": page}, delay_s=0.05)
        yield srv


def state_of(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = sorted(r[0] for r in conn.execute("SELECT id FROM statements"))
        cursors = conn.execute("SELECT query_key, status, fetched >= 100 FROM cursors").fetchall()
        verdicts = conn.execute(
            "SELECT record_id, verdict, reasons FROM icp_verdicts ORDER BY 1").fetchall()
    people = sorted(json.dumps(p, sort_keys=True) for p in dump(db))
    companies = sorted(json.dumps(c, sort_keys=True) for c in dump(db, "--kind", "companies"))
    return ids, cursors, verdicts, people, companies


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_source_rerun_converges_to_a_clean_run(tmp_path: Path, server: ReplayServer,
                                                      seed: int):
    config = write(tmp_path / "p.toml", "[http]\ncache = false\nretries = 1\n"
                                        "requests_per_second = 1000.0\n")
    icp = write(tmp_path / "icp.toml", 'name = "fr"\n[firmographics]\ncountries = ["FR"]\n')
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    for db in (clean, crashed):
        api.init(db, icp=icp, config=config)
    subprocess.run([sys.executable, "-c", SOURCE, clean, server.url, config], check=True)

    rng = random.Random(seed)
    for _ in range(2):  # two kills at random points, then a full run
        proc = subprocess.Popen([sys.executable, "-c", SOURCE, crashed, server.url, config])
        time.sleep(rng.uniform(0.4, 1.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    subprocess.run([sys.executable, "-c", SOURCE, crashed, server.url, config], check=True)

    assert state_of(crashed) == state_of(clean)
    assert len(state_of(clean)[4]) == PAGES * 5
