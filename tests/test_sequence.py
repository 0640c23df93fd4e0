"""`prospecting sequence`: lists per segment, time zones, holidays, caps, idempotence."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from prospecting import api
from tests.conftest import dump, generated_people_csv, write

HEADER = "first_name,last_name,email,phone,company_name,title,city,country,linkedin_url\n"

SETTINGS = """
[sequences]
sender_name = "Camille Martin"
sender_company = "Exemple Conseil"
sender_address = "12 rue de l'Exemple, 75002 Paris"
send_days = ["mon", "tue", "wed", "thu", "fri"]
"""

EMAIL_TEMPLATE = """Subject: Hello {{ first_name }}
Hello {{ first_name }},

A message for {{ company }}.

{{ opt_out }}
{{ source_notice }}
"""


def people_csv(tmp_path: Path, rows: list[str], name: str = "people.csv") -> Path:
    return write(tmp_path / name, HEADER + "".join(r + "\n" for r in rows))


def settings(tmp_path: Path, extra: str = "", base: str = SETTINGS) -> Path:
    return write(tmp_path / "prospecting.toml", base + extra)


def sequence_file(tmp_path: Path, name: str, steps: list[tuple[str, int]],
                  segment: str = "any", template: str = "mail") -> Path:
    folder = tmp_path / "seq"
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    write(folder / "templates" / "mail.txt", EMAIL_TEMPLATE)
    write(folder / "templates" / "task.txt", "Call {{ full_name }} on {{ phone }}.\n")
    text = f'name = "{name}"\nsegment = "{segment}"\n'
    for channel, delay in steps:
        tpl = template if channel == "email" else "task"
        text += f'\n[[steps]]\nchannel = "{channel}"\ndelay_days = {delay}\ntemplate = "{tpl}"\n'
    return write(folder / f"{name}.toml", text)


def steps_of(db: Path) -> dict[str, list[dict]]:
    return {p["email"] or p["id"]: p["steps"] for p in dump(db)}


def test_holidays_and_time_zones(tmp_path, db, run):
    """1 May is a holiday in France, not in the US; Thanksgiving is one in the US only."""
    conf = settings(tmp_path)
    seq = sequence_file(tmp_path, "one-mail", [("email", 0)])
    people = people_csv(tmp_path, [
        "Jeanne,Moreau,jeanne@acme.fr,+33 1 42 68 53 00,Acme,CEO,Paris,FR,",
        "John,Smith,john@initech.com,+1 415 555 0132,Initech,CTO,San Francisco,US,",
        "Mary,Jones,mary@globex.com,,Globex,CFO,New York,US,",
    ])
    run("import", db, people)
    result = run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-05-01")
    assert result.exit_code == 0, result.output
    steps = steps_of(db)
    fr = datetime.fromisoformat(steps["jeanne@acme.fr"][0]["due"])
    assert fr.date().isoformat() == "2026-05-04"  # Friday 1 May skipped, then the weekend
    assert fr.utcoffset() == timedelta(hours=2)
    sf = datetime.fromisoformat(steps["john@initech.com"][0]["due"])
    assert sf.date().isoformat() == "2026-05-01"
    assert sf.utcoffset() == timedelta(hours=-7)  # the 415 number: Los Angeles, PDT
    ny = datetime.fromisoformat(steps["mary@globex.com"][0]["due"])
    assert ny.utcoffset() == timedelta(hours=-4)  # no phone: the country's main zone
    for due in (fr, sf, ny):
        assert (9, 0) <= (due.hour, due.minute) <= (11, 30)
        assert due.second == 0

    db2 = tmp_path / "thanksgiving.db"
    run("import", db2, people)
    run("--config", conf, "sequence", db2, "--sequence", seq, "--start", "2026-11-26")
    steps = steps_of(db2)
    assert steps["john@initech.com"][0]["due"].startswith("2026-11-27T")
    assert steps["jeanne@acme.fr"][0]["due"].startswith("2026-11-26T")
    assert steps["jeanne@acme.fr"][0] == {
        "sequence": "one-mail", "step": 1, "channel": "email",
        "due": steps["jeanne@acme.fr"][0]["due"],
    }


def test_default_window_is_tuesday_to_thursday(tmp_path, db, run):
    conf = write(tmp_path / "p.toml", SETTINGS.replace(
        'send_days = ["mon", "tue", "wed", "thu", "fri"]\n', ""))
    run("import", db, people_csv(tmp_path, ["Jeanne,Moreau,jeanne@acme.fr,,Acme,CEO,Paris,FR,"]))
    run("--config", conf, "sequence", db, "--start", "2026-04-27")  # a Monday
    steps = steps_of(db)["jeanne@acme.fr"]
    days = [datetime.fromisoformat(s["due"]) for s in steps]
    assert days[0].date().isoformat() == "2026-04-28"
    assert all(d.weekday() in (1, 2, 3) for d in days)
    assert [s["sequence"] for s in steps] == ["enriched-multichannel"] * len(steps)


def _max_in_30_days(dues: list[datetime]) -> int:
    dues = sorted(dues)
    return max(
        sum(1 for d in dues if start <= d < start + timedelta(days=30)) for start in dues
    )


def test_three_emails_in_30_days_across_overlapping_sequences(tmp_path, db, run):
    conf = settings(tmp_path)
    first = sequence_file(tmp_path, "first", [("email", 0), ("email", 2), ("email", 2)])
    second = sequence_file(tmp_path, "second", [("email", 0), ("email", 1), ("email", 1)])
    run("import", db, people_csv(tmp_path, ["Jeanne,Moreau,jeanne@acme.fr,,Acme,CEO,Paris,FR,"]))
    assert run("--config", conf, "sequence", db, "--sequence", first,
               "--start", "2026-06-01").exit_code == 0
    # A second sequence in a later run, overlapping the first one.
    assert run("--config", conf, "sequence", db, "--sequence", second,
               "--start", "2026-06-03").exit_code == 0
    steps = steps_of(db)["jeanne@acme.fr"]
    emails = [datetime.fromisoformat(s["due"]) for s in steps if s["channel"] == "email"]
    assert len(emails) == 6
    assert _max_in_30_days(emails) == 3
    second_dues = sorted(
        datetime.fromisoformat(s["due"]) for s in steps if s["sequence"] == "second"
    )
    first_dues = sorted(
        datetime.fromisoformat(s["due"]) for s in steps if s["sequence"] == "first"
    )
    assert second_dues[0] >= first_dues[0] + timedelta(days=30)
    # Planning both together, or re-running, keeps the cap and doubles nothing.
    before = steps_of(db)
    result = run("--config", conf, "sequence", db, "--sequence", first, "--sequence", second,
                 "--start", "2026-06-01")
    assert result.exit_code == 0
    after = steps_of(db)["jeanne@acme.fr"]
    assert _max_in_30_days(
        [datetime.fromisoformat(s["due"]) for s in after if s["channel"] == "email"]) == 3
    assert len(after) == 6
    assert before["jeanne@acme.fr"] != []
    assert len(before["jeanne@acme.fr"]) == 6


def test_rerun_is_idempotent_and_new_start_replans(tmp_path, db, run):
    conf = settings(tmp_path)
    run("import", db, people_csv(tmp_path, [
        "Jeanne,Moreau,jeanne@acme.fr,+33 1 42 68 53 00,Acme,CEO,Paris,FR,"
        "https://www.linkedin.com/in/jeanne-moreau",
    ]))
    run("--config", conf, "sequence", db, "--start", "2026-06-01")
    first = dump(db)
    again = run("--config", conf, "sequence", db, "--start", "2026-06-01")
    assert again.exit_code == 0
    assert "written 0" in again.output
    assert dump(db) == first
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM planned_touches").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM sequence_members").fetchone()[0] == 1
    moved = run("--config", conf, "sequence", db, "--start", "2026-06-15")
    assert "members replanned 1" in moved.output
    steps = dump(db)[0]["steps"]
    assert len(steps) == 5
    assert steps[0]["due"].startswith("2026-06-15T")
    assert [s["channel"] for s in steps] == ["email", "linkedin", "email", "call", "email"]


def test_company_weekly_limit(tmp_path, db, run):
    conf = settings(tmp_path, "max_new_per_company_per_week = 2\n")
    seq = sequence_file(tmp_path, "one-mail", [("email", 0)])
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,",
        "Bob,Two,bob@acme.fr,,Acme,CTO,Paris,FR,",
        "Cid,Three,cid@acme.fr,,Acme,CFO,Paris,FR,",
        "Dan,Four,dan@other.fr,,Other,CFO,Paris,FR,",
    ]))
    run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    days = sorted(s["due"][:10] for p in dump(db) if "Acme" in (p["company"] or {}).get(
        "name", "") for s in p["steps"])
    assert days == ["2026-06-02", "2026-06-02", "2026-06-08"]
    other = next(p for p in dump(db) if p["email"] == "dan@other.fr")
    assert other["steps"][0]["due"].startswith("2026-06-02")


def test_who_is_planned(tmp_path, db, run):
    conf = settings(tmp_path)
    seq = sequence_file(tmp_path, "mail-call", [("email", 0), ("call", 1)])
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,+33 1 42 68 53 00,Acme,CEO,Paris,FR,",
        "Bob,Two,bob@globex.fr,,Globex,CTO,Paris,FR,",
        "Cid,Three,cid@initech.fr,,Initech,CFO,Paris,FR,",
        "Dan,Four,dan@umbrella.fr,,Umbrella,CFO,Paris,FR,",
        "Eve,Five,,,Hooli,CFO,Paris,FR,",
    ]))
    with sqlite3.connect(db) as conn:
        # What the scoring stage writes.
        conn.execute("UPDATE people SET stage = 'customer' WHERE email = 'cid@initech.fr'")
        conn.execute("UPDATE people SET stage = 'lead', score = 90 WHERE email = 'dan@umbrella.fr'")
    run("suppress", db, "@globex.fr")
    result = run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    assert result.exit_code == 0
    assert "skipped suppressed 1" in result.output
    assert "skipped stage customer 1" in result.output
    assert "skipped no usable channel 1" in result.output
    steps = steps_of(db)
    assert [s["channel"] for s in steps["ann@acme.fr"]] == ["email", "call"]
    assert [s["channel"] for s in steps["dan@umbrella.fr"]] == ["email"]  # no phone
    assert steps["bob@globex.fr"] == []
    assert steps["cid@initech.fr"] == []
    with sqlite3.connect(db) as conn:
        order = [r[0] for r in conn.execute(
            "SELECT person_id FROM sequence_members ORDER BY rowid")]
        dan = conn.execute("SELECT id FROM people WHERE email = 'dan@umbrella.fr'").fetchone()[0]
    assert order[0] == dan  # highest score first


def test_a_do_not_call_flag_keeps_calls_out(tmp_path, db, run):
    # A CRM's "Do Not Call" (Salesforce DoNotCall, a checkbox exported as 1): that person
    # gets the email steps and no call, including after a later export clears the flag.
    conf = settings(tmp_path)
    seq = sequence_file(tmp_path, "mail-call", [("email", 0), ("call", 1)])
    run("import", db, write(tmp_path / "crm.csv",
                            "First Name,Last Name,Email,Phone,Account Name,Do Not Call\n"
                            "Ann,One,ann@acme.fr,+33 1 42 68 53 00,Acme,0\n"
                            "Bob,Two,bob@globex.fr,+33 1 42 68 53 01,Globex,1\n"))
    result = run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    assert result.exit_code == 0, result.output
    steps = steps_of(db)
    assert [s["channel"] for s in steps["ann@acme.fr"]] == ["email", "call"]
    assert [s["channel"] for s in steps["bob@globex.fr"]] == ["email"]
    people = {p["email"]: p for p in dump(db)}
    assert people["bob@globex.fr"]["extra"]["do_not_call"] == "true"
    # No tool gets his number either (Brevo would text it, lemlist call it).
    for fmt, column in (("lemlist", "phone"), ("brevo", "LANDLINE_NUMBER"),
                        ("salesforce", "Phone")):
        out = tmp_path / f"{fmt}.csv"
        api.export(db, format=fmt, out=out)
        text = out.read_text("utf-8-sig")
        rows = {r.get("email") or r.get("EMAIL") or r.get("Email"): r
                for r in csv.DictReader(text.splitlines(), delimiter=";" if fmt == "brevo"
                                        else ",")}
        assert rows["bob@globex.fr"][column] == "", fmt
        assert rows["ann@acme.fr"][column] == "+33142685300", fmt
    # Ann asks not to be called: her planned call is skipped on the next run.
    run("import", db, write(tmp_path / "crm2.csv",
                            "First Name,Last Name,Email,Phone,Account Name,Do Not Call\n"
                            "Ann,One,ann@acme.fr,+33 1 42 68 53 00,Acme,TRUE\n"))
    run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    assert [s["channel"] for s in steps_of(db)["ann@acme.fr"]] == ["email"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, reason FROM planned_touches"
                            " WHERE channel = 'call'").fetchall() == [
            ("skipped", "no usable call")]


def test_suppression_after_planning_stops_and_export_leaves_out(tmp_path, db, run):
    conf = settings(tmp_path)
    seq = sequence_file(tmp_path, "one-mail", [("email", 0), ("email", 3)])
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,",
        "Bob,Two,bob@globex.fr,,Globex,CTO,Paris,FR,",
    ]))
    run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    run("suppress", db, "bob@globex.fr")
    out = tmp_path / "lemlist.csv"
    run("export", db, "--format", "lemlist", "--out", out)
    import csv

    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["email"] for r in rows] == ["ann@acme.fr"]
    result = run("--config", conf, "sequence", db, "--sequence", seq)
    assert "members stopped 1" in result.output
    steps = steps_of(db)
    assert steps["bob@globex.fr"] == []
    assert len(steps["ann@acme.fr"]) == 2


def test_missing_variable_quarantines_with_person_and_variable(tmp_path, db, run):
    conf = settings(tmp_path)
    folder = tmp_path / "seq"
    (folder / "templates").mkdir(parents=True)
    write(folder / "templates" / "strict.txt",
          "Subject: For {{ company }}\nHi {{ first_name }}, {{ title }}\n{{ opt_out }}"
          "{{ source_notice }}\n")
    write(folder / "templates" / "plain.txt",
          "Subject: Hello\nHi{% if first_name is defined %} {{ first_name }}{% endif %}\n"
          "{{ opt_out }}\n{{ source_notice }}\n")
    write(folder / "strict.toml", 'name = "strict"\n[[steps]]\nchannel = "email"\n'
          'template = "strict"\n')
    write(folder / "soft.toml", 'name = "soft"\n[[steps]]\nchannel = "email"\n'
          'template = "strict"\nfallback = "plain"\n')
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,,Acme,,Paris,FR,",
        "Bob,Two,bob@globex.fr,,Globex,CTO,Paris,FR,",
    ]))
    result = run("--config", conf, "sequence", db, "--sequence", folder / "strict.toml",
                 "--start", "2026-06-02")
    assert result.exit_code == 1
    with sqlite3.connect(db) as conn:
        reasons = [r[0] for r in conn.execute(
            "SELECT reason FROM quarantine WHERE source = 'sequence:strict'")]
    assert len(reasons) == 1
    assert "'title'" in reasons[0]
    assert "Ann One" in reasons[0]
    assert steps_of(db)["ann@acme.fr"] == []
    assert len(steps_of(db)["bob@globex.fr"]) == 1

    result = run("--config", conf, "sequence", db, "--sequence", folder / "soft.toml",
                 "--start", "2026-06-02")
    assert result.exit_code == 0
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute(
            "SELECT p.email, t.template || '|' || t.subject || '|' || t.body"
            " FROM planned_touches t JOIN people p ON p.id = t.person_id"
            " WHERE t.sequence = 'soft'"))
    assert rows["ann@acme.fr"].startswith("plain|Hello|Hi Ann")
    assert rows["bob@globex.fr"].startswith("strict|For Globex|Hi Bob, CTO")


def test_email_text_carries_opt_out_and_source_for_eu_only(tmp_path, db, run):
    conf = settings(tmp_path)
    seq = sequence_file(tmp_path, "one-mail", [("email", 0)])
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,",
        "John,Smith,john@initech.com,,Initech,CTO,Austin,US,",
    ]), "--source", "salon-2026")
    run("--config", conf, "sequence", db, "--sequence", seq, "--start", "2026-06-02")
    with sqlite3.connect(db) as conn:
        bodies = dict(conn.execute(
            "SELECT p.email, t.body FROM planned_touches t JOIN people p ON p.id = t.person_id"))
    for body in bodies.values():
        assert "reply 'stop'" in body
    assert "ann@acme.fr" in bodies["ann@acme.fr"]
    assert "a contact list (salon-2026)" in bodies["ann@acme.fr"]
    assert "contact list" not in bodies["john@initech.com"]


@pytest.mark.parametrize(("text", "expected"), [
    ('name = "x"\n[[steps]]\nchannel = "fax"\ntemplate = "enriched-intro"\n', "channel"),
    ('name = "x"\n[[steps]]\nchannel = "email"\ntemplate = "enriched-intro"\ndelay = 2\n',
     "delay"),
    ('name = "x"\n[[steps]]\nchannel = "email"\ndelay_days = "two"\n'
     'template = "enriched-intro"\n', "delay_days"),
    ('name = "x"\n[[steps]]\nchannel = "email"\ntemplate = "nowhere"\n', "nowhere"),
    ('name = "x"\n', "at least one"),
])
def test_sequence_file_refused_with_key_and_line(tmp_path, db, run, text, expected):
    path = write(tmp_path / "bad.toml", text)
    result = CliRunnerErr.invoke(run, db, path)
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert expected in result.stderr
    assert not db.exists()  # validated before the database is opened


def test_email_template_without_opt_out_is_refused(tmp_path, db, run):
    folder = tmp_path / "seq"
    (folder / "templates").mkdir(parents=True)
    write(folder / "templates" / "bare.txt", "Subject: Hi\nHello {{ first_name }}\n")
    path = write(folder / "bare.toml",
                 'name = "bare"\n[[steps]]\nchannel = "email"\ntemplate = "bare"\n')
    result = CliRunnerErr.invoke(run, db, path)
    assert result.exit_code == 2
    assert "opt_out" in result.stderr
    assert "source_notice" in result.stderr
    assert "bare.toml:4" in result.stderr


def test_bad_start_date(tmp_path, db, run):
    result = CliRunnerErr.invoke(run, db, None, "--start", "01/05/2026")
    assert result.exit_code == 2
    assert "--start" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


def test_forget_deletes_planned_touches(tmp_path, db, run):
    conf = settings(tmp_path)
    run("import", db, people_csv(tmp_path, [
        "Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,",
        "Bob,Two,bob@globex.fr,,Globex,CTO,Paris,FR,",
    ]))
    run("--config", conf, "sequence", db, "--start", "2026-06-02")
    result = run("forget", db, "ann@acme.fr")
    assert result.exit_code == 0
    with sqlite3.connect(db) as conn:
        left = conn.execute("SELECT group_concat(body, ' ') FROM planned_touches").fetchone()[0]
        members = conn.execute("SELECT count(*) FROM sequence_members").fetchone()[0]
    assert "ann@acme.fr" not in left
    assert "Ann" not in left
    assert "bob@globex.fr" in left
    assert members == 1
    assert b"ann@acme.fr" not in db.read_bytes()


def test_api_returns_report(tmp_path, db, run):
    conf = settings(tmp_path)
    run("import", db, people_csv(tmp_path, ["Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,"]))
    report = api.sequence(db, start="2026-06-02", config=conf)
    assert report.stage == "sequence"
    assert report.written == 1
    assert json.loads(json.dumps(report.as_dict()))["details"]["members_added"] == 1


class CliRunnerErr:
    """Run ``sequence`` expecting a usage error, stderr kept apart."""

    @staticmethod
    def invoke(run, db, path, *extra):
        from click.testing import CliRunner

        from prospecting.cli import cli

        args = ["sequence", str(db)] + (["--sequence", str(path)] if path else []) + list(extra)
        return CliRunner().invoke(cli, args, obj={})


@pytest.mark.parametrize(("fmt", "subject", "body", "extra"), [
    ("lemlist", "firstStepSubject", "firstStepBody", "timezone"),
    ("instantly", "first_step_subject", "first_step_body", "personalization"),
    ("smartlead", "first_step_subject", "first_step_body", "icebreaker"),
])
def test_tool_exports_carry_the_first_step(tmp_path, db, run, fmt, subject, body, extra):
    import csv

    conf = settings(tmp_path)
    run("import", db, write(tmp_path / "p.csv",
        "first_name,last_name,email,phone,company_name,title,country,icebreaker\n"
        "Jeanne,Moreau,jeanne@acme.fr,+33 1 42 68 53 00,Acme,CEO,FR,\"Vu au salon, stand 4\"\n"
        "John,Smith,john@initech.com,+1 415 555 0132,Initech,CTO,US,\n"))
    run("--config", conf, "sequence", db, "--start", "2026-06-02")
    run("suppress", db, "john@initech.com")
    out = tmp_path / f"{fmt}.csv"
    assert run("export", db, "--format", fmt, "--out", out, "--segment", "enriched").exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["email"] for r in rows] == ["jeanne@acme.fr"]  # suppressed at export too
    [row] = rows
    assert row["sequence"] == "enriched-multichannel"
    assert row[subject] == "Acme and Exemple Conseil"
    assert row[body].startswith("Hello Jeanne,<br><br>Vu au salon, stand 4<br>")
    assert "reply 'stop'" in row[body]
    assert "jeanne@acme.fr" in row[body]  # the Art. 14 source notice
    assert row[extra] == ("Europe/Paris" if extra == "timezone" else "Vu au salon, stand 4")


def test_enriched_later_moves_to_the_enriched_sequence(tmp_path, db, run):
    conf = settings(tmp_path)
    run("import", db, write(tmp_path / "a.csv",
                            "first_name,last_name,email\nAnn,One,ann@acme.fr\n"))
    run("--config", conf, "sequence", db, "--start", "2026-06-02")
    [person] = dump(db)
    assert person["tags"] == ["non-enriched"]
    assert {s["sequence"] for s in person["steps"]} == {"non-enriched-short"}
    run("import", db, write(tmp_path / "b.csv",
        "first_name,last_name,email,company_name,title,country\nAnn,One,ann@acme.fr,Acme,CEO,FR\n"))
    result = run("--config", conf, "sequence", db, "--start", "2026-06-02")
    assert "members stopped 1" in result.output
    [person] = dump(db)
    assert person["tags"] == ["enriched"]
    assert {s["sequence"] for s in person["steps"]} == {"enriched-multichannel"}
    emails = [datetime.fromisoformat(s["due"]) for s in person["steps"] if s["channel"] == "email"]
    assert len(emails) == 3
    assert _max_in_30_days(emails) == 3


@settings_hypothesis(max_examples=60, deadline=None)
@given(
    plans=st.lists(
        st.tuples(
            st.lists(st.integers(0, 4), min_size=1, max_size=5),  # email delays
            st.integers(0, 40),  # start offset in days
        ),
        min_size=1, max_size=4,
    ),
    country=st.sampled_from(["FR", "US", "DE", None]),
)
def test_cap_holds_for_any_overlapping_sequences(plans, country):
    """Whatever sequences overlap, no 30-day window holds more than 3 emails."""
    from datetime import date

    from prospecting.settings import SequenceSettings
    from sequences.calendar import SendCalendar
    from sequences.planner import _Ledger, _timeline
    from sequences.sequence_file import Sequence, Step

    calendar = SendCalendar.from_settings(SequenceSettings())
    ledger = _Ledger()
    person = {"id": "p_1", "email": "a@b.fr", "phone": None, "linkedin_url": None,
              "emails": [{"value": "a@b.fr", "status": "valid", "flags": []}]}
    planned = []
    for number, (delays, offset) in enumerate(plans):
        sequence = Sequence(name=f"s{number}", steps=tuple(
            Step(channel="email", delay_days=d, template="x") for d in delays))
        begin = calendar.next_send_day(date(2026, 4, 27) + timedelta(days=offset), country)
        touches = _timeline(person, sequence, begin, {}, "Europe/Paris", country, calendar,
                            ledger, 3, set())
        for touch in touches:
            if touch.status == "planned":
                ledger.emails["p_1"].append((touch.due, sequence.name))
                planned.append(touch.due)
                assert calendar.is_send_day(touch.due.date(), country)
    assert _max_in_30_days(planned) <= 3


PLAN = ("import sys; from prospecting import api\n"
        "api.sequence(sys.argv[1], start='2026-06-02', config=sys.argv[2])\n")


def test_killed_sequence_rerun_converges_to_a_clean_run(tmp_path):
    """kill -9 while planning, re-run: the same plan as one clean run."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    people = generated_people_csv(tmp_path / "people.csv", 1500, 7)
    conf = settings(tmp_path)
    base = tmp_path / "base.db"
    api.import_files(base, [people], source="crm", id_column="Record ID")
    api.enrich(base, offline=True)
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    shutil.copy(base, clean)
    shutil.copy(base, crashed)
    api.sequence(clean, start="2026-06-02", config=conf)

    proc = subprocess.Popen([sys.executable, "-c", PLAN, str(crashed), str(conf)])
    time.sleep(2.0)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([sys.executable, "-c", PLAN, str(crashed), str(conf)], check=True)

    def plan(db: Path) -> list[tuple]:
        with sqlite3.connect(db) as conn:
            return conn.execute(
                "SELECT person_id, sequence, step, channel, due, status, output_hash"
                " FROM planned_touches ORDER BY id").fetchall()

    assert plan(crashed) == plan(clean)
    assert len(plan(clean)) > 500
    assert api.sequence(crashed, start="2026-06-02", config=conf).written == 0


def test_without_sender_settings_dates_are_planned_and_texts_wait(tmp_path, db, run):
    run("import", db, people_csv(tmp_path, ["Ann,One,ann@acme.fr,,Acme,CEO,Paris,FR,"]))
    result = run("sequence", db, "--start", "2026-06-02")
    assert result.exit_code == 0, result.output
    assert "[sequences] sender_address is empty" in result.output
    assert "enriched-intro" in result.output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT channel, due, body FROM planned_touches").fetchall()
    assert rows
    assert all(body is None for _, _, body in rows)
    # Once the sender is configured, the next run writes the messages, same dates.
    conf = settings(tmp_path)
    assert run("--config", conf, "sequence", db).exit_code == 0
    with sqlite3.connect(db) as conn:
        again = conn.execute("SELECT channel, due, body FROM planned_touches").fetchall()
    assert [(c, d) for c, d, _ in again] == [(c, d) for c, d, _ in rows]
    assert all(body for c, _, body in again if c == "email")


def test_forget_removes_sequence_quarantine_naming_the_person(tmp_path, db, run):
    conf = settings(tmp_path)
    folder = tmp_path / "seq"
    (folder / "templates").mkdir(parents=True)
    write(folder / "templates" / "strict.txt",
          "Subject: Hi\n{{ title }}\n{{ opt_out }}{{ source_notice }}\n")
    write(folder / "strict.toml", 'name = "strict"\n[[steps]]\nchannel = "email"\n'
          'template = "strict"\n')
    run("import", db, people_csv(tmp_path, ["Ann,Onyme,ann@acme.fr,,Acme,,Paris,FR,"]))
    assert run("--config", conf, "sequence", db, "--sequence", folder / "strict.toml",
               "--start", "2026-06-02").exit_code == 1
    run("forget", db, "ann@acme.fr")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert b"Onyme" not in db.read_bytes()
