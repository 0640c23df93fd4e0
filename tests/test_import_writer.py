"""How a large import writes: transactions spanning several read chunks, the email index
built after a first load (and after a kill -9 too), people rows finished in the writer."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prospecting import api, importer
from prospecting.models import pending_observations
from prospecting.store import (
    Store,
    _direct_person_row,
    bounce_fact,
    direct_person_entry,
    verdict_fact,
)

from .conftest import generated_people_csv, write
from .test_crash import state_of

# Every file is large enough to be read by a second process and to defer the index;
# the reader hands over chunks of 100 rows, so a transaction of 250 rows spans three.
IMPORT = (
    "import sys; from prospecting import api, importer\n"
    "importer.PARALLEL_MIN_BYTES = importer.DEFER_INDEXES_MIN_BYTES = 0\n"
    "importer.READ_CHUNK_ROWS = 100\n"
    "api.import_files(sys.argv[1], [sys.argv[2]], source='crm', id_column='Record ID',"
    " config=sys.argv[3])\n"
)


@pytest.fixture(scope="module")
def people_csv(tmp_path_factory) -> Path:
    return generated_people_csv(tmp_path_factory.mktemp("writer") / "people.csv", 6000, 5)


@pytest.fixture
def small_thresholds(monkeypatch):
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "DEFER_INDEXES_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "READ_CHUNK_ROWS", 100)


def _indexes(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                              " AND sql IS NOT NULL"))
    marker = conn.execute("SELECT value FROM meta WHERE key = 'deferred_indexes'").fetchone()
    conn.close()
    assert marker is None
    return found


def _config(tmp_path: Path, batch: int) -> Path:
    return write(tmp_path / f"b{batch}.toml", f"[import]\nbatch_size = {batch}\n")


def test_chunks_and_transactions_do_not_change_the_result(tmp_path: Path, people_csv: Path,
                                                          small_thresholds):
    """One transaction per chunk, several chunks per transaction, one process or two,
    the email index kept or built at the end: the same database, the same counts."""
    reference = tmp_path / "reference.db"
    with pytest.MonkeyPatch.context() as patch:  # the way it was: nothing deferred
        patch.setattr(importer, "DEFER_INDEXES_MIN_BYTES", 1 << 62)
        patch.setattr(importer, "READ_CHUNK_ROWS", 10_000)
        first = api.import_files(reference, [people_csv], source="crm", id_column="Record ID",
                                 config=_config(tmp_path, 100))
    for batch in (100, 250, 100_000):
        db = tmp_path / f"b{batch}.db"
        report = api.import_files(db, [people_csv], source="crm", id_column="Record ID",
                                  config=_config(tmp_path, batch))
        assert state_of(db) == state_of(reference)
        assert _indexes(db) == _indexes(reference)
        assert (report.read, report.written, report.details) == (
            first.read, first.written, first.details)
        again = api.import_files(db, [people_csv], source="crm", id_column="Record ID",
                                 config=_config(tmp_path, batch))
        assert again.details.get("statements_added") == 0
        assert state_of(db) == state_of(reference)


def test_the_email_index_is_dropped_only_for_a_first_load(tmp_path: Path, people_csv: Path,
                                                          small_thresholds, monkeypatch):
    dropped = []
    original = Store.defer_indexes

    def recording(self, indexes, run_id):
        names = original(self, indexes, run_id)
        dropped.append(names)
        missing = self.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'people_email'").fetchone()[0]
        assert missing == (0 if names else 1)
        return names

    monkeypatch.setattr(Store, "defer_indexes", recording)
    db = tmp_path / "p.db"
    config = _config(tmp_path, 250)
    api.import_files(db, [people_csv], source="crm", id_column="Record ID", config=config)
    api.import_files(db, [people_csv], source="crm", id_column="Record ID", config=config)
    assert dropped == [["people_email"], []]
    assert "people_email" in _indexes(db)


def test_a_store_opened_after_a_killed_load_builds_the_index(tmp_path: Path):
    db = tmp_path / "p.db"
    Store(db).close()
    # A process that drops the index for its load, then dies without building it.
    subprocess.run([sys.executable, "-c", (
        "import os, sys; from prospecting.store import Store\n"
        "store = Store(sys.argv[1]); run = store.start_run('import', {})\n"
        "assert store.defer_indexes({'people_email': 'people'}, run) == ['people_email']\n"
        "os._exit(9)\n"), str(db)], check=False)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'people_email'"
                        ).fetchone()[0] == 0
    conn.close()
    with Store(db):
        pass
    assert "people_email" in _indexes(db)


def test_a_store_opened_during_a_load_leaves_the_index_to_it(tmp_path: Path):
    db = tmp_path / "p.db"
    loader = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from prospecting.store import Store\n"
        "store = Store(sys.argv[1]); run = store.start_run('import', {})\n"
        "store.defer_indexes({'people_email': 'people'}, run)\n"
        "print('dropped', flush=True); time.sleep(60)\n"), str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert loader.stdout.readline().strip() == "dropped"
        with Store(db) as store:
            assert store.restore_indexes() == []  # the loading process will build it
            assert store.get_meta("deferred_indexes") is not None
    finally:
        loader.kill()
        loader.wait()
    with Store(db):  # the loader is gone: built now
        pass
    assert "people_email" in _indexes(db)


@pytest.mark.parametrize("seed", [11, 12])
def test_killed_load_with_the_index_deferred_converges(tmp_path: Path, people_csv: Path,
                                                       seed, small_thresholds):
    config = _config(tmp_path, 250)
    clean = tmp_path / "clean.db"
    api.import_files(clean, [people_csv], source="crm", id_column="Record ID", config=config)

    crashed = tmp_path / "crashed.db"
    rng = random.Random(seed)
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-c", IMPORT, crashed, people_csv, config])
        time.sleep(rng.uniform(0.5, 2.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    subprocess.run([sys.executable, "-c", IMPORT, crashed, people_csv, config], check=True)

    assert state_of(crashed) == state_of(clean)
    assert _indexes(crashed) == _indexes(clean)
    assert "people_email" in _indexes(crashed)


@pytest.mark.parametrize(
    "facts",
    [
        [("first_name", "Léa"), ("last_name", "Martin"), ("email", "lea@x.example"),
         ("phone", "+33 1 99 00 12 34"), ("title", "CTO"), ("city", "Lyon"),
         ("company_id", "c_1"), ("source_id", "crm:1")],
        [("full_name", "Bob Smith"), ("phone", "not a number"), ("company_id", "c_2")],
        [("first_name", "Ana"), ("linkedin_url", "https://www.linkedin.com/in/ana"),
         ("email", "ana@y.example"), ("extra:Notes", "salon")],
        [("first_name", "Zoé"), ("email", "zoe@suppressed.example"), ("company_id", "c_1")],
        [("last_name", "Nobody")],
        [("first_name", "Marc"), ("phone", "01 99 00 12 34"), ("phone", "06 12 34 56 78"),
         ("email", "marc@x.example"), ("company_id", "c_1")],
        [("first_name", "Inès"), ("phone", "+33 6 12 34 56 78"), ("phone", "+33 6 12 34 56 78"),
         ("title", "DAF")],
        # An Apollo row: its City again from Company City, its Email Status; a bounced
        # address is no channel, so no second one either.
        [("first_name", "Inès"), ("email", "ines@x.example"), ("title", "DAF"),
         ("city", "Lyon"), ("city", "Lyon", 0.7), ("country", "FR"), ("country", "FR", 0.7),
         verdict_fact("ines@x.example", "valid"), ("company_id", "c_1")],
        [("first_name", "Inès"), ("email", "ines@x.example"), ("phone", "06 12 34 56 78"),
         ("city", "Lyon"), bounce_fact("ines@x.example"), ("company_id", "c_1")],
    ],
)
def test_a_finished_direct_entry_equals_the_row_built_in_the_writer(db: Path, facts):
    """The entry the reader builds, finished by the writer, is the row the writer would
    derive from the statement itself: same values, same tag, same suppression."""
    from prospecting.privacy import SuppressionMatcher
    from prospecting.store import _PEOPLE_COLUMNS

    statement = ("csv:crm", "row=2", "2026-01-01T00:00:00+00:00", 0.8, "r1", facts)
    matcher = SuppressionMatcher(emails={"zoe@suppressed.example"})
    with Store(db) as store:
        with store.write():
            store.conn.execute(
                "INSERT INTO companies (id, name, industry, updated_at) VALUES"
                " ('c_1', 'Acme', 'Software', 'now'), ('c_2', NULL, NULL, 'now')")
        pending = {"p_1": [statement]}
        entry = direct_person_entry("p_1", statement, "now")
        assert entry is not None
        finished = store.build_people_rows(["p_1"], pending, matcher=matcher, known=set(),
                                           direct={"p_1": entry})
        # From the statement's observations, and from the row built in the writer.
        general = store.build_people_rows(["p_1"], None, matcher=matcher, known=set(),
                                          observations={"p_1": pending_observations(
                                              "p_1", [statement])})
        plain = store.build_people_rows(["p_1"], pending, matcher=matcher, known=set())
        assert _direct_person_row("p_1", statement, "now") is not None
    [row] = finished.rows
    for other in (general.rows[0], plain.rows[0]):
        values = tuple(other[c] for c in _PEOPLE_COLUMNS)
        assert row[:-1] == values[:-1]  # updated_at aside
    suppressed = ("email", "zoe@suppressed.example") in facts
    assert row[_PEOPLE_COLUMNS.index("suppressed")] == suppressed


@pytest.mark.parametrize("parallel", [False, True])
def test_people_in_one_transaction_see_their_company_rewritten_by_an_earlier_chunk(
    tmp_path: Path, monkeypatch, parallel: bool
):
    # Company rows are read once per transaction for people's tags; a chunk that gives
    # the company firmographics must reach the people of every later chunk.
    monkeypatch.setattr(importer, "READ_CHUNK_ROWS", 2)
    if parallel:
        monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    rows = ["First Name,Last Name,Email,Company,Industry"]
    rows += [f"Ann{i},Lee,ann{i}@acme.example,Acme,," for i in range(3)]
    rows += [f"Bob{i},Ray,bob{i}@acme.example,Acme,Software" for i in range(3)]
    csv_path = write(tmp_path / "people.csv", "\n".join(rows) + "\n")
    config = write(tmp_path / "c.toml", "[import]\nbatch_size = 1000\n")
    db = tmp_path / "p.db"
    api.import_files(db, [csv_path], config=config)
    assert _tags(db) == [(f"Ann{i}", '["enriched"]') for i in range(3)] + [
        (f"Bob{i}", '["enriched"]') for i in range(3)]


def _miscounted(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    found = conn.execute(
        "SELECT id, people_count, (SELECT count(*) FROM people p WHERE p.company_id = c.id"
        " AND p.merged_into IS NULL) AS real FROM companies c WHERE people_count != real"
    ).fetchall()
    conn.close()
    return found


def test_people_counts_match_the_people_table_after_chunked_imports(
    tmp_path: Path, people_csv: Path, monkeypatch
):
    # New people add to their company's count; people seen again, companies rewritten
    # in the middle of a transaction and a second import all keep it exact.
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "READ_CHUNK_ROWS", 100)
    config = write(tmp_path / "c.toml", "[import]\nbatch_size = 250\n")
    db = tmp_path / "p.db"
    api.import_files(db, [people_csv], source="crm", id_column="Record ID", config=config)
    assert _miscounted(db) == []
    api.import_files(db, [people_csv], source="other", config=config)
    assert _miscounted(db) == []


def test_a_person_moving_to_another_company_leaves_one_fewer_at_the_first(tmp_path: Path):
    first = write(tmp_path / "v1.csv", "Record ID,First Name,Last Name,Email,Company\n"
                  "1,Ann,Lee,ann@acme.example,Acme\n2,Bob,Ray,bob@acme.example,Acme\n")
    later = write(tmp_path / "v2.csv", "Record ID,First Name,Last Name,Email,Company\n"
                  "1,Ann,Lee,ann@acme.example,Beta Corp\n")
    db = tmp_path / "p.db"
    api.import_files(db, [first], source="crm", id_column="Record ID")
    api.import_files(db, [later], source="crm", id_column="Record ID")
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT name, people_count FROM companies"))
    conn.close()
    assert counts == {"Acme": 1, "Beta Corp": 1}
    assert _miscounted(db) == []


def test_company_extras_kept_between_transactions_are_dropped_after_another_write(
    tmp_path: Path, monkeypatch
):
    # The tag extras of companies outlive a transaction only while no other connection
    # commits: here one gives Acme an industry between two transactions, and the people
    # written after it count Acme's firmographics.
    monkeypatch.setattr(importer, "READ_CHUNK_ROWS", 2)
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    rows = ["First Name,Last Name,Email,Company"]
    rows += [f"P{i},Lee,p{i}@acme.example,Acme" for i in range(6)]
    csv_path = write(tmp_path / "people.csv", "\n".join(rows) + "\n")
    config = write(tmp_path / "c.toml", "[import]\nbatch_size = 2\n")
    db = tmp_path / "p.db"
    parent = os.getpid()
    commits = []
    original = importer._between_batches

    def between() -> None:
        original()
        if os.getpid() == parent:  # the writing process, after a commit
            commits.append(1)
            if len(commits) == 1:
                other = sqlite3.connect(db)
                other.execute("UPDATE companies SET industry = 'Software' WHERE name = 'Acme'")
                other.commit()
                other.close()

    monkeypatch.setattr(importer, "_between_batches", between)
    api.import_files(db, [csv_path], config=config)
    assert _tags(db) == [("P0", '["non-enriched"]'), ("P1", '["non-enriched"]')] + [
        (f"P{i}", '["enriched"]') for i in range(2, 6)]


def _tags(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    tags = conn.execute("SELECT first_name, tags FROM people ORDER BY first_name").fetchall()
    conn.close()
    return tags
