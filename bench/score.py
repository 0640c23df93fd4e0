"""Scoring speed: people scored per second, first run and an unchanged re-run.

    python bench/score.py [--rows 100000] [--keep DIR] [--seed 0]

Generates N contacts with ``bench/gen_people.py``, imports them, imports a web-visit
file for about one person in five (one to four visits each over the last 90 days) with
``prospecting signals``, then times, each in a child process (peak memory reported):

* ``prospecting score`` against the example ICP (every verdict written), and
* the same again, same day (nothing changed: every verdict compared, none written).

It prints people/s (wall clock, and per CPU second: on a shared machine the first
depends on the load), and the score process's peak memory. Target: >= 5,000 people per
CPU second on the first run.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/tarifs", "/demo", "/blog/prospection-b2b", "/pricing", "/cas-clients"]


def _cli(*args: str) -> float:
    """Run ``prospecting ARGS`` in a child process; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from prospecting.cli import main; main()", *args],
        check=False, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _visits(people_csv: Path, out: Path, seed: int) -> int:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    written = 0
    with people_csv.open(encoding="utf-8", newline="") as source, out.open(
        "w", encoding="utf-8", newline=""
    ) as target:
        writer = csv.writer(target)
        writer.writerow(["Date", "Email", "Page URL"])
        for row in csv.DictReader(source):
            if not row.get("Email") or rng.random() > 0.2:
                continue
            for _ in range(rng.randint(1, 4)):
                when = now - timedelta(days=rng.uniform(0, 90))
                writer.writerow([when.strftime("%Y-%m-%d %H:%M"), row["Email"],
                                 "https://www.exemple.fr" + rng.choice(PAGES)])
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Folder to keep the files in.")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-score-"))
    folder.mkdir(parents=True, exist_ok=True)
    people_csv, visits_csv, db = folder / "people.csv", folder / "visits.csv", folder / "b.db"
    db.unlink(missing_ok=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_people.py"), str(people_csv),
                    "--rows", str(args.rows), "--seed", str(args.seed)], check=True)
    visits = _visits(people_csv, visits_csv, args.seed)
    icp = ROOT / "data" / "icp.example.toml"
    _cli("init", str(db), "--icp", str(icp))
    seconds = _cli("import", str(db), str(people_csv), "--id-column", "Record ID")
    print(f"import: {args.rows:,} rows in {seconds:.1f}s")
    seconds = _cli("signals", str(db), str(visits_csv), "--kind", "visit")
    print(f"signals: {visits:,} visits in {seconds:.1f}s ({visits / seconds:,.0f} rows/s)")
    import sqlite3

    conn = sqlite3.connect(db)
    people = conn.execute("SELECT count(*) FROM people WHERE merged_into IS NULL").fetchone()[0]
    conn.close()
    code = (
        "import resource, sys, time\nfrom prospecting import api\n"
        "cpu = time.process_time()\napi.score(sys.argv[1], as_of=sys.argv[2])\n"
        "print(time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    as_of = datetime.now(UTC).date().isoformat()
    for label in ("score (first run)", "score (unchanged)"):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, str(db), as_of], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout.split()
        seconds = time.perf_counter() - start
        cpu, peak = float(out[-2]), int(out[-1])
        print(f"{label}: {people:,} people in {seconds:.1f}s = {people / seconds:,.0f} people/s"
              f" ({people / cpu:,.0f} people per CPU second), peak RSS {peak / 1024:.0f} MiB")
    print(f"files in {folder}")


if __name__ == "__main__":
    main()
