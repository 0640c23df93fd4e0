"""GitHub organisations through the CLI, replaying recorded GitHub answers on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from prospecting.connectors.replay import ReplayServer
from prospecting.models import make_id
from tests.conftest import dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "github"


def load(name: str):
    return json.loads((FIXTURES / name).read_text("utf-8"))


ORG = load("orgs_BeaverSoftware.json")
MEMBERS = load("orgs_BeaverSoftware_members.json")
JACQUEV6 = load("users_jacquev6.json")
NVIE = load("users_nvie.json")


@pytest.fixture
def server():
    with ReplayServer() as srv:
        yield srv


@pytest.fixture
def setup(run, db: Path, tmp_path: Path):
    cfg = write(tmp_path / "prospecting.toml",
                "[http]\ncache = false\nretries = 1\nbackoff_factor = 0.0\n")
    icp = write(tmp_path / "icp.toml", 'name = "eu"\n[firmographics]\ncountries = ["FR"]\n'
                                       'keywords = ["software"]\n')
    assert run("init", db, "--icp", icp).exit_code == 0
    return cfg


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_org_and_public_members(run, db: Path, setup: Path, server: ReplayServer,
                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    server.add("/orgs/beaversoftware", ORG)
    server.add("/orgs/beaversoftware/public_members", MEMBERS)
    server.add("/users/jacquev6", JACQUEV6)
    result = run("source", db, "github", "--base-url", server.url, "--org", "BeaverSoftware",
                 "--config", setup)
    assert result.exit_code == 0, result.output
    assert "user cjuniet no longer exists" in result.output
    (company,) = dump(db, "--kind", "companies")
    assert company["id"] == make_id("company", "domain:example.com")
    assert company["domain"] == "example.com"
    assert company["website"] == "http://www.example.com"
    assert company["country"] == "FR"
    assert company["emails"] == ["foo@example.com"]
    (person,) = dump(db)
    assert person["full_name"] == "Vincent Jacques"
    assert person["email"] == "vincent@vincent-jacques.net"
    assert person["company"]["domain"] == "example.com"
    assert person["extra"]["github_login"] == "jacquev6"
    assert person["sources"] == ["connector:github"]
    reasons = json.loads(rows(db, "SELECT reasons FROM icp_verdicts")[0][0])
    assert "GitHub organisation BeaverSoftware requested" in reasons
    assert "keyword 'software' in name or activity" in reasons
    seen = server.requests[0]
    assert seen.headers["Accept"] == "application/vnd.github+json"
    assert "Authorization" not in seen.headers


def test_members_are_paged_with_the_link_header(run, db: Path, setup: Path,
                                                server: ReplayServer):
    nvie_simple = {k: NVIE[k] for k in ("login", "id", "url", "html_url", "type")}
    link = (f'<{server.url}/orgs/beaversoftware/public_members?per_page=100&page=2>; '
            'rel="next"')
    server.add("/orgs/beaversoftware", ORG)
    server.add("/orgs/beaversoftware/public_members", [MEMBERS[1]], query={"page": "1"},
               headers={"Link": link})
    server.add("/orgs/beaversoftware/public_members", [nvie_simple], query={"page": "2"})
    server.add("/users/jacquev6", JACQUEV6)
    server.add("/users/nvie", NVIE)
    result = run("source", db, "github", "--base-url", server.url, "--org", "beaversoftware",
                 "--config", setup)
    assert result.exit_code == 0, result.output
    assert sorted(p["full_name"] for p in dump(db)) == ["Vincent Driessen", "Vincent Jacques"]
    assert rows(db, "SELECT status, cursor FROM cursors") == [("done", None)]


def test_token_from_environment_is_sent(run, db: Path, setup: Path, server: ReplayServer,
                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test")
    server.add("/orgs/beaversoftware", {"message": "Bad credentials"}, status=401)
    result = run("source", db, "github", "--base-url", server.url, "--org", "beaversoftware",
                 "--config", setup)
    assert result.exit_code == 2
    assert "authentication failed" in result.stderr
    assert "GITHUB_TOKEN" in result.stderr
    assert server.requests[0].headers["Authorization"] == "Bearer ghp_test"
    assert "ghp_test" not in rows(db, "SELECT options FROM runs")[-1][0]


def test_org_outside_the_icp_countries_is_not_stored(run, db: Path, tmp_path: Path,
                                                     server: ReplayServer):
    cfg = write(tmp_path / "c.toml", "[http]\ncache = false\n")
    icp = write(tmp_path / "icp.toml", 'name = "uk"\n[firmographics]\ncountries = ["GB"]\n')
    server.add("/orgs/beaversoftware", ORG)
    assert run("source", db, "github", "--base-url", server.url, "--org", "beaversoftware",
               "--icp", icp, "--config", cfg).exit_code == 0
    assert rows(db, "SELECT count(*) FROM companies") == [(0,)]
    assert rows(db, "SELECT verdict FROM icp_verdicts") == [("no_fit",)]
    assert len(server.requests) == 1  # members of a company left out are not fetched


def test_org_is_required(run, db: Path, setup: Path):
    result = run("source", db, "github", "--config", setup)
    assert result.exit_code == 2
    assert "--org" in result.stderr


def test_forgotten_member_is_not_sourced_again(run, db: Path, setup: Path,
                                               server: ReplayServer):
    server.add("/orgs/beaversoftware", ORG)
    server.add("/orgs/beaversoftware/public_members", MEMBERS)
    server.add("/users/jacquev6", JACQUEV6)
    args = ("source", db, "github", "--base-url", server.url, "--org", "beaversoftware",
            "--config", setup)
    assert run(*args).exit_code == 0
    assert run("forget", db, "vincent@vincent-jacques.net").exit_code == 0
    assert rows(db, "SELECT count(*) FROM people") == [(0,)]
    result = run(*args, "--force")
    assert result.exit_code == 0, result.output
    assert "suppressed 1" in result.output
    assert rows(db, "SELECT count(*) FROM people") == [(0,)]
    facts = json.dumps(rows(db, "SELECT facts FROM statements"))
    assert "vincent@vincent-jacques.net" not in facts
