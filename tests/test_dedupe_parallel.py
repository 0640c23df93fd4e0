"""Pairs compared and merges prepared in a second process: the same database as one."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from dedupe import parallel, stage
from dedupe.features import load_people
from prospecting import api
from prospecting.store import Store

from .conftest import imported_people_db, write
from .test_crash import state_of


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    return imported_people_db(tmp_path_factory.mktemp("dedupe-parallel"), 3000, 11)


def _tables(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    clusters = conn.execute(
        "SELECT id, kind, golden_id, members, status, probability, reasons, provenance"
        " FROM clusters ORDER BY id").fetchall()
    log = conn.execute("SELECT cluster_id, action, kind, rows_before FROM merge_log"
                       " ORDER BY cluster_id, action").fetchall()
    hashes = conn.execute("SELECT entity_id, component, input_hash FROM work_log"
                          " WHERE component LIKE 'dedupe:%' ORDER BY 1, 2").fetchall()
    counts = conn.execute("SELECT id, people_count FROM companies ORDER BY id").fetchall()
    conn.close()
    return clusters, log, hashes, counts


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute(sql).fetchall()
    conn.close()
    return rows


def _read_all_before_companies(monkeypatch) -> None:
    """Make the dedupe stage's second process read every person before the companies are
    merged: all its columns then come from before those writes."""
    started: list[parallel.PeopleLoading] = []
    original_start = parallel.PeopleLoading.start.__func__
    original_companies = stage._companies

    def start(cls, *args, **kwargs):
        loading = original_start(cls, *args, **kwargs)
        started.append(loading)
        return loading

    def companies(*args, **kwargs):
        loading = started[-1]
        assert loading is not None
        deadline = time.monotonic() + 30
        # The process takes one more number than there are chunks once it has read them all.
        while loading._taken.value <= len(loading._ranges) and time.monotonic() < deadline:
            time.sleep(0.01)
        return original_companies(*args, **kwargs)

    monkeypatch.setattr(parallel.PeopleLoading, "start", classmethod(start))
    monkeypatch.setattr(stage, "_companies", companies)


@pytest.mark.parametrize("early", [False, True], ids=["any-order", "read-before-companies"])
def test_two_processes_merge_as_one(tmp_path: Path, imported: Path, monkeypatch, early):
    config = write(tmp_path / "p.toml", "[dedupe]\nmerge_batch = 40\n")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    shutil.copy(imported, one)
    shutil.copy(imported, two)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 10**9)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAIRS", 10**9)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PEOPLE", 10**9)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CODES", 10**9)
    first = api.dedupe(one, config=config)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAIRS", 1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PEOPLE", 1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CODES", 1)
    monkeypatch.setattr(parallel, "_LOAD_PART_MIN", 100)
    if early:
        _read_all_before_companies(monkeypatch)
    second = api.dedupe(two, config=config)
    assert first.details["people_merged"] > 100
    # People follow their company's merge: columns read before it are read again.
    assert first.details["companies_merged"] > 10
    assert second.details["people_merged"] == first.details["people_merged"]
    assert state_of(two)[2:] == state_of(one)[2:]
    assert _tables(two) == _tables(one)
    pairs = "SELECT id, a, b, probability, weight, reasons, decision FROM pairs ORDER BY id"
    assert _rows(two, pairs) == _rows(one, pairs)
    # The hashes recorded for golden records are those of the rows as written: a second
    # run finds nothing new.
    with Store(two) as store:
        features = load_people(store)
        stored = dict(store.conn.execute(
            "SELECT entity_id, input_hash FROM work_log WHERE component = 'dedupe:person'"))
    assert all(stored[i] == h for i, h in zip(features.ids, features.hashes, strict=True))
    again = api.dedupe(two, config=config)
    assert again.written == 0
    assert "no new or changed people since the last run" in again.messages


def test_columns_coded_in_two_processes_as_in_one(imported: Path, monkeypatch):
    """Each process codes its share of the columns, the other also counting the shared
    numbers; the codes, vocabularies, counts and levels are those one process builds."""
    from dedupe import blocking
    from dedupe.comparisons import person_levels, shared_phones

    with Store(imported) as store:
        one, two = load_people(store), load_people(store)
    pairs, _ = blocking.person_pairs(one, max_block=60, window=4)
    counts = shared_phones(one)
    expected = person_levels(one, pairs, counts)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CODES", 1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAIRS", 1)
    assert parallel.coded_in_two(two) == counts
    assert counts
    got = parallel.levels_in_two(two, pairs, counts, 500)
    assert np.array_equal(got, expected)
    assert two.extra.pop(parallel._CODED) is True
    assert sorted(two.extra) == sorted(one.extra)
    for key, value in one.extra.items():
        other = two.extra[key]
        if key == "company letters":
            # Built again whenever the vocabulary has grown since: the same as far as
            # the shorter goes, whichever process read it last.
            size = min(len(value[0]), len(other[0]))
            assert all(np.array_equal(x[:size], y[:size]) for x, y in zip(value, other,
                                                                           strict=True))
            continue
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype, key
            assert value.tolist() == other.tolist(), key
        else:
            assert other == value, key


def test_an_error_while_preparing_reaches_the_caller(tmp_path: Path, imported: Path,
                                                     monkeypatch):
    db = tmp_path / "p.db"
    shutil.copy(imported, db)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_MERGES", 1)
    calls = []
    original = parallel.prepare_person_merges

    def failing(store, merges, run_id):
        calls.append(len(merges))
        if len(calls) >= 2:  # each process fails on its second batch
            raise OSError("disk read error")
        return original(store, merges, run_id)

    monkeypatch.setattr(parallel, "prepare_person_merges", failing)
    config = write(tmp_path / "p.toml", "[dedupe]\nmerge_batch = 40\n")
    with pytest.raises(OSError, match="disk read error"):
        api.dedupe(db, config=config)
    import multiprocessing

    assert not multiprocessing.active_children()
    # What was planned and not applied is applied by the next run.
    monkeypatch.setattr(parallel, "prepare_person_merges", original)
    api.dedupe(db, config=config)
    clean = tmp_path / "clean.db"
    shutil.copy(imported, clean)
    api.dedupe(clean, config=config)
    assert state_of(db)[2:] == state_of(clean)[2:]


def test_people_loaded_in_two_halves_as_in_one(imported: Path, monkeypatch):
    import dataclasses

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PEOPLE", 1)
    with Store(imported) as store:
        one = load_people(store)
        two = parallel.load_people_in_two(store, batch=97)
    assert len(one) >= 3000
    for field in dataclasses.fields(one):
        a, b = getattr(one, field.name), getattr(two, field.name)
        if isinstance(a, np.ndarray):
            assert a.shape == b.shape, field.name
            assert (a == b).all(), field.name
        else:
            assert a == b, field.name


def test_an_error_while_loading_reaches_the_caller(tmp_path: Path, imported: Path,
                                                   monkeypatch):
    db = tmp_path / "l.db"
    shutil.copy(imported, db)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PEOPLE", 1)

    def failing(writer, *args):
        raise OSError("disk read error")

    monkeypatch.setattr(parallel, "_load_share", failing)
    with Store(db) as store, pytest.raises(OSError, match="disk read error"):
        parallel.load_people_in_two(store)


def test_company_columns_repointed_after_companies_merge(tmp_path: Path, imported: Path):
    """Columns read before people were pointed at a merged company's golden record, and
    before a company was renamed, become those read afterwards."""
    import dataclasses

    from dedupe.features import (
        _person_columns,
        _person_rows,
        build_person_features,
        company_snapshot,
        patch_company_features,
        repoint_company_columns,
    )

    db = tmp_path / "r.db"
    shutil.copy(imported, db)
    with Store(db) as store:
        conn = store.conn
        cols, shared = _person_columns(_person_rows(store, None, 500))
        features = build_person_features(dict(cols), shared)
        before = company_snapshot(store)
        member, golden, renamed = [r[0] for r in conn.execute(
            "SELECT company_id FROM people WHERE company_id IS NOT NULL"
            " GROUP BY company_id ORDER BY count(*) DESC LIMIT 3")]
        with store.write():  # what merging a company writes to people and companies
            conn.execute("UPDATE companies SET merged_into = ? WHERE id = ?", (golden, member))
            conn.execute("UPDATE people SET company_id = ? WHERE company_id = ?",
                         (golden, member))
            conn.execute("UPDATE companies SET name = 'Renamed Holding SAS', domain ="
                         " 'Renamed.example' WHERE id = ?", (renamed,))
        fresh, fresh_shared = _person_columns(_person_rows(store, None, 500))
        assert fresh["company_id"] != cols["company_id"]
        assert fresh["company_key"] != cols["company_key"]
        changed = repoint_company_columns(cols, shared, before, company_snapshot(store))
        assert cols == fresh
        moved = sum(1 for c in fresh["company_id"] if c in (golden, renamed))
        assert 0 < len(changed) <= moved
        patch_company_features(features, cols, changed)
    expected = build_person_features(fresh, fresh_shared)
    for field in dataclasses.fields(expected):
        a, b = getattr(expected, field.name), getattr(features, field.name)
        if isinstance(a, np.ndarray):
            assert (a == b).all(), field.name


def test_people_read_without_the_join_as_with_it(tmp_path: Path, imported: Path):
    """Companies' names and domains read once per loading give the rows the join gives,
    and are read again once another connection changed a company."""
    from dedupe.features import _PERSON_SQL, CompanyNames, _person_rows

    db = tmp_path / "j.db"
    shutil.copy(imported, db)
    names = CompanyNames()
    with Store(db) as store:
        def join(where: str = "", args: tuple = ()) -> list:
            return store.conn.execute(_PERSON_SQL + where + " ORDER BY p.seq", args).fetchall()

        def both() -> tuple[list, list]:
            plain = [tuple(r) for rows in _person_rows(store, None, 700, names=names)
                     for r in rows]
            return join(), plain

        joined, plain = both()
        assert len(joined) > 1000
        assert plain == joined
        assert any(r[6] and r[7] for r in plain)
        assert not store.conn.in_transaction  # the read transaction is over
        # A range of the table, as the loading processes read it.
        assert [tuple(r) for rows in _person_rows(store, None, 300, (10, 500), names)
                for r in rows] == join(" AND p.seq >= ? AND p.seq < ?", (10, 500))
        company = next(r[6] for r in joined if r[6])
        other = sqlite3.connect(db)
        with other:
            other.execute("UPDATE companies SET name = 'Renamed SAS', domain = 'renamed.example'"
                          " WHERE id = ?", (company,))
            # No company, and a company the table does not hold.
            other.execute("UPDATE people SET company_id = NULL WHERE seq = 3")
            other.execute("UPDATE people SET company_id = 'c_gone' WHERE seq = 4")
        other.close()
        joined, plain = both()
        assert plain == joined
        assert ("Renamed SAS", "renamed.example") in {r[7:9] for r in plain}
        assert {r[6:9] for r in plain} >= {(None, None, None), ("c_gone", None, None)}
        # This connection's own write is seen too.
        with store.write():
            store.conn.execute("UPDATE companies SET name = 'Again SAS' WHERE id = ?",
                               (company,))
        joined, plain = both()
        assert plain == joined
        assert "Again SAS" in {r[7] for r in plain}


def test_blocking_in_two_processes_as_in_one(imported: Path, monkeypatch):
    from dedupe import blocking

    with Store(imported) as store:
        f = load_people(store)
    # A small cap, so that blocks are skipped and reported.
    one, report_one = blocking.person_pairs(f, max_block=4, window=3)
    monkeypatch.setattr(blocking, "PARALLEL_MIN_PEOPLE", 1)
    two, report_two = blocking.person_pairs(f, max_block=4, window=3, workers=2)
    assert len(one) > 1000
    assert np.array_equal(one, two)
    assert report_two == report_one
    assert report_two.messages() == report_one.messages()
    assert any(report_one.skipped_blocks.values())


@pytest.mark.parametrize(("count", "batch"), [(420_069, 20_000), (5_000, 834),
                                             (1_000, 167), (40_001, 40)])
def test_merge_batches_taper_at_the_end(count: int, batch: int):
    """Full batches while much is left, smaller ones at the end (the writing process is
    left alone with less), none under a tenth of a batch but the whole rest."""
    sizes = parallel._tapering(count, batch)
    assert sum(sizes) == count
    assert max(sizes) == batch == sizes[0]
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)
    assert sizes[-2] < batch / 2
    assert all(size >= batch // 10 for size in sizes)


def test_first_golden_records_as_the_general_rule():
    """Two-record clusters of a first run take the written-out rule: the fuller record,
    else the smaller id, as _golden_member picks (ids of other lengths too)."""
    rng = np.random.default_rng(3)
    n = 400
    ids = np.array([f"p_{rng.integers(0, 10**int(rng.integers(1, 4)))}" for _ in range(n)],
                   dtype=object)
    completeness = rng.integers(0, 3, n)
    order = rng.permutation(n)
    clusters = [[int(x), int(y)] for x, y in zip(order[::2], order[1::2], strict=True)]
    clusters += [[int(order[0]), int(order[1]), int(order[2])]]
    probability = {(min(c), max(c)): 0.97 for c in clusters[:-1]}

    class Empty:
        conn = sqlite3.connect(":memory:")

    Empty.conn.execute("CREATE TABLE people (id TEXT, merged_into TEXT)")
    merges = stage._cluster_merges(Empty, "person", clusters, ids, completeness,
                                   probability, {})
    names, full = [str(i) for i in ids.tolist()], completeness.tolist()
    for members, merge in zip(clusters, merges, strict=True):
        golden = stage._golden_member(members, names, stage.Counter(), full)
        assert merge.golden == names[golden]
        assert sorted(merge.others) == sorted(names[i] for i in members if i != golden)
    assert {m.probability for m in merges[:-1]} == {0.97}


def test_pairs_scored_in_two_processes_as_in_one(imported: Path, monkeypatch):
    from dedupe import blocking
    from dedupe.comparisons import person_levels, shared_phones
    from dedupe.model import train

    with Store(imported) as store:
        one, two = load_people(store), load_people(store)
    pairs, _ = blocking.person_pairs(one, max_block=60, window=4)
    levels = person_levels(one, pairs, shared_phones(one))
    model = train(levels, levels[::7], trained_on=len(one))
    settings = stage.DedupeSettings()
    expected = stage.score_pairs(model, one, pairs, levels, settings)
    monkeypatch.setattr(stage, "SCORE_IN_TWO", 1)
    got = stage.score_pairs(model, two, pairs, levels, settings, workers=2)
    assert len(pairs) > 1000
    for a, b in zip(got, expected, strict=True):
        assert a.tolist() == b.tolist()


def test_people_read_by_seq_as_by_id(imported: Path):
    """Merging reads the records by the seq the loading saw; a seq that no longer holds
    that person (erased, the seq given again) or holds nobody counts for nothing, and
    the person is read by id."""
    from dedupe.merge import _people_before

    with Store(imported) as store:
        f = load_people(store)
        ids = [str(x) for x in f.ids[:700].tolist()]
        seqs = dict(zip(ids, f.seqs[:700].tolist(), strict=True))
        assert seqs == dict(store.conn.execute(
            f"SELECT id, seq FROM people WHERE id IN ({', '.join('?' * len(ids))})", ids))
        expected = _people_before(store, ids)
        assert _people_before(store, ids, seqs) == expected
        wrong = dict(seqs)
        wrong[ids[0]], wrong[ids[1]] = seqs[ids[1]], seqs[ids[0]]  # each other's
        wrong[ids[2]] = seqs[ids[3]]  # another's, read twice
        wrong[ids[4]] = 10**12  # nobody's
        assert _people_before(store, ids, wrong) == expected
        assert _people_before(store, [*ids[:5], "p_gone"], wrong) == _people_before(
            store, ids[:5])


def test_a_shared_array_holds_what_a_forked_process_wrote():
    """The second half of the levels and scores is written by a forked process straight
    into memory this one reads: nothing comes back through the pipe."""
    from prospecting.forked import Child

    out = parallel.shared_array((1000, 3), np.int8)
    assert out.shape == (1000, 3)
    assert not out.any()

    def fill(writer, part):
        part[:] = 7
        writer.send(("filled", None))

    with Child(fill, (out[600:],), doing="a test process", then="nothing") as child:
        out[:600] = 1
        assert child.recv() == ("filled", None)
    assert (out[:600] == 1).all()
    assert (out[600:] == 7).all()
    assert parallel.shared_array((0, 3), np.float64).shape == (0, 3)
