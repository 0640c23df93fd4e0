"""forget leaves no plaintext byte behind; suppressions hold across imports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospecting import api
from prospecting.privacy import (
    SuppressionMatcher,
    clean_emails,
    email_hash,
    mailbox_key,
    mailbox_of,
    parse_suppression,
)

from .conftest import dump, write

ROWS = (
    "Record ID,First Name,Last Name,Email,Company Name,Notes\n"
    "1,Hélène,Verrier,helene.verrier@kerlann.example,Kerlann SAS,met at salon\n"
    "2,Bob,Smith,bob@acme.example,Acme Ltd,cc helene.verrier@kerlann.example\n"
    "3,,,,,,too,many,helene.verrier@kerlann.example\n"
)


def db_bytes(db: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(str(db) + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def test_forget_erases_every_copy_and_keeps_a_hash(tmp_path: Path, db: Path):
    csv_path = write(tmp_path / "crm.csv", ROWS)
    api.import_files(db, [csv_path], id_column="Record ID", source="crm")
    assert b"helene.verrier@kerlann.example" in db_bytes(db)
    report = api.forget(db, "Helene.Verrier@KERLANN.example")
    assert report.details["people_deleted"] == 1
    data = db_bytes(db)
    assert b"helene.verrier@kerlann.example" not in data.lower()
    assert b"Verrier" not in data
    assert email_hash("helene.verrier@kerlann.example").encode() in data
    people = dump(db)
    assert [p["first_name"] for p in people] == ["Bob"]
    assert "helene" not in str(people[0]["extra"]).lower()
    # Never re-imported, and said so.
    again = api.import_files(db, [csv_path], id_column="Record ID", source="crm")
    assert again.details["suppressed"] == 1
    assert [p["first_name"] for p in dump(db)] == ["Bob"]


def test_forget_unknown_address_still_suppresses(db: Path):
    report = api.forget(db, "nobody@nowhere.example")
    assert report.details["people_deleted"] == 0
    status = api.status(db)
    assert status["suppressions"] == {"hash": 1}


def test_clean_emails_handles_real_cells():
    assert clean_emails(" mailto:Jean@Acme.example?subject=Devis ") == ["Jean@Acme.example"]
    assert clean_emails("Jean Dupont <jean@acme.example>") == ["jean@acme.example"]
    assert clean_emails("a@x.example; b@x.example") == ["a@x.example", "b@x.example"]
    assert clean_emails("a@x.example / b@x.example") == ["a@x.example", "b@x.example"]
    assert clean_emails("j\u200bean@acme.example") == ["jean@acme.example"]
    assert clean_emails("not an email") == ["not an email"]
    assert clean_emails("   ") == []


@pytest.mark.parametrize("cell", [
    "jean%40acme.example", "jean&#64;acme.example", "jean&#x40;acme.example",
    "jean\uff20acme.example", "jean [at] acme [dot] example", "jean(at)acme(dot)example",
    "jean (arobase) acme (point) example", "jean {at} acme {dot} example",
    "jean at acme dot example", "JEAN AT ACME DOT EXAMPLE",
    # The crawler's bracketed words too (German, French).
    "jean [ät] acme [punkt] example", "jean (chez) acme (point) example",
])
def test_clean_emails_decodes_an_at_sign_written_another_way(cell: str):
    # Stored as one address: the raw form beside it would count as a second channel.
    assert [e.lower() for e in clean_emails(cell)] == ["jean@acme.example"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.emails(), st.text(alphabet="jean@.[]()%40&#x;ATDOdot ")))
def test_clean_emails_never_raises_and_is_stable(cell: str):
    found = clean_emails(cell)
    assert all(isinstance(e, str) and e for e in found)
    # Cleaning what came out changes nothing more.
    assert [x for e in found for x in clean_emails(e)] == found


@pytest.mark.parametrize("cell", ["a b@acme.example", "jean dupont@acme.example",
                                  "Marie jean@acme.example", '"jean dupont"@acme.example',
                                  "jean@acme,example"])
def test_clean_emails_keeps_an_address_with_a_space_inside_whole(cell: str):
    # Splitting on the space would make up "b@acme.example", someone else's address
    # perhaps; whole, the enricher refuses it as email-validator does.
    assert clean_emails(cell) == [cell]


@pytest.mark.parametrize("cell", ["ventes/export@société.example", "a|b@société.example",
                                  ".jean@société.example", "ventes/export@acme.example",
                                  ".jean@acme.example"])
def test_clean_emails_keeps_a_local_part_whole_whatever_the_domain(cell: str):
    # "/" and "|" are allowed in a local part and a leading dot makes another address:
    # cutting or trimming there would make up one nobody gave, and only for cells that
    # miss the plain ASCII path (an accented domain, a space around the address).
    assert clean_emails(cell) == [cell]
    assert clean_emails(f" {cell} ") == [cell]


@pytest.mark.parametrize("cell", ["jean @ acme.example", "jean@ acme.example",
                                  "jean @acme.example", "jean@acme .example",
                                  "jean @ acme . example", "Contact : jean @ acme.example"])
def test_clean_emails_reads_spaces_typed_around_the_at_sign(cell: str):
    # Not the fragments "@" or "jean@" the spaces would cut.
    assert clean_emails(cell) == ["jean@acme.example"]


def test_clean_emails_keeps_no_fragment_beside_an_address():
    assert clean_emails("Email @ jean@acme.example") == ["jean@acme.example"]
    assert clean_emails("a@x.example @ y.example") == ["a@x.example"]
    assert clean_emails("jean@acme.example. Merci") == ["jean@acme.example"]
    assert clean_emails("@acme.example") == ["@acme.example"]  # whole, for the enricher


@pytest.mark.parametrize(("cell", "addresses"), [
    ("a@société.example/b@acme.example", ["a@société.example", "b@acme.example"]),
    ("a@société.example|b@acme.example", ["a@société.example", "b@acme.example"]),
    ("a@société.example//b@acme.example", ["a@société.example", "b@acme.example"]),
    ("a@société.example/fax", ["a@société.example"]),
    ("jean@société.example.", ["jean@société.example"]),
])
def test_clean_emails_splits_at_a_slash_after_an_address(cell: str, addresses: list[str]):
    assert clean_emails(cell) == addresses


@pytest.mark.parametrize(("cell", "address"), [
    ("Email jean@acme.example", "jean@acme.example"),
    ("Courriel : jean@acme.example", "jean@acme.example"),
    ("perso jean.dupont@gmail.com", "jean.dupont@gmail.com"),
    ("Work jean@acme.example", "jean@acme.example"),
    ("Dupont jdupont@acme.example", "jdupont@acme.example"),
    ("Jean Dupont jean.dupont@acme.example", "jean.dupont@acme.example"),
])
def test_clean_emails_reads_a_label_or_a_name_before_an_address(cell: str, address: str):
    assert clean_emails(cell) == [address]


def test_clean_emails_leaves_prose_and_real_percent_signs_alone():
    assert clean_emails("rendez-vous at the office") == ["rendez-vous at the office"]
    assert clean_emails("see (at) the desk") == ["see (at) the desk"]
    assert clean_emails("a%40b@acme.example") == ["a%40b@acme.example"]
    assert clean_emails("Jean (jean@acme.example)") == ["jean@acme.example"]


def test_parse_suppression():
    assert parse_suppression("@Acme.Example") == ("domain", "acme.example")
    assert parse_suppression(" Jean@Acme.example ") == ("email", "jean@acme.example")
    assert parse_suppression("A" * 64) == ("hash", "a" * 64)


def test_forget_scrubs_a_packed_statement_and_keeps_each_facts_source(db: Path):
    import json

    from prospecting.models import statement_id
    from prospecting.store import Store

    facts = json.dumps([
        ["note", "cc helene.verrier@kerlann.example", 0.9, "enricher:notes"],
        ["seniority", "vp", 0.9, "enricher:titles"],
    ])
    with Store(db) as store, store.write():
        store.add_statements([(statement_id("p_x", "enrichers", facts), "p_x", "enrichers",
                               None, "2026-01-01T00:00:00+00:00", 0.95, "r1", facts)])
    api.forget(db, "helene.verrier@kerlann.example")
    with Store(db) as store:
        kept = store.conn.execute("SELECT facts FROM statements").fetchall()
        observed = store.conn.execute("SELECT field, source FROM observations").fetchall()
    assert [json.loads(f) for (f,) in kept] == [[["seniority", "vp", 0.9, "enricher:titles"]]]
    assert observed == [("seniority", "enricher:titles")]


@pytest.mark.parametrize(("raw", "e164"), [
    ("+33 6 39 98 12 34", "+33639981234"),
    ("0033 6 39 98 12 34", "+33639981234"),
    # The trunk prefix in brackets, as British and German cards write it, is dialled
    # only from inside the country: +44 (0)20 is +4420, never +44020.
    ("+44 (0)20 7946 0000", "+442079460000"),
    ("+49 (0)151-5221856", "+491515221856"),
    ("0033 (0)6 39 98 12 34", "+33639981234"),
    ("+1 (212) 555-0100", "+12125550100"),
    ("06 39 98 12 34", None),  # national: the phone enricher reads it with its country
])
def test_e164_shape_of_a_number_written_internationally(raw: str, e164: str | None):
    from prospecting.privacy import e164_shape

    assert e164_shape(raw) == e164


def test_e164_shape_removes_every_separator_a_pattern_would():
    """Separators go through a translation table: every whitespace character (narrow
    no-break spaces, ideographic spaces…), dots, dashes, brackets and slashes."""
    import sys

    from prospecting.privacy import _PHONE_NOISE, e164_shape

    assert set(_PHONE_NOISE) == {c for c in range(sys.maxunicode + 1) if chr(c).isspace()
                                 } | set(map(ord, ".-()/"))
    assert e164_shape("+33\u202f6\u202f39\u202f98\u202f12\u202f34") == "+33639981234"
    assert e164_shape("+33\u30006/39.98-12\u00a034") == "+33639981234"


def test_a_suppressed_mailbox_covers_its_tags_and_gmail_spellings(tmp_path: Path, db: Path):
    # EV-3: j.e.a.n+x@googlemail.com is the suppressed jean@gmail.com; a +tag reaches
    # the suppressed mailbox at any provider. Dots elsewhere and another name count.
    people = write(tmp_path / "p.csv", "id,First Name,Last Name,Email\n"
                   "1,Jean,Roy,j.e.a.n+x@googlemail.com\n2,Ann,Roy,ann+news@acme.example\n"
                   "3,Jo,Roy,j.o@acme.example\n4,Anne,Roy,anne@acme.example\n")
    api.import_files(db, [people], id_column="id")
    report = api.suppress(db, ["jean@gmail.com", "ann@acme.example", "jo@acme.example"])
    assert report.details["people_suppressed"] == 2
    out = tmp_path / "out.csv"
    api.export(db, format="lemlist", out=out)
    assert sorted(r.split(",")[0].strip('"') for r in out.read_text().splitlines()[1:]) == [
        "anne@acme.example", "j.o@acme.example"]
    # At import too: an opt-out's mailbox, later in the file or in another file.
    again = write(tmp_path / "q.csv", "First Name,Last Name,Email,Unsubscribed\n"
                  "Eve,Roy,eve+promo@acme.example,yes\nEve,Roy,eve@acme.example,\n"
                  "Jean,Roy,jean+crm@gmail.com,\n")
    report = api.import_files(db, [again])
    assert report.details["suppressed"] == 3


def test_forget_keeps_the_mailbox_out_whichever_way_it_is_written(db: Path):
    api.forget(db, "J.Dupont+crm@googlemail.com")
    assert api.status(db)["suppressions"] == {"hash": 2}
    assert SuppressionMatcher.load(_conn(db)).matches(["jdupont@gmail.com"])
    assert not SuppressionMatcher.load(_conn(db)).matches(["jdupont@outlook.example"])


@pytest.mark.parametrize(("address", "key"), [
    # One key per mailbox, for suppression and the dedupe alike.
    ("Marie.Curie+News@Radium.example", "marie.curie@radium.example"),
    ("jean.dupont+crm@gmail.com", "jeandupont@gmail.com"),
    ("j.e.a.n+x@googlemail.com", "jean@gmail.com"),
    ("jean.dupont@outlook.com", "jean.dupont@outlook.com"),  # dots count elsewhere
    ("+1234@sms.example", "+1234@sms.example"),  # nothing before the tag
])
def test_mailbox_key(address: str, key: str):
    assert mailbox_key(address) == key
    assert mailbox_of(address.lower()) == key


def _conn(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db)
