"""`prospecting results`: tool exports imported back (bounces, replies, unsubscribes…)."""

from __future__ import annotations

import sqlite3

import pytest

from sequences.results import detect_tool, parse_time
from tests.conftest import dump, write
from tests.test_sequence import people_csv, settings

PEOPLE = [
    "Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,",
    "Bob,Two,bob@globex.fr,,Globex,CTO,Paris,FR,",
    "Cid,Three,cid@initech.fr,,Initech,CFO,Paris,FR,",
    "Dan,Four,dan@umbrella.fr,,Umbrella,CFO,Paris,FR,",
]

# lemlist activity export: one row per event, camelCase columns and activity types.
LEMLIST = """type,leadEmail,createdAt,campaignName,sequenceStep,leadFirstName
emailsSent,ann@acme.fr,2026-06-02T07:35:00.000Z,enriched-multichannel,1,Ann
emailsOpened,ann@acme.fr,2026-06-02T08:01:12.000Z,enriched-multichannel,1,Ann
emailsBounced,BOB@Globex.fr,2026-06-02T07:36:00.000Z,enriched-multichannel,1,Bob
emailsReplied,cid@initech.fr,2026-06-03T10:00:00.000Z,enriched-multichannel,1,Cid
emailsUnsubscribed,dan@umbrella.fr,2026-06-04T09:00:00.000Z,enriched-multichannel,1,Dan
emailsOpened,nobody@nowhere.fr,2026-06-04T09:00:00.000Z,enriched-multichannel,1,Zed
emailsTeleported,ann@acme.fr,2026-06-04T09:00:00.000Z,enriched-multichannel,1,Ann
emailsClicked,not-an-address,2026-06-04T09:00:00.000Z,enriched-multichannel,1,Ann
emailsClicked,ann@acme.fr,yesterday-ish,enriched-multichannel,1,Ann
"""


@pytest.fixture
def planned(tmp_path, db, run):
    conf = settings(tmp_path)
    run("import", db, people_csv(tmp_path, PEOPLE))
    result = run("--config", conf, "sequence", db, "--start", "2026-06-02")
    assert result.exit_code == 0, result.output
    return conf


def test_lemlist_activities(tmp_path, db, run, planned):
    path = write(tmp_path / "lemlist-activities.csv", LEMLIST)
    result = run("results", db, path)
    assert result.exit_code == 1  # four bad rows quarantined
    assert "read as a lemlist export" in result.output
    people = {p["email"] or p["emails"][0]["value"]: p for p in dump(db)}
    # The bounce: the address is invalid, derived like any status, and Bob's plan stopped.
    bob = next(p for p in dump(db) if p["last_name"] == "Two")
    assert bob["emails"][0]["status"] == "invalid"
    assert bob["emails"][0]["reason"] == "bounced"
    assert bob["email"] is None
    assert bob["steps"] == []
    # The reply stops Cid's sequence; the unsubscribe suppresses Dan.
    assert people["cid@initech.fr"]["steps"] == []
    assert people["dan@umbrella.fr"]["suppressed"] is True
    assert people["dan@umbrella.fr"]["steps"] == []
    # Ann's first email is marked sent, the rest still planned.
    ann = people["ann@acme.fr"]
    assert len(ann["steps"]) == 3
    with sqlite3.connect(db) as conn:
        statuses = dict(conn.execute(
            "SELECT t.step, t.status FROM planned_touches t JOIN people p ON p.id = t.person_id"
            " WHERE p.email = 'ann@acme.fr'"))
        kinds = sorted(r[0] for r in conn.execute("SELECT kind FROM activities"))
        quarantine = dict(conn.execute(
            "SELECT row, reason FROM quarantine WHERE source LIKE 'results:%'"))
        plain = conn.execute(
            "SELECT count(*) FROM activities WHERE detail LIKE '%@%' OR campaign LIKE '%@%'"
            " OR email_sha256 LIKE '%@%'").fetchone()[0]
        suppression = conn.execute(
            "SELECT kind, value, reason FROM suppressions").fetchall()
    assert statuses[1] == "sent"
    assert statuses[3] == "planned"
    assert kinds == ["bounce", "open", "reply", "sent", "unsubscribe"]
    assert plain == 0
    assert suppression == [("email", "dan@umbrella.fr", "unsubscribed (results:lemlist)")]
    assert quarantine[7] == "no person with this address in the store"
    assert "unknown event 'emailsTeleported'" in quarantine[8]
    assert "no usable email address" in quarantine[9]
    assert "unreadable date 'yesterday-ish'" in quarantine[10]

    # Importing the same file again adds nothing.
    before = dump(db)
    again = run("results", db, path)
    assert "written 0" in again.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM activities").fetchone()[0] == 5
        assert conn.execute(
            "SELECT count(*) FROM quarantine WHERE source LIKE 'results:%'").fetchone()[0] == 4
    assert dump(db) == before

    # Planning again never restarts stopped people.
    rerun = run("--config", planned, "sequence", db, "--start", "2026-06-02")
    assert rerun.exit_code == 0
    assert {p["email"]: p["steps"] for p in dump(db)}["cid@initech.fr"] == []


def test_smartlead_lead_export(tmp_path, db, run, planned):
    text = ("id,campaign_lead_map_id,status,email,first_name,is_unsubscribed,open_count,"
            "click_count,reply_count,last_email_sequence_sent,created_at\n"
            "1,11,COMPLETED,ann@acme.fr,Ann,false,3,1,0,2,2026-06-01 10:00:00\n"
            "2,12,STOPPED,bob@globex.fr,Bob,true,0,0,0,1,2026-06-01 10:00:00\n"
            "3,13,INPROGRESS,cid@initech.fr,Cid,false,1,0,2,1,2026-06-01 10:00:00\n")
    path = write(tmp_path / "smartlead.csv", text)
    result = run("results", db, path)
    assert result.exit_code == 0, result.output
    assert "read as a smartlead export" in result.output
    with sqlite3.connect(db) as conn:
        rows = sorted(conn.execute(
            "SELECT p.first_name, a.kind FROM activities a JOIN people p ON p.id = a.person_id"))
    assert rows == [("Ann", "click"), ("Ann", "open"), ("Bob", "unsubscribe"),
                    ("Cid", "open"), ("Cid", "reply")]
    people = {p["first_name"]: p for p in dump(db)}
    assert people["Bob"]["suppressed"] is True
    assert people["Cid"]["steps"] == []
    # not_clicked: Ann clicked, so her conditional last email is no longer planned.
    assert [s["step"] for s in people["Ann"]["steps"]] == [1, 3]


def test_instantly_hubspot_brevo_mailchimp_columns(tmp_path, db, run, planned):
    files = {
        "instantly.csv": ("Email,First Name,Status,Email Open Count,Email Reply Count,"
                          "Email Click Count,Last Replied\n"
                          "ann@acme.fr,Ann,Active,2,1,0,2026-06-05T09:00:00Z\n", "instantly"),
        "hubspot.csv": ("Recipient,Event type,Created,Email campaign ID\n"
                        "bob@globex.fr,BOUNCE,1780650000000,12345\n", "hubspot"),
        "brevo.csv": ("Email;Event;Date;Message-id\n"
                      "cid@initech.fr;hardBounces;2026-06-05 09:00:00;<x@smtp>\n", "brevo"),
        "unsubscribed_members.csv": ("Email Address,First Name,MEMBER_RATING,UNSUB_TIME,"
                                     "UNSUB_CAMPAIGN_TITLE,UNSUB_REASON\n"
                                     "dan@umbrella.fr,Dan,2,2026-06-06 10:00:00,June,"
                                     "No longer interested\n", "mailchimp"),
    }
    for name, (text, tool) in files.items():
        result = run("results", db, write(tmp_path / name, text))
        assert result.exit_code == 0, result.output
        assert f"read as a {tool} export" in result.output
    with sqlite3.connect(db) as conn:
        rows = sorted(conn.execute(
            "SELECT p.first_name, a.kind, a.source, a.occurred_at FROM activities a"
            " JOIN people p ON p.id = a.person_id"))
    assert rows == [
        ("Ann", "open", "results:instantly", None),
        ("Ann", "reply", "results:instantly", "2026-06-05T09:00:00+00:00"),
        ("Bob", "bounce", "results:hubspot", "2026-06-05T09:00:00+00:00"),
        ("Cid", "bounce", "results:brevo", "2026-06-05T09:00:00+00:00"),
        ("Dan", "unsubscribe", "results:mailchimp", "2026-06-06T10:00:00+00:00"),
    ]
    people = {p["first_name"]: p for p in dump(db)}
    assert people["Cid"]["emails"][0]["status"] == "invalid"
    assert people["Dan"]["suppressed"] is True
    assert all(p["steps"] == [] for p in people.values())


def test_unmatched_unsubscribe_still_suppresses(tmp_path, db, run):
    run("import", db, people_csv(tmp_path, PEOPLE))
    path = write(tmp_path / "unsub.csv",
                 "type,leadEmail,createdAt\nemailsUnsubscribed,zoe@elsewhere.fr,2026-06-01\n")
    result = run("results", db, path)
    assert result.exit_code == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM suppressions").fetchall() == [
            ("zoe@elsewhere.fr",)]
    run("import", db, write(tmp_path / "later.csv", "email,first_name\nzoe@elsewhere.fr,Zoe\n"))
    assert all(p["email"] != "zoe@elsewhere.fr" or p["suppressed"] for p in dump(db))


def test_file_without_email_column_is_refused(tmp_path, db, run):
    path = write(tmp_path / "x.csv", "name,event\nAnn,open\n")
    result = run("results", db, path)
    assert result.exit_code == 2
    assert "no email column" in result.stderr
    assert "x.csv" in result.stderr


def test_forget_removes_imported_activities(tmp_path, db, run, planned):
    run("results", db, write(tmp_path / "l.csv", LEMLIST))
    run("forget", db, "ann@acme.fr")
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute(
            "SELECT p.first_name FROM activities a JOIN people p ON p.id = a.person_id")}
        left = conn.execute(
            "SELECT count(*) FROM activities WHERE person_id NOT IN (SELECT id FROM people)"
        ).fetchone()[0]
    assert "Ann" not in names
    assert left == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-06-02T07:35:00.000Z", "2026-06-02T07:35:00+00:00"),
    ("2026-06-02 09:35:00+02:00", "2026-06-02T07:35:00+00:00"),
    ("1780650000", "2026-06-05T09:00:00+00:00"),
    ("1780650000000", "2026-06-05T09:00:00+00:00"),
    ("06/05/2026 09:00", "2026-06-05T09:00:00+00:00"),
    ("not a date", None),
])
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_detect_tool():
    assert detect_tool(["type", "leadEmail", "createdAt", "campaignName"]) == "lemlist"
    assert detect_tool(["Email", "Email Open Count", "Email Reply Count"]) == "instantly"
    assert detect_tool(["email", "is_unsubscribed", "reply_count"]) == "smartlead"
    assert detect_tool(["Recipient", "Event type", "Created"]) == "hubspot"
    assert detect_tool(["Email Address", "UNSUB_TIME"]) == "mailchimp"
    assert detect_tool(["email", "when"]) is None


def test_new_start_replans_only_unsent_touches(tmp_path, db, run, planned):
    run("results", db, write(tmp_path / "l.csv", LEMLIST))
    before = {p["email"]: p["steps"] for p in dump(db)}["ann@acme.fr"]
    result = run("--config", planned, "sequence", db, "--start", "2026-06-22")
    assert result.exit_code == 0
    after = {p["email"]: p["steps"] for p in dump(db)}["ann@acme.fr"]
    assert after[0] == before[0]  # step 1 was sent: it stays as it was
    assert after[0]["due"].startswith("2026-06-02")
    assert all(s["due"] >= "2026-06-22" for s in after[1:])
    assert [s["step"] for s in after] == [s["step"] for s in before]
    # Cid replied: a new start does not bring him back, nor does another sequence.
    assert {p["email"]: p["steps"] for p in dump(db)}["cid@initech.fr"] == []
    other = write(tmp_path / "other.toml",
                  'name = "other"\n[[steps]]\nchannel = "email"\ntemplate = "non-enriched-intro"\n')
    result = run("--config", planned, "sequence", db, "--sequence", other)
    assert "skipped replied 1" in result.output


def test_hubspot_contact_export_properties(tmp_path, db, run, planned):
    text = ("Record ID,First Name,Email,Lifecycle Stage,Unsubscribed from all email,"
            "Marketing emails bounced,Marketing emails replied,Marketing emails opened\n"
            "1,Ann,ann@acme.fr,Lead,false,0,1,2\n"
            "2,Bob,bob@globex.fr,Lead,true,0,0,0\n"
            "3,Cid,cid@initech.fr,Lead,false,1,0,0\n")
    result = run("results", db, write(tmp_path / "hubspot-contacts.csv", text))
    assert result.exit_code == 0, result.output
    assert "read as a hubspot export" in result.output
    with sqlite3.connect(db) as conn:
        rows = sorted(conn.execute(
            "SELECT p.first_name, a.kind FROM activities a JOIN people p ON p.id = a.person_id"))
    assert rows == [("Ann", "open"), ("Ann", "reply"), ("Bob", "unsubscribe"),
                    ("Cid", "bounce")]


def test_a_later_check_does_not_undo_a_bounce(tmp_path, db, run, planned):
    from prospecting.models import dumps
    from prospecting.store import Store

    run("results", db, write(tmp_path / "lemlist-activities.csv", LEMLIST))
    bob = next(p for p in dump(db) if p["last_name"] == "Two")
    # An MX lookup a month later predicts delivery; the bounce already happened.
    check = {"email": "bob@globex.fr", "normalized": "bob@globex.fr", "status": "valid",
             "flags": [], "reason": "mx found"}
    store = Store(db)
    try:
        with store.write():
            store.state_facts([(bob["id"], "enricher:email", None, "2099-01-01T00:00:00Z", 0.9,
                                "later-run", [("email_status", dumps(check))])])
            store.refresh_people([bob["id"]])
    finally:
        store.close()
    bob = next(p for p in dump(db) if p["last_name"] == "Two")
    assert bob["emails"][0]["status"] == "invalid"
    assert bob["emails"][0]["reason"] == "bounced"
