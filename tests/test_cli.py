"""The CLI as a user runs it: exit codes, one-line errors, CLI.md shapes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from prospecting.cli import cli

from .conftest import DEMO, dump, write

COMMANDS = sorted(cli.commands)

DUMP_KEYS = {
    "id", "first_name", "last_name", "full_name", "title", "seniority", "department", "email",
    "emails", "phone", "phones", "linkedin_url", "company", "tags", "suppressed", "stage",
    "score", "temperature", "source_ids", "address", "postcode", "city", "region", "country",
    "extra", "sources", "steps",
}
COMPANY_KEYS = {
    "id", "name", "legal_name", "domain", "website", "country", "city", "siren", "siret", "vat",
    "naf", "headcount", "legal_ids", "emails", "phones", "people_count", "source_ids", "sources",
}


def test_every_contract_command_exists():
    assert set(COMMANDS) >= {
        "init", "import", "crawl", "source", "enrich", "dedupe", "unmerge", "score",
        "sequence", "export", "suppress", "forget", "status", "demo",
    }


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from prospecting.cli import main; sys.argv=['prospecting','--help']\n"
            "try:\n main()\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('scrapy', 'twisted', 'sqlite_utils', 'tldextract',"
            " 'charset_normalizer', 'phonenumbers', 'rapidfuzz', 'requests') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out


def test_init_stores_icp_and_status_json(run, db):
    from importlib import resources

    icp = Path(str(resources.files("prospecting.data").joinpath("icp.example.toml")))
    assert run("init", db, "--icp", icp).exit_code == 0
    result = run("status", db, "--json")
    info = json.loads(result.stdout)
    assert info["tables"]["people"] == 0
    assert info["icp"]["name"]
    assert info["runs"][0]["command"] == "init"


def test_bad_icp_is_refused_with_key_and_line(run, db, tmp_path):
    icp = write(tmp_path / "icp.toml", 'name = "x"\n[firmographics]\ncountrys = ["FR"]\n')
    result = run("init", db, "--icp", icp)
    assert result.exit_code == 2
    assert "countrys" in result.stderr
    assert ":3" in result.stderr
    assert not db.exists() or json.loads(run("status", db, "--json").stdout)["icp"] is None


def test_import_exit_codes_and_messages(run, db):
    result = run("import", db, DEMO / "crm_export.csv", "--id-column", "Record ID",
                 "--source", "crm")
    assert result.exit_code == 1
    assert "4 row(s) quarantined" in result.stderr
    ok = run("import", db, DEMO / "crm_export.csv", "--id-column", "Record ID", "--source",
             "crm")
    assert ok.exit_code == 1  # the same bad rows are still reported


def test_missing_input_file_is_one_line(run, db, tmp_path):
    result = run("import", db, tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "nope.csv" in result.stderr


def test_corrupt_database_is_one_line(run, tmp_path):
    bad = write(tmp_path / "bad.db", b"\x00garbage" * 100)
    result = run("status", bad)
    assert result.exit_code == 2
    assert "not a SQLite database" in result.stderr
    assert "Traceback" not in result.output


def test_database_in_missing_folder(run, tmp_path):
    result = run("status", tmp_path / "no" / "x.db")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_option_before_or_after_subcommand(run, db, tmp_path, where):
    config = write(tmp_path / "p.toml", "[dns]\ntimeout = 3\n")
    args = ["--config", config, "status", db] if where == "before" else [
        "status", db, "--config", config]
    result = run(*args)
    assert result.exit_code == 2
    assert "dns.timeout" in result.stderr


def test_config_from_environment(run, db, tmp_path, monkeypatch):
    config = write(tmp_path / "p.toml", "[http]\nrequests_per_second = -1\n")
    monkeypatch.setenv("PROSPECTING_CONFIG", str(config))
    result = run("status", db)
    assert result.exit_code == 2
    assert "requests_per_second" in result.stderr


def test_jsonl_dump_has_exactly_the_contract_keys(run, db):
    run("import", db, DEMO / "crm_export.csv", "--id-column", "Record ID", "--source", "crm")
    people = dump(db)
    assert people
    for person in people:
        assert set(person) == DUMP_KEYS
        assert sum(t in ("enriched", "non-enriched") for t in person["tags"]) == 1
        for email in person["emails"]:
            assert set(email) == {"value", "status", "flags", "reason", "sources"}
            assert email["status"] in ("valid", "risky", "invalid", "unknown")
        for phone in person["phones"]:
            assert set(phone) == {"raw", "e164", "valid", "type", "reason", "sources"}
        if person["company"] is not None:
            assert set(person["company"]) == {"name", "domain", "website", "country", "siren"}
    companies = dump(db, "--kind", "companies")
    assert companies
    assert all(set(c) == COMPANY_KEYS for c in companies)
    assert sum(c["people_count"] for c in companies) == sum(
        1 for p in people if p["company"])


def test_csv_export_is_formula_safe(run, db, tmp_path):
    path = write(tmp_path / "evil.csv",
                 "first_name,last_name,email,title,phone\n"
                 "=HYPERLINK(\"http://evil.test\"),Doe,a@x.example,@Home manager,"
                 "+33 1 99 00 12 34\n"
                 "Ana,-Bis-,b@x.example,\"line1\nline2\",+441619460123\n")
    run("import", db, path)
    out = tmp_path / "out.csv"
    assert run("export", db, "--format", "csv", "--out", out).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_email = {r["email"]: r for r in rows}
    assert by_email["a@x.example"]["first_name"].startswith("'=")
    assert by_email["a@x.example"]["title"] == "'@Home manager"
    assert by_email["b@x.example"]["last_name"] == "'-Bis-"
    assert by_email["b@x.example"]["title"] == "line1 line2"
    assert by_email["b@x.example"]["phone"] == "+441619460123"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or (value.startswith(
                "+") and value[1:].isdigit())


@pytest.mark.parametrize(
    "fmt",
    ["lemlist", "instantly", "smartlead", "hubspot", "brevo", "mailchimp", "apollo",
     "salesforce"],
)
def test_email_tool_exports_leave_out_suppressed_and_say_why(run, db, tmp_path, fmt):
    run("import", db, DEMO / "crm_export.csv", "--id-column", "Record ID", "--source", "crm")
    run("enrich", db, "--offline")
    suppressed = next(p for p in dump(db) if p["email"])
    run("suppress", db, suppressed["email"])
    out = tmp_path / f"{fmt}.csv"
    result = run("export", db, "--format", fmt, "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert suppressed["email"] not in text
    assert "left out: suppressed" in result.output
    delimiter = ";" if fmt == "brevo" else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    assert len(rows) >= 2  # a header and people


def test_suppressed_people_are_flagged_in_dump_and_left_out_of_csv(run, db, tmp_path):
    run("import", db, DEMO / "crm_export.csv", "--id-column", "Record ID", "--source", "crm")
    person = next(p for p in dump(db) if p["email"])
    domain = person["email"].split("@")[1]
    assert run("suppress", db, f"@{domain}").exit_code == 0
    flagged = [p for p in dump(db) if p["suppressed"]]
    assert flagged
    assert all(p["email"] is None or p["email"].endswith(domain) or any(
        e["value"].endswith(domain) for e in p["emails"]) for p in flagged)
    out = tmp_path / "o.csv"
    run("export", db, "--format", "csv", "--out", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows
    assert not any(r["email"].endswith(domain) for r in rows)


def test_bad_suppression_value_is_refused(run, db):
    result = run("suppress", db, "not-an-address")
    assert result.exit_code == 2
    assert "not-an-address" in result.stderr


def test_demo_twice_gives_the_same_counts(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run("demo")
    assert first.exit_code == 0, first.output
    assert (tmp_path / "demo.db").exists()
    assert (tmp_path / "demo-exports" / "people.jsonl").exists()
    people_1 = json.loads(run("status", "demo.db", "--json").stdout)["tables"]
    assert run("demo").exit_code == 0
    people_2 = json.loads(run("status", "demo.db", "--json").stdout)["tables"]
    assert people_1["people"] == people_2["people"] > 100
    assert people_1["statements"] == people_2["statements"]
    assert people_1["quarantine"] == people_2["quarantine"]


def test_demo_with_explicit_db_writes_exports_beside_it(run, tmp_path):
    target = tmp_path / "sub" / "d.db"
    target.parent.mkdir()
    assert run("demo", target).exit_code == 0
    assert (tmp_path / "sub" / "demo-exports" / "people.jsonl").exists()


def test_console_script_runs(tmp_path):
    exe = Path(sys.executable).with_name("prospecting")
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    out = subprocess.run([exe, "status", tmp_path / "x.db", "--json"], capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout)["tables"]["people"] == 0
