"""SEC EDGAR through the CLI, replaying recorded EDGAR answers on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from prospecting.connectors.replay import ReplayServer
from prospecting.models import make_id
from tests.conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "sec_edgar"
TICKERS = (FIXTURES / "company_tickers_first40.json").read_bytes()
APPLE = (FIXTURES / "submissions_CIK0000320193_apple_recent-trimmed-10.json").read_bytes()
SIEMENS = (FIXTURES / "submissions_CIK0000940418_siemens_ag.json").read_bytes()
UA = "Prospecting Tests tests@example.com"


@pytest.fixture
def server():
    with ReplayServer() as srv:
        srv.add("/files/company_tickers.json", TICKERS)
        srv.add("/submissions/CIK0000320193.json", APPLE)
        srv.add("/submissions/CIK0000940418.json", SIEMENS)
        yield srv


def setup(run, db: Path, tmp_path: Path, icp_text: str, agent: str = UA) -> Path:
    cfg = write(tmp_path / "prospecting.toml",
                f'[http]\ncache = false\nretries = 1\nbackoff_factor = 0.0\n'
                f'user_agent = "{agent}"\nrequests_per_second = 100.0\n')
    icp = write(tmp_path / "icp.toml", icp_text)
    assert run("init", db, "--icp", icp).exit_code == 0
    return cfg


COMPUTERS_US = ('name = "us-hw"\n[firmographics]\ncountries = ["US", "DE"]\n'
                '[[firmographics.industries]]\nscheme = "sic"\ncode = "3571"\n')


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_walks_the_ticker_list_and_keeps_icp_sic(run, db: Path, tmp_path: Path,
                                                 server: ReplayServer):
    cfg = setup(run, db, tmp_path, COMPUTERS_US)
    args = ("source", db, "sec_edgar", "--base-url", server.url, "--tickers-url",
            f"{server.url}/files/company_tickers.json", "--limit", "3", "--batch", "1",
            "--config", cfg)
    result = run(*args, "--max-pages", "2")
    assert result.exit_code == 0, result.output
    assert "no submissions for CIK 789019" in result.output  # MSFT: not recorded
    assert rows(db, "SELECT cursor, total FROM cursors") == [("2", 3)]
    assert run(*args).exit_code == 0
    assert [r.path for r in server.requests if r.path.startswith("/sub")] == [
        "/submissions/CIK0000789019.json", "/submissions/CIK0000320193.json",
        "/submissions/CIK0001045810.json"]
    assert server.requests[0].headers["User-Agent"] == UA
    (apple,) = dump(db, "--kind", "companies")
    assert apple["id"] == make_id("company", "cik:320193")
    assert apple["legal_ids"] == {"cik": "320193", "ein": "94-2404110"}
    assert apple["country"] == "US"
    assert apple["city"] == "CUPERTINO"
    ((extra,),) = rows(db, "SELECT extra FROM companies")
    assert "APPLE COMPUTER INC" in json.loads(extra)["former_names"]
    assert json.loads(extra)["sic"] == "3571"
    reasons = json.loads(rows(db, "SELECT reasons FROM icp_verdicts")[0][0])
    assert reasons[:2] == ["SIC 3571 (Electronic Computers) is an ICP industry",
                           "business address in ICP country US"]


def test_explicit_cik_outside_icp_sic_is_not_stored(run, db: Path, tmp_path: Path,
                                                    server: ReplayServer):
    cfg = setup(run, db, tmp_path, COMPUTERS_US)
    assert run("source", db, "sec_edgar", "--base-url", server.url, "--cik", "940418",
               "--config", cfg).exit_code == 0
    assert rows(db, "SELECT count(*) FROM companies") == [(0,)]
    ((verdict, reasons),) = rows(db, "SELECT verdict, reasons FROM icp_verdicts")
    assert verdict == "no_fit"
    assert "SIC 8880 is not among the ICP industries" in reasons
    assert not any(r.path.startswith("/files") for r in server.requests)


def test_foreign_filer_country(run, db: Path, tmp_path: Path, server: ReplayServer):
    cfg = setup(run, db, tmp_path, 'name = "de"\n[firmographics]\ncountries = ["DE"]\n'
                                   '[[firmographics.industries]]\nscheme = "sic"\n'
                                   'code = "8880"\n')
    assert run("source", db, "sec_edgar", "--base-url", server.url, "--cik", "0000940418",
               "--config", cfg).exit_code == 0
    (siemens,) = dump(db, "--kind", "companies")
    assert siemens["country"] == "DE"
    assert siemens["legal_ids"] == {"cik": "940418"}  # EIN 000000000 is a placeholder


def test_user_agent_without_contact_is_refused(run, db: Path, tmp_path: Path,
                                               server: ReplayServer):
    cfg = setup(run, db, tmp_path, COMPUTERS_US, agent="prospecting/0.1")
    result = run("source", db, "sec_edgar", "--base-url", server.url, "--config", cfg)
    assert result.exit_code == 2
    assert "User-Agent with a contact address" in result.stderr
    assert server.requests == []


def test_icp_without_sic_needs_tickers(run, db: Path, tmp_path: Path, server: ReplayServer):
    cfg = setup(run, db, tmp_path, 'name = "x"\n')
    result = run("source", db, "sec_edgar", "--base-url", server.url, "--config", cfg)
    assert result.exit_code == 2
    assert "no SIC industry" in result.stderr
