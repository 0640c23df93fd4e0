"""Sequence planning speed: people planned per second, touches written, peak memory.

    python bench/sequence.py [--rows 20000] [--keep DIR] [--seed 0]

Generates N contacts (bench/gen_people.py), imports them, enriches them offline, then
times ``prospecting sequence`` (in a child process, whose peak memory is reported) and a
second run, which must write nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/dns.py would shadow the dnspython package the enrichers import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
PLAN = (
    "import json, sys, time; from prospecting import api\n"
    "t = time.perf_counter(); r = api.sequence(sys.argv[1], start='2026-06-02',"
    " config=sys.argv[2])\n"
    "print(json.dumps({'seconds': time.perf_counter() - t, 'read': r.read,"
    " 'written': r.written, 'details': dict(r.details)}))\n"
)
SETTINGS = """[sequences]
sender_name = "Camille Martin"
sender_company = "Exemple Conseil"
sender_address = "12 rue de l'Exemple, 75002 Paris"
"""


def _generator():
    spec = importlib.util.spec_from_file_location("gen_people", ROOT / "bench" / "gen_people.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _child(args: list[str]) -> tuple[dict, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", PLAN, *args], check=True,
                         capture_output=True, text=True).stdout
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.splitlines()[-1]), max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep", type=Path, help="Keep the files in this folder.")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    from prospecting import api

    with contextlib.ExitStack() as stack:
        folder = options.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, db, config = folder / "people.csv", folder / "bench.db", folder / "p.toml"
        config.write_text(SETTINGS, encoding="utf-8")
        _generator().write_people_csv(csv_path, options.rows, seed=options.seed)
        api.import_files(db, [csv_path], source="crm", id_column="Record ID")
        api.enrich(db, offline=True)
        first, peak = _child([str(db), str(config)])
        second, _ = _child([str(db), str(config)])
        touches = first["details"].get("touches_planned", 0)
        print(f"people read:        {first['read']:,}")
        print(f"members planned:    {first['written']:,}")
        print(f"touches planned:    {touches:,}")
        print(f"first run:          {first['seconds']:.2f} s "
              f"({first['read'] / first['seconds']:,.0f} people/s, "
              f"{touches / first['seconds']:,.0f} touches/s)")
        print(f"peak memory:        {peak:,.0f} MiB")
        print(f"second run:         {second['seconds']:.2f} s, written {second['written']}")
        started = time.perf_counter()
        api.export(db, format="jsonl", out=folder / "dump.jsonl")
        print(f"jsonl dump (steps): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
