"""recherche-entreprises end to end: real recorded answers replayed on 127.0.0.1 through the CLI."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest

from prospecting import api
from prospecting.connectors.base import parse_cli_options
from prospecting.connectors.recherche_entreprises import RechercheEntreprisesConnector
from prospecting.connectors.replay import ReplayServer
from prospecting.http import HttpOptions, build_client
from prospecting.icp import loads_icp
from prospecting.models import make_id
from tests.conftest import DEMO, dump, write

FIXTURES = Path(__file__).parent / "fixtures" / "public_api" / "recherche_entreprises"
GANYMEDE = json.loads((FIXTURES / "search_q-ganymede_page1.json").read_text("utf-8"))
DANONE = json.loads((FIXTURES / "search_q-552032534_danone.json").read_text("utf-8"))
AG_35000 = json.loads((FIXTURES / "search_q-ag_code_postal-35000.json").read_text("utf-8"))

OPEN_ICP = 'name = "fr-any"\n[firmographics]\ncountries = ["FR"]\n'


@pytest.fixture
def server():
    with ReplayServer() as srv:
        yield srv


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return write(tmp_path / "prospecting.toml",
                 "[http]\ncache = false\nretries = 1\nbackoff_factor = 0.0\n"
                 "requests_per_second = 1000.0\n")


def init(run, db: Path, tmp_path: Path, icp_text: str = OPEN_ICP) -> None:
    icp = write(tmp_path / "icp.toml", icp_text)
    assert run("init", db, "--icp", icp).exit_code == 0


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def connector_for(icp_text: str, **options: str) -> RechercheEntreprisesConnector:
    client = build_client("recherche_entreprises", "http://127.0.0.1:9",
                          HttpOptions(user_agent="t"))
    return RechercheEntreprisesConnector(client, loads_icp(icp_text), options)


def test_example_icp_becomes_api_filters():
    text = (DEMO.parent / "icp.example.toml").read_text("utf-8")
    connector = connector_for(text)
    (query,) = connector.plan()
    params = query.params
    assert params["etat_administratif"] == "A"
    naf = params["activite_principale"].split(",")
    # naf 62.01Z, 58.29C, 70.22Z; nace 62.01 and uk_sic 62012 both land on 62.01Z.
    assert naf == ["58.29C", "62.01Z", "70.22Z"]
    # 10-49, 50-249, 250-499 employees.
    assert params["tranche_effectif_salarie"].split(",") == ["11", "12", "21", "22", "31", "32"]
    natures = params["nature_juridique"].split(",")
    assert "5710" in natures
    assert "5499" in natures
    assert "5599" in natures
    assert "6540" not in natures  # SCI is not in the ICP
    assert any("sic 7372" in m and "naics 511210" in m for m in connector.messages)
    assert any("GmbH" in m for m in connector.messages)


def test_icp_without_france_asks_nothing():
    connector = connector_for('name = "uk"\n[firmographics]\ncountries = ["GB"]\n')
    assert connector.plan() == []


def test_icp_without_filters_is_refused():
    from prospecting.errors import ConfigError

    with pytest.raises(ConfigError, match="refusing to page through every French company"):
        connector_for('name = "any"\n').plan()


def test_nace_section_and_headcount_open_range():
    connector = connector_for(
        'name = "x"\n[firmographics]\nheadcount = [{ min = 5000 }]\n'
        '[[firmographics.industries]]\nscheme = "nace"\ncode = "J"\n'
    )
    (query,) = connector.plan()
    assert query.params["section_activite_principale"] == "J"
    assert query.params["tranche_effectif_salarie"] == "52,53"


def test_cli_options_parse():
    assert parse_cli_options(["--departement", "35", "--departement=75", "--force", "--q",
                              "acme"]) == {"departement": "35,75", "force": "true", "q": "acme"}


def test_source_stores_companies_people_and_lineage(run, db: Path, tmp_path: Path, cfg: Path,
                                                    server: ReplayServer):
    init(run, db, tmp_path)
    server.add("/search", GANYMEDE, query={"q": "ganymede", "page": "1"})
    result = run("source", db, "recherche_entreprises", "--base-url", server.url,
                 "--q", "ganymede", "--max-pages", "1", "--config", cfg)
    assert result.exit_code == 0, result.output
    assert "source: read 10" in result.output
    (seen,) = server.requests
    assert seen.query == {"q": "ganymede", "etat_administratif": "A", "page": "1",
                          "per_page": "25"}
    companies = {c["siren"]: c for c in dump(db, "--kind", "companies")}
    assert len(companies) == 10
    first = companies["901723403"]
    assert first["id"] == make_id("company", "siren:901723403")
    assert first["legal_ids"] == {"siren": "901723403", "siret": "90172340300019",
                                  "naf": "68.20B"}
    assert first["city"] == "CLERMONT-FERRAND"
    assert first["people_count"] == 2
    assert first["sources"] == ["connector:recherche_entreprises"]
    assert "recherche_entreprises:901723403" in first["source_ids"]
    people = [p for p in dump(db) if p["company"] and p["company"]["siren"] == "901723403"]
    assert sorted((p["first_name"], p["last_name"], p["title"]) for p in people) == [
        ("JULIE", "LARDON", "Associé indéfiniment responsable"),
        ("VALENTIN", "MATHE", "Gérant et associé indéfiniment responsable"),
    ]
    # Every fact carries its API call and time.
    (locator, observed_at) = rows(
        db, "SELECT locator, observed_at FROM statements WHERE entity_id = ?", first["id"]
    )[0]
    assert locator.startswith(server.url + "/search?")
    assert "q=ganymede" in locator
    assert locator.endswith("#901723403")
    assert observed_at.startswith("20")
    reasons = json.loads(rows(db, "SELECT reasons FROM icp_verdicts WHERE record_id = ?",
                              "901723403")[0][0])
    assert reasons == ["active company (etat_administratif A)"]


def test_interrupted_run_resumes_and_finished_query_is_not_refetched(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path)
    server.add("/search", GANYMEDE)  # 116 results: 5 pages of 25
    args = ("source", db, "recherche_entreprises", "--base-url", server.url, "--q",
            "ganymede", "--config", cfg)
    assert run(*args, "--max-pages", "2").exit_code == 0
    assert [r.query["page"] for r in server.requests] == ["1", "2"]
    assert rows(db, "SELECT cursor, status FROM cursors") == [("3", "open")]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert [r.query["page"] for r in server.requests] == ["1", "2", "3", "4", "5"]
    assert rows(db, "SELECT cursor, status, done, total FROM cursors") == [
        (None, "done", 1, 116)
    ]
    statements = rows(db, "SELECT count(*) FROM statements")[0][0]
    result = run(*args)
    assert "every recherche_entreprises query is complete" in result.output
    assert len(server.requests) == 5
    # --force fetches again and writes nothing new.
    assert run(*args, "--force").exit_code == 0
    assert len(server.requests) == 10
    assert rows(db, "SELECT count(*) FROM statements")[0][0] == statements


def test_a_query_over_10000_results_is_split_by_departement(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path, 'name = "x"\n[[firmographics.industries]]\nscheme = "naf"\n'
                            'code = "68.20B"\n')
    capped = copy.deepcopy(GANYMEDE)
    capped.update(total_results=10000, total_pages=1000)
    small = copy.deepcopy(GANYMEDE)
    small["results"] = [r for r in small["results"] if r["activite_principale"] == "68.20B"]
    small.update(total_results=len(small["results"]), total_pages=1)
    server.add("/search", small, query={"departement": "01"})
    server.add("/search", capped)
    result = run("source", db, "recherche_entreprises", "--base-url", server.url,
                 "--max-pages", "2", "--config", cfg)
    assert result.exit_code == 0, result.output
    statuses = dict(rows(db, "SELECT status, count(*) FROM cursors GROUP BY status"))
    assert statuses == {"split": 1, "done": 1, "open": 108}
    assert server.requests[1].query["departement"] == "01"
    assert "departement" not in server.requests[0].query


def test_exclusions_keep_customers_and_closed_companies_out(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    # 552032534 (DANONE) is a customer; one GANYMEDE is closed.
    init(run, db, tmp_path, OPEN_ICP + '[exclusions]\ncustomer_sirens = ["552032534"]\n')
    answer = copy.deepcopy(GANYMEDE)
    answer["results"][1]["etat_administratif"] = "C"
    answer["results"][1]["date_fermeture"] = "2025-01-31"
    answer["results"].append(DANONE["results"][0])
    server.add("/search", answer)
    assert run("source", db, "recherche_entreprises", "--base-url", server.url, "--q",
               "ganymede", "--max-pages", "1", "--config", cfg).exit_code == 0
    sirens = {c["siren"] for c in dump(db, "--kind", "companies")}
    assert "552032534" not in sirens
    assert "940221229" not in sirens
    assert len(sirens) == 9
    assert not any(p["company"] and p["company"]["siren"] == "552032534" for p in dump(db))
    verdicts = {r: (v, json.loads(reasons)) for r, v, reasons in rows(
        db, "SELECT record_id, verdict, reasons FROM icp_verdicts")}
    assert verdicts["552032534"] == ("excluded", ["excluded: customer SIREN 552032534"])
    assert verdicts["940221229"][0] == "excluded"
    assert "closed company" in verdicts["940221229"][1][0]


def test_records_outside_the_icp_are_not_stored(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    # A SIREN search ignores every filter: the connector checks the record itself.
    init(run, db, tmp_path, 'name = "small"\n[firmographics]\nheadcount = [[10, 49]]\n')
    server.add("/search", DANONE, query={"q": "552032534"})
    result = run("source", db, "recherche_entreprises", "--base-url", server.url,
                 "--siren", "552032534", "--config", cfg)
    assert result.exit_code == 0, result.output
    assert rows(db, "SELECT count(*) FROM companies")[0][0] == 0
    ((verdict, reasons),) = rows(db, "SELECT verdict, reasons FROM icp_verdicts")
    assert verdict == "no_fit"
    assert "headcount band 42 outside the ICP" in reasons


def test_sourced_company_is_the_imported_one(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path, 'name = "ge"\n[firmographics]\nheadcount = [{ min = 1000 }]\n')
    crm = write(tmp_path / "crm.csv",
                "first_name,last_name,email,company_name,siren\n"
                "Anne,Martin,anne.martin@danone.example,Danone,552 032 534\n")
    assert run("import", db, crm).exit_code == 0
    server.add("/search", DANONE, query={"q": "552032534"})
    assert run("source", db, "recherche_entreprises", "--base-url", server.url,
               "--siren", "552032534", "--config", cfg).exit_code == 0
    (company,) = dump(db, "--kind", "companies")
    assert company["id"] == make_id("company", "siren:552032534")
    assert company["legal_ids"]["vat"] == "FR27552032534"
    assert company["legal_ids"]["siret"] == DANONE["results"][0]["siege"]["siret"]
    assert company["legal_ids"]["naf"] == DANONE["results"][0]["activite_principale"]
    # Anne + 11 dirigeants; the two auditors (personnes morales) are not people.
    assert company["people_count"] == 12
    bettina = next(p for p in dump(db) if p["first_name"] == "BETTINA")
    assert bettina["last_name"] == "MOLITOR"  # the usage name, in brackets
    assert bettina["extra"]["birth_name"] == "THEISSIG"
    assert bettina["title"] == "Administrateur"
    assert sorted(company["sources"]) == ["connector:recherche_entreprises", "csv:crm"]
    reasons = json.loads(rows(db, "SELECT reasons FROM icp_verdicts")[0][0])
    assert "headcount band 42 (1 000 à 1 999 salariés) within the ICP ranges" in reasons


def test_error_answer_is_quarantined_and_exit_1(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path)
    server.add("/search", {"erreur": "Veuillez indiquer un paramètre `per_page` entre `1` et"
                                     " `25`, par défaut `10`."}, status=400)
    result = run("source", db, "recherche_entreprises", "--base-url", server.url, "--q",
                 "ganymede", "--config", cfg)
    assert result.exit_code == 1
    assert "quarantined 1" in result.output
    ((source, reason),) = rows(db, "SELECT source, reason FROM quarantine")
    assert source.startswith("connector:recherche_entreprises " + server.url)
    assert "per_page" in reason
    # The query stays open: the next run tries it again.
    assert rows(db, "SELECT status FROM cursors") == [("open",)]


def test_bad_record_is_quarantined_the_rest_stored(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path)
    answer = copy.deepcopy(GANYMEDE)
    answer["results"][0]["siren"] = "12AB"
    server.add("/search", answer)
    result = run("source", db, "recherche_entreprises", "--base-url", server.url, "--q",
                 "ganymede", "--max-pages", "1", "--config", cfg)
    assert result.exit_code == 1
    assert rows(db, "SELECT count(*) FROM companies")[0][0] == 9
    assert "results[0]" in rows(db, "SELECT source FROM quarantine")[0][0]


def test_rate_limit_is_one_line_on_stderr(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path)
    server.add("/search", {}, status=429, headers={"Retry-After": "0"})
    result = run("source", db, "recherche_entreprises", "--base-url", server.url, "--q",
                 "ganymede", "--config", cfg)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "rate limit reached (HTTP 429)" in result.stderr


def test_unknown_connector_and_option(run, db: Path, tmp_path: Path, cfg: Path):
    init(run, db, tmp_path)
    result = run("source", db, "nope", "--config", cfg)
    assert result.exit_code == 2
    assert "unknown connector 'nope'" in result.stderr
    result = run("source", db, "recherche_entreprises", "--colour", "red", "--config", cfg)
    assert result.exit_code == 2
    assert "unknown option --colour" in result.stderr


def test_no_icp_stored_is_a_config_error(run, db: Path, cfg: Path):
    result = run("source", db, "recherche_entreprises", "--config", cfg)
    assert result.exit_code == 2
    assert "no ICP stored" in result.stderr


def test_base_url_from_config_and_cache_beside_db(db: Path, tmp_path: Path,
                                                  server: ReplayServer):
    conf = write(tmp_path / "c.toml",
                 f'[http]\nretries = 0\n[connectors.recherche_entreprises]\n'
                 f'base_url = "{server.url}"\ncode_postal = ["35000"]\n')
    icp = write(tmp_path / "icp.toml", OPEN_ICP)
    server.add("/search", AG_35000)
    api.init(db, icp=icp, config=conf)
    report = api.source(db, "recherche_entreprises", max_pages=1, config=conf)
    assert report.read == 10
    assert (db.parent / f"{db.name}.http-cache.sqlite").exists()
    assert server.requests[0].query["code_postal"] == "35000"
    # A second run with --force is answered by the cache.
    report = api.source(db, "recherche_entreprises", max_pages=1, force=True, config=conf)
    assert len(server.requests) == 1
    assert report.details["cache_hits"] == 1


def test_circuit_breaker_stops_after_ten_failed_pages(
    run, db: Path, tmp_path: Path, cfg: Path, server: ReplayServer
):
    init(run, db, tmp_path)
    server.add("/search", "<html>502 Bad Gateway</html>", content_type="text/html")
    sirens = ["552032534", "901723403", "940221229", "510973431", "981195464", "423208180",
              "817883150", "803657048", "940583776", "944661834", "449544444", "435246145"]
    result = run("source", db, "recherche_entreprises", "--base-url", server.url,
                 "--siren", ",".join(sirens), "--config", cfg)
    assert result.exit_code == 1
    assert "10 pages failed in a row; stopped asking" in result.output
    assert len(server.requests) == 10
    assert rows(db, "SELECT count(*) FROM quarantine") == [(10,)]
    assert rows(db, "SELECT count(*) FROM cursors WHERE status = 'open'") == [(12,)]


def test_an_unusable_cached_answer_is_asked_again(db: Path, tmp_path: Path,
                                                  server: ReplayServer):
    conf = write(tmp_path / "c.toml", "[http]\nretries = 0\n")
    api.init(db, icp=write(tmp_path / "icp.toml", OPEN_ICP), config=conf)
    server.add("/search", "<html>maintenance</html>", content_type="text/html", times=1)
    server.add("/search", GANYMEDE)
    options = {"q": "ganymede"}
    first = api.source(db, "recherche_entreprises", base_url=server.url, options=options,
                       max_pages=1, config=conf)
    assert first.quarantined == 1
    second = api.source(db, "recherche_entreprises", base_url=server.url, options=options,
                        max_pages=1, config=conf)
    assert second.quarantined == 0
    assert second.read == 10
    assert len(server.requests) == 2
