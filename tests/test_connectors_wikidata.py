"""Wikidata through the CLI, with SPARQL answers in the real results format on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from prospecting.connectors.replay import ReplayServer
from prospecting.models import make_id
from tests.conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "wikidata"
FORMAT_EXAMPLE = (FIXTURES / "sparql_results_json_format_example.json").read_bytes()
XSD = "http://www.w3.org/2001/XMLSchema#"


def uri(qid: str) -> dict:
    return {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"}


def lit(value: str, datatype: str | None = None, lang: str | None = None) -> dict:
    out = {"type": "literal", "value": value}
    if datatype:
        out["datatype"] = XSD + datatype
    if lang:
        out["xml:lang"] = lang
    return out


# No recorded company answer exists (see the fixture README): these rows follow the
# sparql-results+json format of the recorded example, for made-up companies.
ANSWER = {
    "head": {"vars": ["item", "name", "website", "employees", "inception", "country",
                      "siren", "ukNumber", "cik", "lei", "industryLabel"]},
    "results": {"bindings": [
        {"item": uri("Q99990001"), "name": lit("Logiciels Exemple", lang="fr"),
         "website": {"type": "uri", "value": "https://www.logiciels-exemple.example/"},
         "employees": lit("120", "decimal"), "inception": lit("2009-04-01T00:00:00Z",
                                                              "dateTime"),
         "country": lit("FR"), "siren": lit("372 274 738"),
         "industryLabel": lit("software industry", lang="en")},
        {"item": uri("Q99990002"), "name": lit("Example Software Ltd", lang="en"),
         "employees": lit("4000", "decimal"), "country": lit("GB"),
         "ukNumber": lit("13090621"), "industryLabel": lit("software industry", lang="en")},
        {"item": uri("Q99990003"), "name": lit("Sans Site", lang="fr"), "country": lit("FR"),
         "industryLabel": lit("software industry", lang="en")},
    ]},
}


@pytest.fixture
def server():
    with ReplayServer() as srv:
        yield srv


@pytest.fixture
def cfg(run, db: Path, tmp_path: Path) -> Path:
    icp = write(tmp_path / "icp.toml", 'name = "eu"\n[firmographics]\n'
                                       'countries = ["FR", "GB"]\nheadcount = [[10, 499]]\n')
    assert run("init", db, "--icp", icp).exit_code == 0
    return write(tmp_path / "prospecting.toml",
                 "[http]\ncache = false\nretries = 1\nbackoff_factor = 0.0\n")


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_companies_from_sparql(run, db: Path, cfg: Path, server: ReplayServer):
    server.add("/sparql", json.dumps(ANSWER), content_type="application/sparql-results+json")
    result = run("source", db, "wikidata", "--base-url", server.url, "--industry", "Q638608",
                 "--config", cfg)
    assert result.exit_code == 0, result.output
    seen = server.requests[0]
    assert seen.headers["Accept"] == "application/sparql-results+json"
    assert "wd:Q638608" in seen.query["query"]
    assert 'VALUES ?iso { "FR" "GB" }' in seen.query["query"]
    assert "LIMIT 200" in seen.query["query"]
    assert "OFFSET 0" in seen.query["query"]
    companies = {c["name"]: c for c in dump(db, "--kind", "companies")}
    assert set(companies) == {"Logiciels Exemple", "Sans Site"}  # 4,000 staff: outside
    first = companies["Logiciels Exemple"]
    assert first["id"] == make_id("company", "siren:372274738")
    assert first["domain"] == "logiciels-exemple.example"
    assert first["headcount"] == "120"
    assert first["legal_ids"] == {"siren": "372274738"}
    reasons = dict(rows(db, "SELECT record_id, reasons FROM icp_verdicts"))
    assert "120 employees (P1128) within the ICP ranges" in reasons["Q99990001"]
    assert "outside the ICP ranges" in reasons["Q99990002"]
    # 3 rows < LIMIT: the query is complete.
    assert rows(db, "SELECT status FROM cursors") == [("done",)]


def test_other_sparql_shapes_are_quarantined(run, db: Path, cfg: Path, server: ReplayServer):
    server.add("/sparql", FORMAT_EXAMPLE, content_type="application/sparql-results+json")
    result = run("source", db, "wikidata", "--base-url", server.url, "--industry", "Q638608",
                 "--config", cfg)
    assert result.exit_code == 1
    assert rows(db, "SELECT count(*) FROM companies") == [(0,)]
    assert rows(db, "SELECT count(*) FROM quarantine")[0][0] > 0


def test_sparql_timeout_page_is_quarantined(run, db: Path, cfg: Path, server: ReplayServer):
    server.add("/sparql", "java.util.concurrent.TimeoutException", status=500,
               content_type="text/plain")
    result = run("source", db, "wikidata", "--base-url", server.url, "--industry", "Q638608",
                 "--config", cfg)
    assert result.exit_code == 1
    assert "HTTP 500" in rows(db, "SELECT reason FROM quarantine")[0][0]
    assert rows(db, "SELECT status FROM cursors") == [("open",)]


def test_industry_is_required(run, db: Path, cfg: Path):
    result = run("source", db, "wikidata", "--config", cfg)
    assert result.exit_code == 2
    assert "--industry" in result.stderr
