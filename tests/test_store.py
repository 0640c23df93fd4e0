"""The store: schema, migrations, transactions and the views derived from statements."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from prospecting.errors import StoreError
from prospecting.migrations import SCHEMA_VERSION
from prospecting.models import Observation, canonical_value, make_id, pick_best, pick_ranked
from prospecting.store import Store, bounce_fact, verdict_fact


def test_new_file_is_created_in_wal_mode_and_migrated(db: Path):
    with Store(db) as store:
        mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        tables = set(store.db.table_names())
        views = set(store.db.view_names())
    assert mode == "wal"
    assert version == SCHEMA_VERSION
    assert {"people", "companies", "statements", "runs", "quarantine", "suppressions"} <= tables
    assert "observations" in views


def test_reopening_applies_nothing_twice(db: Path):
    Store(db).close()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_not_a_database_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a text file, not SQLite\n" * 10)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(path)


def test_newer_schema_is_refused(db: Path):
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(db)


def test_missing_folder_is_named(tmp_path: Path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "x.db")


def test_write_rolls_back_on_error(db: Path):
    with Store(db) as store:
        def failing_write() -> None:
            with store.write():
                store.conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            failing_write()
        assert store.get_meta("a") is None


def test_second_writer_waits_instead_of_failing(db: Path):
    """BEGIN IMMEDIATE + busy timeout: a writer holding the lock briefly delays, not fails."""
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3,sys,time\n"
         f"c=sqlite3.connect({str(db)!r}, isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
         "sys.stdin.readline(); c.execute('COMMIT')\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with Store(db) as store:
        import threading

        threading.Timer(0.5, lambda: (holder.stdin.write("\n"), holder.stdin.flush())).start()
        store.set_meta("k", "v")  # waits for the holder's commit
        assert store.get_meta("k") == "v"
    holder.wait(timeout=10)


def test_a_nested_write_is_a_savepoint(db: Path):
    with Store(db) as store:
        with store.write():
            store.set_meta("outer", "1")

            def inner() -> None:
                with store.write():
                    store.set_meta("inner", "1")
                    raise RuntimeError("undo the inner block only")

            with pytest.raises(RuntimeError):
                inner()
            with store.write():
                store.set_meta("kept", "1")
        assert store.get_meta("outer") == "1"
        assert store.get_meta("inner") is None
        assert store.get_meta("kept") == "1"
        assert not store.conn.in_transaction


def test_a_page_cache_grows_for_its_block_only(db: Path):
    with Store(db) as store:
        size = store.conn.execute("PRAGMA cache_size").fetchone()[0]
        with store.write(), store.page_cache(512):
            assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -512 * 1024
            store.set_meta("inside", "1")
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == size
        with store.page_cache(1):  # never smaller than it is
            assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == size
        assert store.get_meta("inside") == "1"


def test_a_checkpoint_behind_copies_the_log_after_the_block(db: Path):
    """Commits in the block leave the write-ahead log as it is; a thread copies it into
    the database file afterwards, and closing the store waits for it."""
    from prospecting.store import wait_for_checkpoints

    wal = Path(str(db) + "-wal")
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        with store.checkpoint_behind():
            with store.write():
                store.conn.execute("CREATE TABLE filler (x TEXT)")
                # Over a thousand pages: a plain commit would copy them itself.
                store.conn.executemany("INSERT INTO filler VALUES (?)",
                                       [("x" * 2000,) for _ in range(12_000)])
            assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            assert db.stat().st_size == size  # still all in the log
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 0
        wait_for_checkpoints()
        assert db.stat().st_size > size + 12_000 * 2000
        assert wal.exists()
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM filler").fetchone()[0] == 12_000


def test_statements_are_idempotent_and_exploded_into_observations(db: Path):
    from prospecting.models import statement_id

    with Store(db) as store:
        facts = '[["first_name", "Zoé"], ["email", "zoe@lumenia.example", 0.7]]'
        row = (statement_id("p_1", "csv:x", facts), "p_1", "csv:x", "row=2",
               "2026-01-01T00:00:00+00:00", 0.8, "r1", facts)
        with store.write():
            assert store.add_statements([row]) == 1
            assert store.add_statements([row]) == 0
        observed = store.conn.execute(
            "SELECT field, value, confidence FROM observations ORDER BY field").fetchall()
    assert observed == [("email", "zoe@lumenia.example", 0.7), ("first_name", "Zoé", 0.8)]


def test_packed_statement_facts_keep_their_own_source(db: Path):
    """Several sources' new facts about one entity, stated together, make one row whose
    facts name their source; read back, and restated, each is its source's."""
    items = [
        ("p_1", "enricher:titles", None, "2026-01-01T00:00:00+00:00", 0.95, "r1",
         [("seniority", "vp", 0.9), ("department", "sales", 0.9)]),
        ("p_1", "enricher:names", None, "2026-01-01T00:00:00+00:00", 0.95, "r1",
         [("full_name", "Zoé Martin")]),
        ("p_2", "enricher:names", None, "2026-01-01T00:00:00+00:00", 0.95, "r1",
         [("full_name", "Jean Dupont", 0.85)]),
    ]
    with Store(db) as store:
        with store.write():
            stated = store.state_facts(items, pack=True)
        rows = store.conn.execute(
            "SELECT entity_id, source, facts FROM statements ORDER BY entity_id").fetchall()
        observed = store.conn.execute(
            "SELECT entity_id, field, value, source, confidence FROM observations"
            " ORDER BY entity_id, field").fetchall()
        exploded = store.observations_for(["p_1"])["p_1"]
        with store.write():
            # (as for people with a row, whose statements are compared with these)
            again = store.state_facts(items, pack=True, known={"p_1", "p_2"})
            changed = [(*items[0][:6], [("seniority", "vp", 0.9), ("department", "hr", 0.9)])]
            third = store.state_facts(changed, pack=True, known={"p_1"})
        last = store.conn.execute(
            "SELECT source, facts FROM statements ORDER BY seq DESC LIMIT 1").fetchone()
    assert stated.added == 2
    assert stated.changed == {"p_1", "p_2"}
    assert [(r[0], r[1]) for r in rows] == [("p_1", "enrichers"), ("p_2", "enricher:names")]
    assert json.loads(rows[0][2]) == [
        ["seniority", "vp", 0.9, "enricher:titles"],
        ["department", "sales", 0.9, "enricher:titles"],
        ["full_name", "Zoé Martin", 0.95, "enricher:names"],
    ]
    assert observed == [
        ("p_1", "department", "sales", "enricher:titles", 0.9),
        ("p_1", "full_name", "Zoé Martin", "enricher:names", 0.95),
        ("p_1", "seniority", "vp", "enricher:titles", 0.9),
        ("p_2", "full_name", "Jean Dupont", "enricher:names", 0.85),
    ]
    assert {(o.field, o.source) for o in exploded} == {
        ("seniority", "enricher:titles"), ("department", "enricher:titles"),
        ("full_name", "enricher:names"),
    }
    # Restating writes nothing; a new fact alone is its source's own statement.
    assert again.added == 0
    assert again.changed == set()
    assert third.added == 1
    assert last == ("enricher:titles", '[["department", "hr", 0.9]]')


def obs(field, value, *, conf=0.8, at="2026-01-01", source="csv:a"):
    return Observation("p_1", field, value, source, at, conf, "r")


def test_pick_best_prefers_confidence_then_recency_then_source():
    assert pick_best([obs("title", "CEO", conf=0.5), obs("title", "PDG", conf=0.9)]) == {
        "title": "PDG"}
    assert pick_best([obs("title", "Old", at="2025-01-01"), obs("title", "New")]) == {
        "title": "New"}
    ranked = {"crawl": 1, "csv": 2}
    both = [obs("title", "A", source="csv:x"), obs("title", "B", source="crawl:y")]
    assert pick_best(both, ranked) == {"title": "B"}
    assert pick_best(list(reversed(both)), ranked) == {"title": "B"}


def test_pick_ranked_merges_spellings_and_keeps_sources():
    values = pick_ranked(
        [obs("email", "A@x.example", source="csv:a"), obs("email", "a@x.example ",
                                                          source="csv:b")],
        "email",
    )
    assert len(values) == 1
    assert values[0][1] == ["csv:a", "csv:b"]


def test_make_id_ignores_case_and_spacing():
    assert make_id("company", "domain:ACME.example ") == make_id("company", "domain:acme.example")
    assert make_id("company", "x").startswith("c_")
    assert canonical_value("  Jean   DUPONT ") == "jean dupont"


@pytest.mark.parametrize(
    "facts",
    [
        [("first_name", "Zoé"), ("last_name", "Martin"), ("email", "zoe@lumenia.example"),
         ("phone", "+33 1 99 00 12 34"), ("source_id", "crm:7"), ("extra:Notes", "vu au salon"),
         ("extra:Stage", "Lead"), ("company_id", "c_1"), ("country", "FR")],
        [("full_name", "Bob Smith"), ("phone", "020 7946 0123")],
        [("first_name", "Ana"), ("email", "a@x.example")],
        [("linkedin_url", "https://www.linkedin.com/in/ana")],
        # Several addresses and numbers: a CRM's phone and mobile columns, a second
        # address at a lower confidence, one number written twice.
        [("first_name", "Léa"), ("email", "lea@lumenia.example"),
         ("email", "lea.perso@gmail.com", 0.7), ("phone", "01 99 00 12 34"),
         ("phone", "+33 6 12 34 56 78"), ("source_id", "crm:8")],
        [("full_name", "Bob Smith"), ("email", "bob@gmail.com"),
         ("email", "bob@smith.example", 0.7)],
        [("last_name", "Ito"), ("phone", "+81 3-1234-5678"), ("phone", "+81 3 1234 5678"),
         ("phone", "not a number")],
        # A file's City and Company City columns, an extra column twice.
        [("first_name", "Léa"), ("city", "Lyon"), ("country", "FR"), ("city", "Lyon", 0.7),
         ("country", "FR", 0.7), ("extra:Stage", "Lead"), ("extra:Stage", "Lead"),
         ("email", "lea@x.example")],
        # What the source's verification said (Apollo's Email Status), a bounce, a
        # verdict on an address the row does not give.
        [("first_name", "Léa"), ("email", "Lea@x.example"),
         verdict_fact("lea@x.example", "valid"), ("city", "Lyon"), ("city", "Lyon", 0.7)],
        [("first_name", "Léa"), ("email", "lea@x.example"), ("phone", "+33 6 12 34 56 78"),
         bounce_fact("lea@x.example")],
        [("first_name", "Léa"), ("email", "lea@x.example"),
         verdict_fact("other@x.example", "invalid")],
        [("first_name", "Léa"), ("email", "lea@x.example"), ("email", "l@y.example", 0.7),
         verdict_fact("l@y.example", "risky", ("catch_all",))],
    ],
)
def test_direct_and_general_derivations_agree(db: Path, facts):
    from prospecting.models import pending_observations
    from prospecting.store import _direct_person_row

    statement = ("csv:crm", "row=2", "2026-01-01T00:00:00+00:00", 0.8, "r1", facts)
    with Store(db) as store:
        direct = _direct_person_row("p_1", statement, "now")
        general = store._person_row("p_1", pending_observations("p_1", [statement]), "now")
    assert direct is not None
    for key in general:
        if key in ("emails", "phones", "extra", "source_ids", "sources"):
            assert json.loads(direct[key]) == json.loads(general[key]), key
        else:
            assert direct[key] == general[key], key


def test_direct_derivation_declines_repeated_fields():
    from prospecting.store import _direct_person_row, direct_person_entry

    statement = ("csv:a", None, "t", 0.8, "r", [("title", "CTO"), ("title", "CEO")])
    assert _direct_person_row("p_1", statement, "now") is None
    # Twice the same value is the row's value either way.
    same = ("csv:a", None, "t", 0.8, "r", [("title", "CTO"), ("title", "CTO", 0.7)])
    assert _direct_person_row("p_1", same, "now")["title"] == "CTO"
    # A second address: the writer's suppression check of a slim entry reads one.
    two = ("csv:a", None, "t", 0.8, "r", [("email", "a@x.example"), ("email", "b@x.example", 0.7)])
    assert _direct_person_row("p_1", two, "now") is not None
    assert direct_person_entry("p_1", two, "now") is None


@pytest.mark.parametrize(
    "facts",
    [
        [("name", "Lumenia SAS"), ("domain", "lumenia.example"), ("website", "https://lumenia.example"),
         ("siren", "732829320"), ("naf", "62.01Z"), ("phone", "+33 1 99 00 12 34"),
         ("country", "FR")],
        [("legal_name", "Kerlann SARL")],
        [("name", "Acme Ltd"), ("email", "hello@acme.example")],
    ],
)
def test_direct_and_general_company_derivations_agree(db: Path, facts):
    from prospecting.models import pending_observations
    from prospecting.store import _COMPANY_COLUMNS, _direct_company_row

    statement = ("csv:crm", "row=2", "2026-01-01T00:00:00+00:00", 0.8, "r1", facts)
    with Store(db) as store:
        direct = dict(zip(_COMPANY_COLUMNS, _direct_company_row("c_1", statement, "now"),
                          strict=True))
        general = dict(zip(_COMPANY_COLUMNS, store._company_row(
            "c_1", pending_observations("c_1", [statement]), 0, "now"), strict=True))
    for key, value in general.items():
        if key in ("legal_ids", "emails", "phones", "extra", "source_ids", "sources"):
            assert json.loads(direct[key]) == json.loads(value), key
        else:
            assert direct[key] == value, key


def test_source_priority_breaks_ties_from_config(tmp_path: Path):
    from prospecting import api

    from .conftest import dump, write

    db = tmp_path / "p.db"
    write(tmp_path / "a.csv", "Record ID,First Name,Job Title\n1,Ana,CEO\n")
    write(tmp_path / "b.csv", "Record ID,First Name,Job Title\n1,Ana,Founder\n")
    config = write(tmp_path / "p.toml", '[enrichers]\nsource_priority = ["csv:crm", "csv"]\n')
    # Same person (same lineage source "crm" for both files), same confidence.
    api.import_files(db, [tmp_path / "a.csv"], source="crm", id_column="Record ID")
    api.import_files(db, [tmp_path / "b.csv"], source="crm", id_column="Record ID")
    assert dump(db)[0]["title"] == "Founder"  # the newer statement wins
    with Store(db) as store:
        from prospecting.settings import load_settings

        store.apply_settings(load_settings(config))
        assert store.source_rank == {"csv:crm": 0, "csv": 1}


def test_bad_source_priority_is_refused(tmp_path: Path, run):
    from .conftest import write

    config = write(tmp_path / "p.toml", '[enrichers]\nsource_priority = "csv"\n')
    result = run("status", tmp_path / "x.db", "--config", config)
    assert result.exit_code == 2
    assert "source_priority" in result.stderr


def _suppress(conn: sqlite3.Connection, n: int, kind: str, value: str | None, digest: str,
              added_at: str) -> None:
    conn.execute(
        "INSERT INTO suppressions (id, kind, value, sha256, reason, added_at) VALUES"
        " (?, ?, ?, ?, 'test', ?)", (f"s{n}", kind, value, digest, added_at),
    )


def test_the_suppression_list_is_loaded_again_only_when_it_changed(db: Path):
    from prospecting.privacy import email_hash

    store = Store(db)
    with store.write():
        _suppress(store.conn, 1, "email", "jean@acme.fr", email_hash("jean@acme.fr"),
                  "2026-12-01T10:00:00")
    first = store.suppression_matcher()
    assert first.matches(["jean@acme.fr"])
    assert store.suppression_matcher() is first
    # Another connection adds an address; then one unrelated write changes nothing.
    other = sqlite3.connect(db, isolation_level=None)
    _suppress(other, 2, "email", "zoe@beta.fr", email_hash("zoe@beta.fr"),
              "2026-12-01T11:00:00")
    second = store.suppression_matcher()
    assert second.matches(["zoe@beta.fr"])
    other.execute("INSERT INTO runs (id, command, started_at, status, version)"
                  " VALUES ('r', 'x', 'now', 'ok', '0')")
    assert store.suppression_matcher() is second
    # This connection forgets an address: the row goes, a hash row takes its rowid.
    with store.write():
        store.conn.execute("DELETE FROM suppressions WHERE id = 's2'")
        _suppress(store.conn, 3, "hash", None, email_hash("zoe@beta.fr"),
                  "2026-12-01T12:00:00")
    third = store.suppression_matcher()
    assert third is not second
    assert third.matches(["zoe@beta.fr"])
    assert third.matches(["jean@acme.fr"])
    other.close()
    store.close()
