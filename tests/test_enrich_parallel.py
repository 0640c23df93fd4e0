"""The offline enrich pass, prepared in worker processes, writes what one process writes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from enrichers import pipeline
from prospecting import api

from .conftest import imported_people_db


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    db = imported_people_db(tmp_path_factory.mktemp("parallel"), 700, 11)
    api.dedupe(db)  # golden records and their members take the general path
    return db


def state(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        statements = sorted(r[0] for r in conn.execute("SELECT id FROM statements"))
        tables = []
        for table in ("people", "companies"):
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in columns if c not in ("seq", "updated_at")]
            tables.append(sorted(conn.execute(f"SELECT {', '.join(keep)} FROM {table}")))
        work = sorted(conn.execute(
            "SELECT entity_id, component, version, input_hash FROM work_log"
        ))
        return statements, *tables, work
    finally:
        conn.close()


def enriched(imported: Path, target: Path, monkeypatch, *, parallel: bool) -> tuple:
    shutil.copy(imported, target)
    monkeypatch.setattr(pipeline, "_RANGE", 60)
    monkeypatch.setattr(pipeline, "_COMMIT_RANGES", 2)
    monkeypatch.setattr(pipeline, "_PARALLEL_MIN", 0 if parallel else 10**9)
    monkeypatch.setattr(pipeline, "_WAL_LIMIT", 0)  # restart the WAL after every write
    monkeypatch.setattr(pipeline, "_FINDER_PARALLEL_MIN", 0)
    first = api.enrich(target, offline=True)
    again = api.enrich(target, offline=True)
    assert again.read == 0
    assert again.written == 0
    return first, state(target)


def test_workers_and_one_process_reach_the_same_state(imported, tmp_path, monkeypatch):
    one_report, one = enriched(imported, tmp_path / "one.db", monkeypatch, parallel=False)
    two_report, two = enriched(imported, tmp_path / "two.db", monkeypatch, parallel=True)
    assert one_report.read == two_report.read > 0
    assert one_report.details["emails_guessed"] > 0
    assert one_report.details == two_report.details
    assert one == two


def test_ranges_are_dated_in_the_people_s_order(imported, tmp_path, monkeypatch):
    # Whichever worker prepares a range first, its statements are dated in the order of
    # the people's seq: two members of a golden record tied on everything else are never
    # ordered by which worker was faster (nor by where a stopped run was stopped).
    enriched(imported, tmp_path / "two.db", monkeypatch, parallel=True)
    with sqlite3.connect(tmp_path / "two.db") as conn:
        dates = [at for (at,) in conn.execute(
            "SELECT s.observed_at FROM statements AS s JOIN people AS p ON p.id = s.entity_id"
            " WHERE s.source = 'enrichers' ORDER BY p.seq")]
        guessed = conn.execute("SELECT count(*), count(DISTINCT observed_at) FROM statements"
                               " WHERE source = 'enricher:finder'").fetchone()
    assert len(dates) > 120
    assert dates == sorted(dates)
    assert len(set(dates)) > 2  # one date a range
    # The finder's guesses, prepared by several workers, have the one date they would
    # have in one process.
    assert guessed[0] > 1
    assert guessed[1] == 1


def test_a_range_read_before_another_write_is_done_again(imported, tmp_path, monkeypatch):
    """Another connection committing while a range is prepared: the range is redone."""
    _, reference = enriched(imported, tmp_path / "ref.db", monkeypatch, parallel=False)
    target = tmp_path / "stale.db"
    shutil.copy(imported, target)
    real = pipeline._data_version
    calls = {"n": 0, "redone": 0}

    def moving(store):  # every other look sees a commit by someone else
        calls["n"] += 1
        return real(store) + calls["n"] // 2

    redo = pipeline._redo_range

    def counted(*args, **kwargs):
        calls["redone"] += 1
        return redo(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_data_version", moving)
    monkeypatch.setattr(pipeline, "_redo_range", counted)
    monkeypatch.setattr(pipeline, "_RANGE", 60)
    monkeypatch.setattr(pipeline, "_COMMIT_RANGES", 2)
    monkeypatch.setattr(pipeline, "_PARALLEL_MIN", 10**9)
    api.enrich(target, offline=True)
    assert calls["redone"] > 0
    monkeypatch.setattr(pipeline, "_data_version", real)
    assert api.enrich(target, offline=True).read == 0
    assert state(target) == reference


def test_guesses_after_another_write_are_made_the_usual_way(
    imported, tmp_path, monkeypatch
):
    # Another connection commits while the finder reads what it works from: no worker
    # prepares writes over a state that moved, the finder ranks and writes here.
    _, reference = enriched(imported, tmp_path / "ref.db", monkeypatch, parallel=False)
    target = tmp_path / "stale.db"
    shutil.copy(imported, target)
    real = pipeline._data_version
    finding = {"now": False, "n": 0}
    find = pipeline._find_emails

    def flagged(*args, **kwargs):
        finding["now"] = True
        return find(*args, **kwargs)

    def moving(store):  # while the finder works, someone else commits all the time
        finding["n"] += 1
        return real(store) + (finding["n"] if finding["now"] else 0)

    pooled = pipeline._guesses_on_pool

    def counted(*args, **kwargs):
        finding["pooled"] = True
        return pooled(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_find_emails", flagged)
    monkeypatch.setattr(pipeline, "_guesses_on_pool", counted)
    monkeypatch.setattr(pipeline, "_data_version", moving)
    monkeypatch.setattr(pipeline, "_FINDER_PARALLEL_MIN", 0)
    monkeypatch.setattr(pipeline, "_PARALLEL_MIN", 0)
    report = api.enrich(target, offline=True)
    assert report.details["emails_guessed"] > 0
    assert not finding.get("pooled")
    monkeypatch.setattr(pipeline, "_data_version", real)
    assert api.enrich(target, offline=True).read == 0
    assert state(target) == reference


def test_company_rows_kept_by_a_worker_are_read_again_after_a_commit(imported, tmp_path):
    """A worker keeps the company rows it read from one range to the next while only the
    writing process commits (people, statements, counts); once another connection
    commits, the next range reads them again."""
    from prospecting.store import Store

    target = tmp_path / "kept.db"
    shutil.copy(imported, target)
    conn = sqlite3.connect(target)
    seq, cid = conn.execute(
        "SELECT seq, company_id FROM people WHERE company_id IS NOT NULL"
        " AND merged_into IS NULL ORDER BY seq LIMIT 1"
    ).fetchone()
    writer = Store(target)
    reader = Store.reader(target)
    task = (("enrich.offline",), pipeline._stale_before(30), "run")

    def prepare() -> None:
        version = pipeline._data_version(writer)  # as the writer hands the range out
        pipeline._prepare_range(reader, frozenset(), *task, seq, seq, keep_companies=version)

    try:
        prepare()
        kept = pipeline._KEPT[0]
        name = reader._company_cache[cid]["name"]
        prepare()
        assert pipeline._KEPT[0] is kept  # nothing committed: the same rows
        with writer.write():
            writer.conn.execute("UPDATE companies SET people_count = people_count + 1"
                                " WHERE id = ?", (cid,))
        prepare()
        assert pipeline._KEPT[0] is kept  # the writer's own commit: the same rows
        with conn:
            conn.execute("UPDATE companies SET name = ? WHERE id = ?", (f"{name} bis", cid))
        prepare()
        assert pipeline._KEPT[0] is not kept
        assert reader._company_cache[cid]["name"] == f"{name} bis"
    finally:
        while pipeline._KEPT:
            pipeline._KEPT.pop()[1].close()
        reader.close()
        writer.close()
        conn.close()
