"""A large file is read in a second process while the first writes: same result as one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prospecting import api, forked, importer
from prospecting.errors import ConfigError

from .conftest import DEMO, generated_people_csv, write
from .test_crash import state_of


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)


def _config(tmp_path: Path, workers: int, batch: int = 300) -> Path:
    return write(tmp_path / f"w{workers}.toml",
                 f"[import]\nworkers = {workers}\nbatch_size = {batch}\n")


def _quarantine(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, source, row, reason, raw FROM quarantine ORDER BY id")
    found = rows.fetchall()
    conn.close()
    return found


def _import(db: Path, files: list[Path], config: Path, **kwargs) -> api.RunReport:
    return api.import_files(db, files, config=config, **kwargs)


@pytest.mark.parametrize("writer_idle", [False, True])
@pytest.mark.parametrize("case", ["generated", "demo", "jsonl", "companies"])
def test_two_processes_give_the_same_database_as_one(tmp_path: Path, always_parallel, case,
                                                      writer_idle, monkeypatch):
    """Whichever process derives the rows of people stated once: the reader, or the
    writer when it waits for the reader (see ``_Batch.prepare``)."""
    monkeypatch.setattr(forked.QueuedSender, "idle", lambda self: writer_idle)
    if case == "generated":
        # Duplicated rows (the generator repeats people) and a second statement per
        # entity inside one batch exercise the paths that compare with what was stated.
        files = [generated_people_csv(tmp_path / "people.csv", 2500, 7)]
        kwargs = {"source": "crm", "id_column": "Record ID"}
    elif case == "demo":
        files = [DEMO / "crm_export.csv", DEMO / "salon_contacts.csv"]
        kwargs = {}
    elif case == "jsonl":
        files = [write(tmp_path / "p.jsonl", "".join(
            f'{{"first_name": "Ana{i}", "email": "ana{i}@x{i % 7}.example",'
            f' "companyName": "Acme {i % 7}"}}\n' + ("{broken\n" if i % 50 == 0 else "")
            for i in range(700)))]
        kwargs = {}
    else:
        files = [write(tmp_path / "c.csv", "Raison sociale,SIREN,Site web,Ville\n" + "".join(
            f"Société {i} SAS,,https://s{i % 400}.example,Lyon\n" for i in range(900))
            + ",,,Paris\n")]
        kwargs = {"kind": "companies"}
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    first = _import(one, files, _config(tmp_path, 1), **kwargs)
    second = _import(two, files, _config(tmp_path, 2), **kwargs)
    for name in ("read", "written", "skipped", "quarantined"):
        assert getattr(second, name) == getattr(first, name)
    assert second.details == first.details
    assert state_of(two) == state_of(one)
    assert _quarantine(two) == _quarantine(one)
    again = _import(two, files, _config(tmp_path, 2), **kwargs)
    assert again.details["statements_added"] == 0
    assert state_of(two) == state_of(one)


def test_one_process_or_two_keep_the_same_value_where_rows_disagree(
        tmp_path: Path, always_parallel):
    """A company many rows name, its name and site spelt three ways: which spelling its
    row keeps follows the chunks they are first read in (the later chunk's, at equal
    confidence, then the greatest), so both ways read the same chunks (with the default
    transaction, unlike the test above). A second spelling from row 1,500 and a third
    from row 2,100: in chunks of 1,000 rows the third is the later; rows 1,001-2,600
    read as one chunk gave the greatest of the two."""
    spellings = [("Menuiserie Mazoyer", "mazoyer.example"),
                 ("Menuiserie Mazoyer et Fils", "www.mazoyer.example"),
                 ("MMF", "https://www.mazoyer.example/en/")]
    rows = "".join(
        f"Ana{i},Lopez{i},ana{i}@mail{i % 13}.example,"
        + ",".join(spellings[0 if i < 1500 else 1 if i < 2100 else 2]) + "\n"
        for i in range(2600))
    files = [write(tmp_path / "p.csv", "first_name,last_name,email,company,website\n" + rows)]
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    config_one = write(tmp_path / "one.toml", "[import]\nworkers = 1\n")
    config_two = write(tmp_path / "two.toml", "[import]\nworkers = 2\n")
    _import(one, files, config_one)
    _import(two, files, config_two)
    assert state_of(two) == state_of(one)
    conn = sqlite3.connect(one)
    assert conn.execute("SELECT name, website FROM companies WHERE domain = 'mazoyer.example'"
                        ).fetchall() == [("MMF", "https://www.mazoyer.example/en/")]
    conn.close()


def test_an_error_in_the_reading_process_reaches_the_caller(tmp_path: Path, always_parallel):
    db = tmp_path / "p.db"
    with pytest.raises(ConfigError, match="no column 'Contact ID'"):
        _import(db, [DEMO / "crm_export.csv"], _config(tmp_path, 2), id_column="Contact ID")
    assert api.status(db)["tables"]["people"] == 0


def test_the_writer_stopping_early_stops_the_reader(tmp_path: Path, always_parallel,
                                                     monkeypatch):
    files = [generated_people_csv(tmp_path / "people.csv", 3000, 2)]
    calls = []

    def failing_flush(store, batch, state, matcher, *rest):
        calls.append(batch.rows)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(store, batch, state, matcher, *rest)

    original = importer._flush
    monkeypatch.setattr(importer, "_flush", failing_flush)
    with pytest.raises(OSError, match="disk full"):
        _import(tmp_path / "p.db", files, _config(tmp_path, 2, batch=200))
    import multiprocessing

    assert not multiprocessing.active_children()


def test_batches_read_before_an_error_in_the_reader_are_all_written_first(
    tmp_path: Path, always_parallel, monkeypatch
):
    # The reader queues batches while the writer works; a failure after three of them
    # still reaches the writer after those three, never in the middle of one.
    files = [generated_people_csv(tmp_path / "people.csv", 3000, 2)]
    original_read = importer._read_batches

    def failing_read(*args, **kwargs):
        for n, batch in enumerate(original_read(*args, **kwargs)):
            if n == 3:
                raise ConfigError("bad row format")
            yield batch

    flushed = []
    original_flush = importer._flush

    def counting_flush(store, batch, state, matcher, *rest):
        flushed.append(batch.rows)
        return original_flush(store, batch, state, matcher, *rest)

    monkeypatch.setattr(importer, "_read_batches", failing_read)
    monkeypatch.setattr(importer, "_flush", counting_flush)
    with pytest.raises(ConfigError, match="bad row format"):
        _import(tmp_path / "p.db", files, _config(tmp_path, 2, batch=200))
    assert flushed == [200, 200, 200]
