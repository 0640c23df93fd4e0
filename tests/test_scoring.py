"""prospecting score / explain: fit grid, disqualifications, stages, temperature, reasons."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting import api
from prospecting.store import Store

from .conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "scoring"
ICP = FIXTURES / "icp.toml"
PEOPLE = FIXTURES / "people.csv"
AS_OF = "2026-11-30"


def scores(db: Path) -> dict[str, dict]:
    """Every verdict by the person's last name and by their first email."""
    conn = sqlite3.connect(db)
    out = {}
    for row in conn.execute(
        "SELECT p.email, p.last_name, p.stage, p.score, p.temperature, s.fit, s.signal,"
        " s.total, s.stage, s.disqualified_reason, s.reasons, p.emails"
        " FROM people AS p LEFT JOIN scores AS s ON s.person_id = p.id"
    ):
        emails = json.loads(row[11])
        out[row[1]] = out[emails[0]["value"] if emails else row[1]] = {
            "stage": row[2], "score": row[3], "temperature": row[4], "fit": row[5],
            "signal": row[6], "total": row[7], "scores_stage": row[8], "why": row[9],
            "reasons": json.loads(row[10]) if row[10] else [],
        }
    conn.close()
    return out


def rules(verdict: dict, part: str = "fit") -> dict[str, float]:
    return {r["rule"]: r["points"] for r in verdict["reasons"] if r["part"] == part}


@pytest.fixture
def scored(run, db):
    assert run("init", db, "--icp", ICP).exit_code == 0
    assert run("import", db, PEOPLE).exit_code == 0
    assert run("enrich", db, "--offline").exit_code == 0
    result = run("score", db, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return db


def test_fit_grid_rule_by_rule(scored):
    claire = scores(scored)["claire.martin@logiciel-alpha.fr"]
    assert rules(claire) == {
        "title": 20, "seniority": 10, "department": 10, "country": 10,
        "industry": 15,  # 62.01Z beats the shorter prefix 62
        "headcount": 10, "legal_form": 5, "keyword": 5,
    }
    assert claire["fit"] == 85
    assert claire["total"] == 85
    assert claire["signal"] == 0
    assert claire["stage"] == claire["scores_stage"] == "sql"
    assert claire["score"] == 85


def test_industry_prefix_and_headcount_range(scored):
    marc = scores(scored)["Blanc"]
    fit = rules(marc)
    assert fit["industry"] == 5  # 62.02A only matches the "62" prefix
    assert fit["headcount"] == 5  # 25 employees: the 10-49 range


def test_negative_points_and_students_are_disqualified(scored):
    hugo = scores(scored)["hugo.roux@betaconseil.fr"]
    assert hugo["stage"] == "disqualified"
    assert hugo["why"] == "student or school ('stagiaire')"
    nora = scores(scored)["nora.simon@ecole-sup.fr"]
    assert nora["stage"] == "disqualified"
    assert nora["why"].startswith("student or school")


def test_competitor_customer_and_free_mail(scored):
    verdicts = scores(scored)
    assert verdicts["paul.durand@rival.example"]["stage"] == "disqualified"
    assert verdicts["paul.durand@rival.example"]["why"] == "competitor (rival.example)"
    # A competitor with a perfect fit is still out.
    assert verdicts["paul.durand@rival.example"]["total"] >= 80
    assert verdicts["lea.petit@client.example"]["stage"] == "customer"
    yves = verdicts["yves.girard@delta-industrie.fr"]
    assert yves["stage"] == "customer"
    assert any("customer SIREN 732829320" in r["detail"] for r in yves["reasons"])
    ines = verdicts["ines.faure@gmail.com"]
    assert ines["stage"] == "disqualified"
    assert ines["why"] == "personal free-mail address only"
    for verdict in verdicts.values():
        if verdict["stage"] in ("disqualified", "customer", "opted_out"):
            assert verdict["temperature"] == "cold"


def test_no_contact_stays_suspect_whatever_the_score(scored):
    marc = scores(scored)["Blanc"]
    assert marc["total"] >= 50
    assert marc["stage"] == "suspect"
    stage = next(r for r in marc["reasons"] if r["part"] == "stage")
    assert "would make an mql" in stage["detail"]


def test_too_few_points(run, db, tmp_path):
    icp = write(tmp_path / "icp.toml", ICP.read_text("utf-8").replace("min_fit = 10",
                                                                       "min_fit = 70"))
    run("init", db, "--icp", icp)
    run("import", db, PEOPLE)
    run("enrich", db, "--offline")
    assert run("score", db, "--as-of", AS_OF).exit_code == 0
    marc = scores(db)["Blanc"]
    assert marc["stage"] == "disqualified"
    assert marc["why"] == "too few points (fit 65 < 70)"


def test_every_person_gets_a_stage_score_and_temperature(scored):
    for verdict in scores(scored).values():
        assert verdict["stage"] in api_stages()
        assert verdict["temperature"] in ("hot", "warm", "cold")
        assert isinstance(verdict["score"], float)


def api_stages() -> set[str]:
    from sequences.scoring import STAGES

    return set(STAGES)


def test_rescoring_writes_nothing(run, scored):
    result = run("score", scored, "--as-of", AS_OF)
    assert "written 0" in result.output
    assert "unchanged 8" in result.output


def test_stage_survives_a_refresh_from_import_and_enrich(run, scored, tmp_path):
    before = scores(scored)
    changed = write(tmp_path / "more.csv", PEOPLE.read_text("utf-8").replace(
        "Directeur commercial,Alpha Logiciel SAS", "Directeur commercial France,Alpha Logiciel SAS"
    ))
    assert run("import", scored, changed).exit_code == 0
    assert run("enrich", scored, "--offline").exit_code == 0
    after = scores(scored)
    for key, verdict in before.items():
        assert (after[key]["stage"], after[key]["score"], after[key]["temperature"]) == (
            verdict["stage"], verdict["score"], verdict["temperature"]
        )
    people = {p["email"]: p for p in dump(scored)}
    assert people["claire.martin@logiciel-alpha.fr"]["title"] == "Directeur commercial France"
    assert people["claire.martin@logiciel-alpha.fr"]["stage"] == "sql"
    claire = "claire.martin@logiciel-alpha.fr"
    assert "their data changed since" in run("explain", scored, claire).output
    run("score", scored, "--as-of", AS_OF)
    assert "changed since" not in run("explain", scored, claire).output


def test_explain_text_and_json(run, scored):
    result = run("explain", scored, "Claire.Martin@logiciel-alpha.fr")
    assert result.exit_code == 0
    assert "stage sql, temperature warm, total 85 (fit 85 + signals 0)" in result.output
    assert "+20  title: title matches persona 'sales' (Directeur commercial)" in result.output
    data = json.loads(run("explain", scored, "claire.martin@logiciel-alpha.fr", "--json").stdout)
    assert data["stage"] == "sql"
    assert data["fit"] == 85
    assert data["total"] == 85
    assert {"part": "fit", "rule": "industry", "points": 15,
            "detail": "industry 62.01Z (grid 62.01Z)"} in data["reasons"]
    paul = json.loads(run("explain", scored, "paul.durand@rival.example", "--json").stdout)
    assert paul["disqualified_reason"] == "competitor (rival.example)"


def test_explain_unknown_address_is_one_line(run, scored):
    result = run("explain", scored, "nobody@nowhere.example")
    assert result.exit_code == 2
    assert "nobody with the address" in result.stderr


def test_explain_before_scoring(run, db):
    run("import", db, PEOPLE)
    result = run("explain", db, "claire.martin@logiciel-alpha.fr")
    assert result.exit_code == 0
    assert "not scored yet" in result.output


def test_score_without_an_icp_uses_the_default_and_says_so(run, db):
    run("import", db, PEOPLE)
    result = run("score", db, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "no ICP was stored" in result.output
    info = json.loads(run("status", db, "--json").stdout)
    assert info["icp"]["name"] == "default"
    assert sum(info["stages"].values()) == len(dump(db))
    # A real ICP given later takes over.
    assert run("score", db, "--icp", ICP, "--as-of", AS_OF).exit_code == 0
    assert json.loads(run("status", db, "--json").stdout)["icp"]["name"] == "test-grid"


def test_score_with_icp_file_stores_it(run, db):
    run("import", db, PEOPLE)
    assert run("score", db, "--icp", ICP, "--as-of", AS_OF).exit_code == 0
    info = json.loads(run("status", db, "--json").stdout)
    assert info["icp"]["name"] == "test-grid"
    # Not enriched: no seniority nor department yet, so fewer points than after enrich.
    assert sum(info["stages"].values()) == 8
    assert "unscored" not in info["stages"]


def test_bad_as_of_and_bad_grid(run, db, tmp_path):
    run("import", db, PEOPLE)
    assert "--as-of" in run("score", db, "--icp", ICP, "--as-of", "30/11/2026").stderr
    bad = write(tmp_path / "bad.toml", 'name = "x"\n[scoring]\nmql = 90\nsql = 50\n'
                '[scoring.fit.seniority]\nboss = 3\n[[scoring.signals]]\nkind = "visits"\n'
                'points = "ten"\n')
    result = run("score", db, "--icp", bad)
    assert result.exit_code == 2
    assert "key 'scoring.fit.seniority.boss': unknown seniority 'boss'" in result.stderr
    assert "unknown signal kind 'visits' (did you mean 'visit'?)" in result.stderr
    assert "key 'scoring.signals[0].points': expected a number" in result.stderr
    assert f"{bad}:" in result.stderr


def test_forget_deletes_the_score(run, scored):
    assert run("forget", scored, "claire.martin@logiciel-alpha.fr").exit_code == 0
    with Store(scored) as store:
        assert store.conn.execute("SELECT count(*) FROM scores").fetchone()[0] == 7
    assert b"claire.martin" not in scored.read_bytes()


def test_api_score_returns_counts(db):
    api.import_files(db, [PEOPLE])
    api.enrich(db, offline=True)
    report = api.score(db, icp=ICP, as_of=AS_OF)
    assert report.read == 8
    assert report.written == 8
    assert any(m.startswith("stages: ") and "customer 2" in m for m in report.messages)


# ---------------------------------------------------------------------------------------------
# Segments: the outreach lists leave out who is not prospected; the newsletter takes them

FORMATS = ("lemlist", "instantly", "smartlead", "hubspot", "brevo", "mailchimp", "apollo",
           "salesforce", "csv", "jsonl")


@pytest.mark.parametrize("fmt", FORMATS)
def test_newsletter_segment_in_every_format(run, scored, tmp_path, fmt):
    run("suppress", scored, "lea.petit@client.example")
    run("score", scored, "--as-of", AS_OF)
    out = tmp_path / f"newsletter.{fmt}"
    result = run("export", scored, "--format", fmt, "--out", out, "--segment", "newsletter")
    assert result.exit_code == 0, result.output
    text = "".join(p.read_text("utf-8-sig") for p in tmp_path.glob("newsletter*"))
    # Disqualified (competitor, student, school) and the SIREN customer; never the
    # suppressed customer, never a prospect.
    for email in ("paul.durand@rival.example", "hugo.roux@betaconseil.fr",
                  "nora.simon@ecole-sup.fr", "yves.girard@delta-industrie.fr"):
        assert email in text, (fmt, email)
    for email in ("lea.petit@client.example", "claire.martin@logiciel-alpha.fr"):
        assert email not in text, (fmt, email)


def test_newsletter_jsonl_holds_exactly_the_newsletter_stages(run, scored, tmp_path):
    out = tmp_path / "n.jsonl"
    run("export", scored, "--format", "jsonl", "--out", out, "--segment", "newsletter")
    people = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(p["stage"] for p in people) == ["customer"] * 2 + ["disqualified"] * 4
    assert not any(p["suppressed"] for p in people)


def test_outreach_segments_leave_out_who_is_not_prospected(run, scored, tmp_path):
    seen = []
    for segment in ("enriched", "non-enriched"):
        out = tmp_path / f"{segment}.jsonl"
        result = run("export", scored, "--format", "jsonl", "--out", out, "--segment", segment)
        assert "skipped not prospected" in result.output or segment == "non-enriched"
        seen += [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(p["stage"] for p in seen) == ["sql", "suspect"]


def test_unscored_people_stay_in_the_outreach_segments(run, db, tmp_path):
    run("import", db, PEOPLE)
    run("enrich", db, "--offline")
    total = 0
    for segment in ("enriched", "non-enriched"):
        out = tmp_path / f"{segment}.jsonl"
        run("export", db, "--format", "jsonl", "--out", out, "--segment", segment)
        total += len(out.read_text("utf-8").splitlines())
    assert total == 8
    out = tmp_path / "n.csv"
    run("export", db, "--format", "csv", "--out", out, "--segment", "newsletter")
    assert len(out.read_text("utf-8").splitlines()) == 1  # the header: nobody scored yet


def test_opted_out_is_never_in_a_tool_export(run, scored, tmp_path):
    conn = sqlite3.connect(scored)
    conn.execute(
        "INSERT INTO activities (id, person_id, kind, occurred_at, source, run_id, imported_at)"
        " SELECT 'u1', id, 'unsubscribe', '2026-11-20', 'brevo', 'r', '2026-11-20' FROM people"
        " WHERE last_name = 'Martin'")
    conn.commit()
    conn.close()
    run("score", scored, "--as-of", AS_OF)
    out = tmp_path / "h.csv"
    run("export", scored, "--format", "hubspot", "--out", out)
    assert "claire.martin" not in out.read_text("utf-8")
    claire = next(p for p in dump(scored) if p["last_name"] == "Martin")
    assert claire["stage"] == "opted_out"
    assert claire["suppressed"] is True


def test_status_counts_stages_temperatures_and_segments(run, scored):
    info = json.loads(run("status", scored, "--json").stdout)
    assert info["stages"] == {"customer": 2, "disqualified": 4, "sql": 1, "suspect": 1}
    assert sum(info["temperatures"].values()) == 8
    assert info["segments"]["newsletter"] == 6
    assert sum(info["segments"].values()) == 8
    text = run("status", scored).output
    assert "temperatures: " in text
    assert "segments: " in text


def test_demo_scores_and_writes_the_newsletter(run, tmp_path):
    target = tmp_path / "demo.db"
    result = run("demo", target)
    assert result.exit_code == 0
    assert "score:" in result.output
    assert (tmp_path / "demo-exports" / "brevo-newsletter.csv").exists()
    info = json.loads(run("status", target, "--json").stdout)
    assert "unscored" not in info["stages"]
    assert info["segments"]["newsletter"] > 0


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.emails())
def test_fast_email_key_equals_the_privacy_one(text):
    from prospecting.privacy import normalize_email_key
    from sequences.scoring import _email_key

    assert _email_key(text) == normalize_email_key(text)


# ---------------------------------------------------------------------------------------------
# Adversarial input through the whole pipeline


def test_adversarial_files_through_the_whole_pipeline(run, db, tmp_path):
    assert run("init", db, "--icp", ICP).exit_code == 0
    assert run("import", db, FIXTURES / "adversarial.csv").exit_code in (0, 1)
    assert run("suppress", db, "@bloque.example").exit_code == 0
    signals = run("signals", db, FIXTURES / "adversarial_signals.csv", "--kind", "visit")
    assert signals.exit_code == 1, signals.output
    assert run("forget", db, "oubli.moi@logiciel-alpha.fr").exit_code == 0
    assert run("enrich", db, "--offline").exit_code == 0
    first = run("score", db, "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    assert "written 0" in run("score", db, "--as-of", AS_OF).output

    people = dump(db)
    assert all(p["stage"] and p["temperature"] and p["score"] is not None for p in people)
    by_last = {p["last_name"]: p for p in people}
    assert "Moi" not in by_last
    assert by_last["Domaine"]["stage"] == "opted_out"
    assert by_last["Dupont"]["stage"] == "disqualified"  # RIVAL.example, upper case
    assert by_last["Roux"]["stage"] == "disqualified"  # alternance
    assert by_last["Gratuit"]["stage"] == "disqualified"  # free-mail only
    assert by_last["Lefèvre"]["stage"] != "disqualified"  # a work address beside gmail
    # Visits: the "Name <ADDRESS>" one counts; the epoch-ms one is after the as-of
    # moment, the 1970 one outside the window; the rest quarantined.
    zoe = json.loads(run("explain", db, "zoe@logiciel-alpha.fr", "--json").stdout)
    assert zoe["signal"] > 0
    assert any(r["detail"].startswith("1 × visit, last 2026-11-29: https://x.example/demo")
               for r in zoe["reasons"])
    with Store(db) as store:
        reasons = sorted(r[0] for r in store.conn.execute(
            "SELECT reason FROM quarantine WHERE source = 'adversarial_signals.csv'"))
    # Read again after forget: the forgotten address is skipped, not quarantined in clear.
    again = run("signals", db, FIXTURES / "adversarial_signals.csv", "--kind", "visit")
    assert "skipped: suppressed or forgotten address 1" in again.output
    assert any(r.startswith("date in the future") for r in reasons)
    assert any(r.startswith("unreadable date") for r in reasons)
    assert b"oubli.moi" not in db.read_bytes()
    with Store(db) as store:
        details = [r[0] for r in store.conn.execute("SELECT detail FROM activities")]
    assert "https://x.example/tarifs?email=[email]" in details
    assert not any("zoe@" in d for d in details)

    for fmt in FORMATS:
        for segment in (None, "enriched", "non-enriched", "newsletter"):
            out = tmp_path / f"{fmt}-{segment}.out"
            args = ["export", db, "--format", fmt, "--out", out]
            result = run(*args, *(["--segment", segment] if segment else []))
            assert result.exit_code == 0, (fmt, segment, result.output)
            if fmt != "jsonl":
                text = "".join(p.read_text("utf-8-sig") for p in tmp_path.glob(f"{fmt}-{segment}*"))
                assert "b@bloque.example" not in text
    for person in people:
        if person["email"]:
            assert run("explain", db, person["email"]).exit_code == 0


def test_bad_input_fixtures_score_without_error(run, db):
    bad = Path(__file__).parent / "fixtures" / "bad_inputs"
    run("init", db, "--icp", ICP)
    for path in sorted(bad.iterdir()):
        if path.suffix in (".csv", ".txt", ".jsonl"):
            assert run("import", db, path).exit_code in (0, 1), path
    run("enrich", db, "--offline")
    result = run("score", db)
    assert result.exit_code == 0, result.output
    info = json.loads(run("status", db, "--json").stdout)
    assert "unscored" not in info["stages"]
    assert sum(info["segments"].values()) == info["tables"]["people"]
