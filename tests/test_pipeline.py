"""The whole pipeline on an adversarial French CRM export, as a user runs it.

import → suppress → forget → enrich --offline → dedupe → score → sequence → every
export format, then the rules that must hold on every file written.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from .conftest import dump, write

FORMATS = ("lemlist", "instantly", "smartlead", "hubspot", "brevo", "mailchimp", "apollo",
           "salesforce", "csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
E164 = re.compile(r"^\+[1-9]\d{1,14}$")

HEADER = "ID;Prénom;Nom;E-mail;Téléphone;Société;Fonction;Site web;Ville;Pays"
ROWS = [
    # formula injection in every kind of cell
    '1;"=HYPERLINK(""http://evil.example"";""clic"")";Dupont;jdupont@acme-conseil.fr;'
    "06 12 34 56 78;Acme Conseil SAS;Directeur commercial;https://acme-conseil.fr;Lyon;France",
    "2;Hélène;Lefèvre;helene.lefevre@acme-conseil.fr;+33 1 23 45 67 89;@SUM(1+1);"
    "-2+3 Responsable marketing;acme-conseil.fr;Lyon;FR",
    # the same person again, as another source spells her
    "3;HÉLÈNE;LEFEVRE;Helene.Lefevre@Acme-Conseil.fr;01.23.45.67.89;ACME CONSEIL;"
    "Responsable Marketing;;Lyon;France",
    # a role address with a name, a malformed address, a free-mail-only person
    "4;Service;Commercial;commercial@acme-conseil.fr;;Acme Conseil;;;;France",
    "5;Jean;Malformé;jean@@acme-conseil;0612;Acme Conseil;Chargé d'affaires;;;France",
    "6;Jeanne;Dupuis;jeanne.dupuis@gmail.com;07 98 76 54 32;;;;Paris;France",
    # people about to be suppressed (address, whole domain) and forgotten
    "7;Paul;Bernard;paul.bernard@beta-industrie.fr;;Beta Industrie SARL;DAF;;Nantes;France",
    "8;Luc;Girard;luc.girard@gamma-sarl.fr;+33 4 72 00 00 00;Gamma SARL;PDG;;Lyon;France",
    "9;Claire;Roux;claire.roux@delta-sas.fr;06 11 22 33 44;Delta SAS;DRH;;Lille;France",
    # a British prospect and a US one with a +tab name
    "10;Oliver;Smith;oliver.smith@northwind.co.uk;020 7946 0958;Northwind Ltd;Head of Sales;"
    "northwind.co.uk;London;United Kingdom",
    "11;\tTab;Leading;tab.leading@contoso-inc.com;(415) 555-0132;Contoso Inc;VP Marketing;;"
    "San Francisco;US",
    # unusable rows: nothing to contact nor a name, and too many fields
    "12;;;;;;;;;France",
    "13;Trop;De;champs@acme-conseil.fr;;Acme;;;;France;extra;extra",
]
READ = len(ROWS)
FORGOTTEN = "claire.roux@delta-sas.fr"
SUPPRESSED = ("paul.bernard@beta-industrie.fr", "@gamma-sarl.fr")


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from click.testing import CliRunner

    from prospecting.cli import cli

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, [str(a) for a in args], obj={}, catch_exceptions=False)

    tmp = tmp_path_factory.mktemp("pipeline")
    db = tmp / "prospects.db"
    src = write(tmp / "crm.csv", "\r\n".join([HEADER, *ROWS]) + "\r\n", encoding="cp1252")
    results = {"import": run("import", db, src, "--source", "crm", "--id-column", "ID")}
    results["suppress"] = run("suppress", db, *SUPPRESSED)
    results["forget"] = run("forget", db, FORGOTTEN)
    results["enrich"] = run("enrich", db, "--offline")
    results["dedupe"] = run("dedupe", db)
    results["score"] = run("score", db)
    results["sequence"] = run("sequence", db, "--start", "2026-12-07")
    files: dict[str, list[Path]] = {}
    for fmt in FORMATS:
        for segment in ("enriched", "non-enriched", "newsletter"):
            out = tmp / "out" / f"{fmt}-{segment}.csv"
            out.parent.mkdir(exist_ok=True)
            results[f"export {fmt} {segment}"] = run(
                "export", db, "--format", fmt, "--out", out, "--segment", segment)
            files.setdefault(fmt, []).extend(sorted(out.parent.glob(f"{fmt}-{segment}*.csv")))
    return {"db": db, "tmp": tmp, "results": results, "files": files, "dump": dump(db)}


def test_every_command_ran(pipeline: dict):
    for name, result in pipeline["results"].items():
        expected = (1,) if name == "import" else (0, 1)
        assert result.exit_code in expected, (name, result.output)
        assert "Traceback" not in result.output


def test_no_row_lost(pipeline: dict):
    conn = sqlite3.connect(pipeline["db"])
    quarantined = {r[0] for r in conn.execute("SELECT row FROM quarantine")}
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    assert {13, 14} <= quarantined
    stored = set()
    for person in pipeline["dump"]:
        stored.update(s.split(":", 1)[1] for s in person["source_ids"] if s.startswith("crm:"))
    # Every row id is either behind a person, in quarantine, or forgotten.
    expected = {str(i) for i in range(1, 12)} - {"9"}
    assert expected <= stored


def test_duplicates_merged(pipeline: dict):
    helene = [p for p in pipeline["dump"] if "crm:2" in p["source_ids"]]
    assert len(helene) == 1
    assert "crm:3" in helene[0]["source_ids"]


def test_forgotten_address_is_nowhere(pipeline: dict):
    needle = FORGOTTEN.encode()
    for path in pipeline["db"].parent.glob("prospects.db*"):
        assert needle not in path.read_bytes(), path
    for paths in pipeline["files"].values():
        for path in paths:
            assert FORGOTTEN not in path.read_text("utf-8").lower()
    assert all(FORGOTTEN not in json.dumps(p).lower() for p in pipeline["dump"])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_no_formula_cell_in_any_export(pipeline: dict):
    for paths in pipeline["files"].values():
        for path in paths:
            for row in _rows(path):
                for value in row.values():
                    if E164.match(value or ""):  # a validated phone is written as is (DS-1)
                        continue
                    assert not (value or "").startswith(FORMULA_STARTS), (path.name, value)


def test_suppressed_never_exported(pipeline: dict):
    for paths in pipeline["files"].values():
        for path in paths:
            text = path.read_text("utf-8").lower()
            assert "paul.bernard@beta-industrie.fr" not in text, path.name
            assert "@gamma-sarl.fr" not in text, path.name
    flags = {p["email"]: p["suppressed"] for p in pipeline["dump"] if p["email"]}
    assert flags["paul.bernard@beta-industrie.fr"] is True
    assert flags["luc.girard@gamma-sarl.fr"] is True


def test_mailchimp_has_no_role_address(pipeline: dict):
    for path in pipeline["files"]["mailchimp"]:
        for row in _rows(path):
            assert not any(v.lower().startswith("commercial@") for v in row.values())


def test_each_person_has_one_segment_tag(pipeline: dict):
    for person in pipeline["dump"]:
        assert len({"enriched", "non-enriched"} & set(person["tags"])) == 1, person["id"]


def test_at_most_three_emails_in_any_30_days(pipeline: dict):
    for person in pipeline["dump"]:
        dues = sorted(
            datetime.fromisoformat(s["due"]) for s in person["steps"] if s["channel"] == "email"
        )
        for i, start in enumerate(dues):
            window = [d for d in dues[i:] if d - start < timedelta(days=30)]
            assert len(window) <= 3, person["id"]


def test_no_outreach_for_suppressed_people(pipeline: dict):
    for person in pipeline["dump"]:
        if person["suppressed"]:
            assert person["steps"] == [], person["id"]


def test_every_stored_phone_is_e164_or_kept_invalid(pipeline: dict):
    for person in pipeline["dump"]:
        for phone in person["phones"]:
            if phone["valid"]:
                assert phone["e164"].startswith("+")
            else:
                assert phone["e164"] is None
                assert phone["reason"]
