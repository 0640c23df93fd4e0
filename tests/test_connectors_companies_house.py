"""Companies House through the CLI, replaying recorded answers on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest

from prospecting.connectors.replay import ReplayServer
from prospecting.models import make_id
from tests.conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "companies_house"
SEARCH = json.loads((FIXTURES / "search_companies_q-shell_items_per_page-2.json").read_text())
OFFICERS = json.loads((FIXTURES / "company_13090621_officers.json").read_text())

# No recorded company profile exists (see the fixture README): this one follows the
# documented companyProfile fields, for the company whose officers were recorded.
PROFILE_13090621 = {
    "company_name": "EXAMPLE TRADING LTD", "company_number": "13090621",
    "company_status": "active", "type": "ltd", "date_of_creation": "2020-12-18",
    "jurisdiction": "england-wales", "sic_codes": ["62012", "62020"],
    "registered_office_address": {"premises": "476-478", "address_line_1": "Broadway",
                                  "address_line_2": "Chadderton", "locality": "Oldham",
                                  "postal_code": "OL9 9NS", "country": "England"},
    "previous_company_names": [], "has_charges": False, "can_file": True,
    "links": {"self": "/company/13090621", "officers": "/company/13090621/officers"},
    "etag": "0d3b2c1a",
}
SOFTWARE_UK = ('name = "uk-software"\n[firmographics]\ncountries = ["GB"]\n'
               'legal_forms = ["Ltd"]\n'
               '[[firmographics.industries]]\nscheme = "uk_sic"\ncode = "62012"\n')


@pytest.fixture
def server():
    with ReplayServer() as srv:
        yield srv


@pytest.fixture
def cfg(run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("COMPANIES_HOUSE_API_KEY", raising=False)
    icp = write(tmp_path / "icp.toml", SOFTWARE_UK)
    assert run("init", db, "--icp", icp).exit_code == 0
    return write(tmp_path / "prospecting.toml",
                 '[http]\ncache = false\nretries = 1\nbackoff_factor = 0.0\n'
                 'requests_per_second = 100.0\n'
                 '[connectors.companies_house]\napi_key = { env = "CH_KEY_FOR_TESTS" }\n'
                 'requests_per_second = 100.0\n')


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_company_number_profile_and_officers(run, db: Path, cfg: Path, server: ReplayServer,
                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CH_KEY_FOR_TESTS", "test-key-123")
    server.add("/company/13090621", PROFILE_13090621)
    server.add("/company/13090621/officers", OFFICERS)
    result = run("source", db, "companies_house", "--base-url", server.url, "--number",
                 "13090621", "--config", cfg)
    assert result.exit_code == 0, result.output
    auth = server.requests[0].headers["Authorization"]
    assert base64.b64decode(auth.split()[1]) == b"test-key-123:"
    (company,) = dump(db, "--kind", "companies")
    assert company["id"] == make_id("company", "uk_company_number:13090621")
    assert company["legal_ids"] == {"uk_company_number": "13090621"}
    assert company["country"] == "GB"
    assert company["city"] == "Oldham"
    (person,) = dump(db)
    assert (person["first_name"], person["last_name"], person["title"]) == (
        "Shelley", "FRAY", "Director")
    assert person["company"]["name"] == "EXAMPLE TRADING LTD"
    reasons = json.loads(rows(db, "SELECT reasons FROM icp_verdicts")[0][0])
    assert reasons == ["active company (company_status active)",
                       "UK SIC 62012 is an ICP industry", "company type ltd is an ICP legal form"]
    assert "test-key-123" not in json.dumps(rows(db, "SELECT options FROM runs"))


def test_name_search_pages_and_checks_the_icp(run, db: Path, cfg: Path, server: ReplayServer,
                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CH_KEY_FOR_TESTS", "k")
    server.add("/search/companies", SEARCH, query={"q": "shell"})
    result = run("source", db, "companies_house", "--base-url", server.url, "--q", "shell",
                 "--per-page", "2", "--max-pages", "1", "--config", cfg)
    assert result.exit_code == 0, result.output
    assert server.requests[0].query == {"q": "shell", "items_per_page": "2",
                                        "start_index": "0"}
    # No profile recorded (404): the search items alone give no SIC code, so neither
    # company can be shown to be a software company.
    verdicts = dict(rows(db, "SELECT record_id, verdict FROM icp_verdicts"))
    assert verdicts == {"04366849": "no_fit", "03323845": "no_fit"}
    assert rows(db, "SELECT cursor, total FROM cursors") == [("2", 2369)]


def test_advanced_search_from_the_icp(run, db: Path, cfg: Path, server: ReplayServer,
                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CH_KEY_FOR_TESTS", "k")
    item = {"company_name": "EXAMPLE TRADING LTD", "company_number": "13090621",
            "company_status": "active", "company_type": "ltd", "sic_codes": ["62012"],
            "registered_office_address": PROFILE_13090621["registered_office_address"],
            "date_of_creation": "2020-12-18", "kind": "search-results#company"}
    server.add("/advanced-search/companies",
               {"items": [item], "hits": 1, "kind": "search#advanced-search", "top_hit": item})
    server.add("/company/13090621/officers", OFFICERS)
    result = run("source", db, "companies_house", "--base-url", server.url, "--config", cfg)
    assert result.exit_code == 0, result.output
    assert server.requests[0].query == {"sic_codes": "62012", "company_status": "active",
                                        "company_type": "ltd", "size": "50",
                                        "start_index": "0"}
    assert rows(db, "SELECT count(*) FROM people") == [(1,)]
    assert rows(db, "SELECT status FROM cursors") == [("done",)]


def test_missing_key_and_refused_key(run, db: Path, cfg: Path, server: ReplayServer,
                                     monkeypatch: pytest.MonkeyPatch):
    result = run("source", db, "companies_house", "--base-url", server.url, "--q", "x",
                 "--config", write(db.parent / "nokey.toml", "[http]\ncache = false\n"))
    assert result.exit_code == 2
    assert "no API key" in result.stderr
    assert "COMPANIES_HOUSE_API_KEY" in result.stderr
    monkeypatch.setenv("CH_KEY_FOR_TESTS", "wrong")
    server.add("/search/companies", {"error": "Invalid Authorization"}, status=401)
    result = run("source", db, "companies_house", "--base-url", server.url, "--q", "shell",
                 "--config", cfg)
    assert result.exit_code == 2
    assert "authentication failed" in result.stderr
    assert result.stderr.count("\n") == 1
