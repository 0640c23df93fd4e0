"""prospecting signals: visits, product usage and CRM marks into activities, then scores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from prospecting.privacy import email_hash
from prospecting.signals import parse_moment

from .conftest import write
from .test_scoring import AS_OF, ICP, PEOPLE, scores

FIXTURES = Path(__file__).parent / "fixtures" / "scoring"


@pytest.fixture
def loaded(run, db):
    assert run("init", db, "--icp", ICP).exit_code == 0
    assert run("import", db, PEOPLE).exit_code == 0
    assert run("enrich", db, "--offline").exit_code == 0
    return db


def activities(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT person_id, email_sha256, kind, detail, occurred_at, source, campaign"
        " FROM activities ORDER BY occurred_at, detail"
    ).fetchall()
    conn.close()
    return rows


def quarantine(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT source, row, reason FROM quarantine ORDER BY source, row"
    ).fetchall()
    conn.close()
    return rows


def test_web_visits_bad_rows_are_quarantined_with_row_and_reason(run, loaded):
    result = run("signals", loaded, FIXTURES / "web_visits.csv", "--kind", "visit")
    assert result.exit_code == 1
    assert "read 8, written 3, quarantined 5" in result.output
    assert "5 row(s) quarantined" in result.stderr
    assert quarantine(loaded) == [
        ("web_visits.csv", 5, "no person with this email"),
        ("web_visits.csv", 6, "no date"),
        ("web_visits.csv", 7, "unreadable date '2026-13-45'"),
        ("web_visits.csv", 8, "date in the future (2031-01-01)"),
        ("web_visits.csv", 9, "no email"),
    ]
    rows = activities(loaded)
    assert [r[2] for r in rows] == ["visit"] * 3
    # French day-first date, naive time taken as UTC; the address only as a hash.
    assert rows[0][4] == "2026-11-20T08:30:00+00:00"
    assert rows[1][6] == "newsletter-nov"
    assert rows[2][1] == email_hash("claire.martin@logiciel-alpha.fr")
    assert b"claire.martin" not in json.dumps(rows).encode()


def test_reimport_adds_nothing(run, loaded):
    run("signals", loaded, FIXTURES / "web_visits.csv", "--kind", "visit")
    again = run("signals", loaded, FIXTURES / "web_visits.csv", "--kind", "visit")
    assert "written 0" in again.output
    assert "already stored 3" in again.output
    assert len(activities(loaded)) == 3
    assert len(quarantine(loaded)) == 5


def test_visits_make_signal_points_and_temperature(run, loaded):
    run("signals", loaded, FIXTURES / "web_visits.csv", "--kind", "visit")
    assert run("score", loaded, "--as-of", AS_OF).exit_code == 0
    claire = scores(loaded)["Martin"]
    signal = [r for r in claire["reasons"] if r["part"] == "signal"]
    # 10 points halving every 10 days: visits 1 day 13 h 45 and 4 days 15 h old.
    expected = 10 * 0.5 ** ((1 + 13.75 / 24) / 10) + 10 * 0.5 ** ((4 + 15 / 24) / 10)
    assert signal[0]["points"] == pytest.approx(expected, abs=0.01)
    assert claire["temperature"] == "hot"
    # Seen again two months later, the same visits are outside the window: cold facts.
    run("score", loaded, "--as-of", "2027-02-15")
    later = scores(loaded)["Martin"]
    assert later["signal"] == 0
    assert later["temperature"] == "warm"  # total still above warm_score


def test_product_usage_jsonl_makes_a_pql(run, loaded, tmp_path):
    icp = write(tmp_path / "icp.toml", ICP.read_text("utf-8").replace(
        '"62.01Z" = 15', '"62.01Z" = -40'))  # Claire's fit below sql: usage decides
    run("score", loaded, "--icp", icp, "--as-of", AS_OF)
    assert scores(loaded)["Martin"]["stage"] == "lead"
    result = run("signals", loaded, FIXTURES / "product_usage.jsonl", "--kind", "product_usage")
    assert result.exit_code == 1
    assert quarantine(loaded) == [
        ("product_usage.jsonl", 5, "no person with this email"),
        ("product_usage.jsonl", 6, "no email field"),
        ("product_usage.jsonl", 7, "invalid JSON: Expecting value (column 1)"),
        ("product_usage.jsonl", 8, "JSON line is not an object"),
    ]
    run("score", loaded, "--as-of", AS_OF)
    verdicts = scores(loaded)
    claire = verdicts["Martin"]
    assert claire["stage"] == "pql"
    stage = next(r for r in claire["reasons"] if r["part"] == "stage")
    # The third event (30 Nov 08:00) is after the as-of moment: not counted yet.
    assert stage["detail"] == "2 product-usage events in 30 days (≥ 2)"
    # One event does not make a PQL, and a customer stays a customer.
    assert verdicts["Girard"]["stage"] == "customer"


def test_crm_marks(run, loaded):
    result = run("signals", loaded, FIXTURES / "crm_marks.csv", "--kind", "crm")
    assert result.exit_code == 1
    assert "skipped: stage 'Lead' is not a mark 1" in result.output
    assert "skipped: stage 'Subscriber' is not a mark 1" in result.output
    assert quarantine(loaded) == [("crm_marks.csv", 6, "no email")]
    assert sorted(r[2] for r in activities(loaded)) == [
        "customer", "sales_qualified", "sales_qualified",
    ]
    run("score", loaded, "--as-of", AS_OF)
    verdicts = scores(loaded)
    # Marked sales-qualified: wins over the student and free-mail disqualifiers.
    assert verdicts["Roux"]["stage"] == "sql"
    assert verdicts["Faure"]["stage"] == "sql"
    assert {r["rule"] for r in verdicts["Roux"]["reasons"] if r["part"] == "stage"} == {
        "sql", "disqualifier",
    }
    assert verdicts["Petit"]["stage"] == "customer"
    assert verdicts["Durand"]["stage"] == "disqualified"  # Subscriber is no mark


def test_kind_column_with_aliases(run, loaded):
    result = run("signals", loaded, FIXTURES / "mixed_kinds.csv")
    assert result.exit_code == 1
    assert [r[2:4] for r in activities(loaded)] == [("visit", "https://www.exemple.fr/demo")]
    assert quarantine(loaded)[0][2].startswith("unknown kind 'teleportation'")


def test_missing_columns_are_one_line_errors(run, loaded, tmp_path):
    no_email = write(tmp_path / "a.csv", "date,url\n2026-11-01,https://x.example/\n")
    result = run("signals", loaded, no_email, "--kind", "visit")
    assert result.exit_code == 2
    assert "a.csv: no email column (columns: date, url)" in result.stderr
    no_kind = write(tmp_path / "b.csv", "email,date\nclaire.martin@logiciel-alpha.fr,2026-11-01\n")
    assert "no kind column; pass --kind" in run("signals", loaded, no_kind).stderr
    no_stage = write(tmp_path / "c.csv", "email\nclaire.martin@logiciel-alpha.fr\n")
    assert "needs a lifecycle stage column" in run(
        "signals", loaded, no_stage, "--kind", "crm").stderr
    assert "no such file" in run("signals", loaded, tmp_path / "nope.csv").stderr


def test_unsubscribe_and_suppression_make_opted_out(run, loaded):
    conn = sqlite3.connect(loaded)
    conn.execute(
        "INSERT INTO activities (id, person_id, email_sha256, kind, occurred_at, source,"
        " run_id, imported_at) VALUES ('u1', NULL, ?, 'unsubscribe', '2026-11-20', 'lemlist',"
        " 'r', '2026-11-20')", (email_hash("claire.martin@logiciel-alpha.fr"),))
    conn.commit()
    conn.close()
    run("suppress", loaded, "@client.example")
    run("score", loaded, "--as-of", AS_OF)
    verdicts = scores(loaded)
    assert verdicts["Martin"]["stage"] == "opted_out"
    assert verdicts["Martin"]["temperature"] == "cold"
    assert verdicts["Petit"]["stage"] == "opted_out"


def test_company_signals_from_the_crawler(run, loaded):
    from prospecting.store import Store

    with Store(loaded) as store, store.write():
        cid = store.conn.execute(
            "SELECT company_id FROM people WHERE last_name = 'Martin'").fetchone()[0]
        store.state_facts([(
            cid, "crawl:https://logiciel-alpha.fr/carrieres", "https://logiciel-alpha.fr/",
            "2026-11-20T00:00:00+00:00", 0.7, "crawl-run",
            [["open_positions", "4"], ["careers_url", "https://logiciel-alpha.fr/carrieres"],
             ["technology", "HubSpot"], ["technology", "WordPress"], ["site_language", "fr"]],
        )])
    run("score", loaded, "--as-of", AS_OF)
    signal = {r["rule"]: r for r in scores(loaded)["Martin"]["reasons"] if r["part"] == "signal"}
    assert signal["hiring"]["points"] == 10
    assert "4 open position(s)" in signal["hiring"]["detail"]
    assert signal["technology"]["points"] == 5  # HubSpot only: WordPress is not listed


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-30", "2026-11-30T00:00:00+00:00"),
    ("2026-11-30T10:00:00+01:00", "2026-11-30T09:00:00+00:00"),
    ("2026-11-30T09:00:00Z", "2026-11-30T09:00:00+00:00"),
    ("30/11/2026", "2026-11-30T00:00:00+00:00"),
    ("05/11/2026 14:05", "2026-11-05T14:05:00+00:00"),
    ("1796025600", "2026-11-30T08:00:00+00:00"),
    ("1796025600000", "2026-11-30T08:00:00+00:00"),
    ("31/02/2026", None),
    ("yesterday", None),
    ("", None),
])
def test_parse_moment(text, expected):
    moment = parse_moment(text)
    assert (moment.isoformat() if moment else None) == expected


def test_activities_of_a_merged_record_count_for_the_golden_one(run, loaded):
    run("signals", loaded, FIXTURES / "web_visits.csv", "--kind", "visit")
    run("score", loaded, "--as-of", AS_OF)
    conn = sqlite3.connect(loaded)
    claire, marc = (conn.execute(
        "SELECT id FROM people WHERE last_name = ?", (name,)).fetchone()[0]
        for name in ("Martin", "Blanc"))
    # What dedupe does when it merges Claire's record into Marc's (the golden one).
    conn.execute("UPDATE people SET merged_into = ? WHERE id = ?", (marc, claire))
    conn.commit()
    conn.close()
    run("score", loaded, "--as-of", AS_OF)
    conn = sqlite3.connect(loaded)
    scored = {r[0] for r in conn.execute("SELECT person_id FROM scores")}
    signal = conn.execute("SELECT signal FROM scores WHERE person_id = ?", (marc,)).fetchone()[0]
    conn.close()
    assert claire not in scored
    assert signal > 0  # Claire's visits now count for the golden record


def test_email_engagement_and_site_language(run, loaded, tmp_path):
    """Opens, clicks and replies as the email tools' results import writes them, and the
    crawler's site_language fact."""
    from prospecting.store import Store

    icp = write(tmp_path / "icp.toml", ICP.read_text("utf-8") + """
[[scoring.signals]]
kind = "open"
points = 1
max_points = 2
[[scoring.signals]]
kind = "click"
points = 5
window_days = 30
[[scoring.signals]]
name = "réponse"
kind = "reply"
points = 25
[scoring.fit.site_language]
fr = 4
""")
    with Store(loaded) as store, store.write():
        pid, cid = store.conn.execute(
            "SELECT id, company_id FROM people WHERE last_name = 'Martin'").fetchone()
        store.conn.executemany(
            "INSERT INTO activities (id, person_id, email_sha256, kind, occurred_at, source,"
            " campaign, run_id, imported_at) VALUES (?, ?, ?, ?, ?, 'lemlist', 'q4', 'r', ?)",
            [(f"a{i}", pid, email_hash("claire.martin@logiciel-alpha.fr"), kind, when, when)
             for i, (kind, when) in enumerate([
                 ("open", "2026-11-20T10:00:00+00:00"), ("open", "2026-11-21T10:00:00+00:00"),
                 ("open", "2026-11-22T10:00:00+00:00"), ("click", "2026-11-22T10:01:00+00:00"),
                 ("click", "2026-09-01T10:00:00+00:00"), ("reply", "2026-11-25T08:00:00+00:00"),
                 ("sent", "2026-11-19T08:00:00+00:00"),
             ])])
        store.state_facts([(cid, "crawl:https://logiciel-alpha.fr/", None,
                            "2026-11-20T00:00:00+00:00", 0.7, "crawl",
                            [["site_language", "fr-FR"]])])
    assert run("score", loaded, "--icp", icp, "--as-of", AS_OF).exit_code == 0
    claire = scores(loaded)["Martin"]
    signal = {r["rule"]: r["points"] for r in claire["reasons"] if r["part"] == "signal"}
    assert signal == {"open": 2, "click": 5, "réponse": 25}  # capped; the old click out
    assert {r["rule"]: r["points"] for r in claire["reasons"]
            if r["part"] == "fit"}["site_language"] == 4
