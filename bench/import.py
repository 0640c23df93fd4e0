"""Time a people import: rows/s, wall seconds, peak memory, report counts, database size.

    python bench/import.py --rows 1000000 [--keep DIR] [--seed 0] [--dup-rate 0.1]
                           [--no-reference]

The CSV comes from ``bench/gen_people.py``, run as its own process so its memory is not
counted. With ``--keep DIR`` the CSV is cached there (and reused by the next run with the
same rows, seed and dup rate) and the database is left there for inspection; without it
everything lives in a temporary directory that is removed at the end.

The import itself runs in a child process (this script again, with ``--child``) through
the public API::

    import_files(db_path, [csv_path], kind="people", source="bench", id_column="Record ID")

Peak memory is the child's ``ru_maxrss``, read with ``os.wait4`` for that one process,
which is what ``getrusage(RUSAGE_CHILDREN)`` reports when it is the only child; reading it
per process keeps the generator's own peak out of the figure. The figure includes this
parent's small footprint, which a child inherits at exec.

Then, unless ``--no-reference``, sqlite-utils' own bulk insert (``insert_all`` over
``csv.DictReader``, its defaults, into a table with no index) loads the same rows in
another child, and the ratio of the two rates is printed: the issue sets 60,000 rows/s
where that insert reaches about 100,000, so the ratio is what compares across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def _child_env() -> dict[str, str]:
    """Let the child import the project from this checkout even when it is not installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def run_child(db_path: str, csv_path: str) -> int:
    """Inside the child: import, then print one JSON line with the report."""
    from prospecting.api import import_files  # the child is the process being measured

    start = time.perf_counter()
    report = import_files(db_path, [csv_path], kind="people", source="bench", id_column="Record ID")
    wall = time.perf_counter() - start
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    reader = resource.getrusage(resource.RUSAGE_CHILDREN)  # the file reader, if forked
    result = {
        "wall": wall,
        "cpu_writer": me.ru_utime + me.ru_stime,
        "cpu_reader": reader.ru_utime + reader.ru_stime,
        "reader_maxrss": reader.ru_maxrss,
    }
    for name in ("read", "written", "skipped", "quarantined", "seconds"):
        result[name] = getattr(report, name, None)
    print(json.dumps(result))
    return 0


def run_reference(db_path: str, csv_path: str) -> int:
    """Inside a child: sqlite-utils' own bulk insert of the same rows, as its users write it
    (``insert_all`` over ``csv.DictReader``, default settings, no indexes); prints seconds."""
    import csv

    import sqlite_utils

    start = time.perf_counter()
    with open(csv_path, newline="", encoding="utf-8") as handle:
        sqlite_utils.Database(db_path)["rows"].insert_all(csv.DictReader(handle))
    print(json.dumps({"wall": time.perf_counter() - start}))
    return 0


def reference(csv_path: Path, work: Path, rows: int) -> float | None:
    """rows/s of :func:`run_reference` on this machine, in its own process."""
    db_path = work / "reference-sqlite-utils.db"
    db_path.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--reference-child", str(db_path),
             str(csv_path)],
            capture_output=True, text=True, env=_child_env(), check=True,
        )
    finally:
        db_path.unlink(missing_ok=True)
    return rows / max(json.loads(done.stdout.strip().splitlines()[-1])["wall"], 1e-9)


def csv_for(args: argparse.Namespace, work: Path) -> tuple[Path, float | None]:
    """The CSV to import, generated unless a cached copy exists; returns its generation time."""
    name = f"people-{args.rows}-seed{args.seed}-dup{args.dup_rate:g}.csv"
    path = work / name
    if args.keep and path.exists():
        print(f"csv            {path} (cached, {_mb(path.stat().st_size)})")
        return path, None
    partial = path.with_suffix(".csv.partial")
    command = [
        sys.executable,
        str(BENCH / "gen_people.py"),
        str(partial),
        "--rows",
        str(args.rows),
        "--seed",
        str(args.seed),
        "--dup-rate",
        str(args.dup_rate),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    partial.replace(path)  # only a finished file is ever reused
    print(f"csv            {path} ({_mb(path.stat().st_size)})")
    print(
        f"generated      {args.rows:,} rows in {seconds:.1f} s "
        f"({args.rows / max(seconds, 1e-9):,.0f} rows/s, process start included)"
    )
    return path, seconds


def measure(args: argparse.Namespace, work: Path) -> int:
    csv_path, _ = csv_for(args, work)
    db_path = work / f"people-{args.rows}.db"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)

    # The child's stdout goes to a file, not a pipe: nothing to drain while we wait4 it.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(db_path), str(csv_path)],
            stdout=out,
            env=_child_env(),
        )
        _, status, usage = os.wait4(child.pid, 0)
        process_seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
    if child.returncode != 0 or not lines:
        print(f"import failed (exit {child.returncode}); see the traceback above", file=sys.stderr)
        return 1
    result = json.loads(lines[-1])

    read = result["read"] if result["read"] is not None else args.rows
    wall = result["wall"]
    print(
        f"import         {read:,} rows in {wall:.1f} s wall: {read / max(wall, 1e-9):,.0f} "
        f"rows/s ({process_seconds:.1f} s with interpreter start)"
    )
    print(f"peak memory    {_mb(_maxrss_bytes(usage.ru_maxrss))} (ru_maxrss of the import process)"
          + (f", {_mb(_maxrss_bytes(result['reader_maxrss']))} (the process reading the file)"
             if result.get("reader_maxrss") else ""))
    print(f"cpu            {result['cpu_writer']:.1f} s writing, {result['cpu_reader']:.1f} s "
          "reading (0 when the file is read by the writing process)")
    counts = ", ".join(f"{k}={result[k]}" for k in ("read", "written", "skipped", "quarantined"))
    seconds = result["seconds"]
    print(f"report         {counts}, seconds={'?' if seconds is None else format(seconds, '.1f')}")
    if db_path.exists():
        wal = Path(f"{db_path}-wal")
        wal_note = f" + WAL {_mb(wal.stat().st_size)}" if wal.exists() else ""
        print(f"sqlite         {db_path} {_mb(db_path.stat().st_size)}{wal_note}")
    else:
        print(f"sqlite         {db_path} was not created")
    if args.reference:
        # The target (60,000 rows/s) is set where this reaches ~100,000 rows/s:
        # the ratio is the figure that carries over from one machine to another.
        theirs = reference(csv_path, work, read)
        ours = read / max(wall, 1e-9)
        print(f"sqlite-utils   {theirs:,.0f} rows/s for insert_all of the same rows into a bare "
              f"table (ratio {ours / theirs:.2f}; target 0.60 = 60,000 / 100,000)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark a people CSV import.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dup-rate", type=float, default=0.1)
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="cache the CSV and keep the database in DIR"
    )
    parser.add_argument(
        "--no-reference", dest="reference", action="store_false",
        help="skip timing sqlite-utils' insert_all on the same rows",
    )
    parser.add_argument("--child", nargs=2, metavar=("DB", "CSV"), help=argparse.SUPPRESS)
    parser.add_argument("--reference-child", nargs=2, metavar=("DB", "CSV"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(*args.child)
    if args.reference_child:
        return run_reference(*args.reference_child)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return measure(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        return measure(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
