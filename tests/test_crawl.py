"""``prospecting crawl`` end to end against real HTTP servers on 127.0.0.1.

Each test starts its sites with the ``site_factory`` fixture and runs the command as a
user does; the crawl itself runs in its own process (Scrapy's reactor cannot restart).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import dump
from .servers import http_site

# The fixtures: ``site_factory`` (websites on 127.0.0.1) and ``crawl_config`` (fast settings).
site_factory = http_site.site_factory
crawl_config = http_site.crawl_config
page = http_site.page

ACME = {
    "index.html": page(
        '<h1>ACME Conseil</h1><a href="/blog/">Blog</a> <a href="/produits">Produits</a>'
        ' <a href="/equipe">Notre équipe</a> <a href="/contact">Contact</a>'
        ' <a href="/mentions-legales">Mentions légales</a>'
        '<footer>ACME Conseil · 01 42 68 53 00</footer>',
        title="ACME Conseil",
    ).replace("<head>", '<head><link rel="canonical" href="https://www.acme-conseil.example/">'),
    "equipe.html": page(
        '<h1>Notre équipe</h1><div class="team">'
        '<div class="member"><h3>Claire Bonnet</h3><p>Présidente</p>'
        '<a href="mailto:claire.bonnet@acme-conseil.example">écrire</a></div>'
        '<div class="member"><h3>Hugo Marchand</h3><p>Directeur commercial</p>'
        "<p>06 12 34 56 78</p></div></div>",
        title="Notre équipe",
    ),
    "contact.html": page(
        "<h1>Contact</h1><p>contact [at] acme-conseil [dot] example</p>"
        "<p>Notre partenaire : bonjour@partenaire.example</p>",
        title="Contact",
    ),
    "mentions-legales.html": page(
        "<h1>Mentions légales</h1><p>ACME Conseil SAS au capital de 10 000 €, RCS Lyon "
        "812 345 676, SIRET 812 345 676 00017, TVA FR19812345676, code NAF 70.22Z.</p>",
        title="Mentions légales",
    ),
    "produits.html": page("<h1>Produits</h1>"),
    "blog/index.html": page("<h1>Blog</h1>"),
    "robots.txt": "User-agent: *\nDisallow: /admin/\n",
}


def crawl(run, db, *args, config):
    return run("crawl", db, *args, "--config", config)


def companies(db: Path) -> list[dict]:
    return dump(db, "--kind", "companies")


def test_crawl_stores_company_people_emails_phones_and_legal_ids(run, db, site_factory,
                                                                 crawl_config):
    site = site_factory(ACME)
    result = crawl(run, db, site.url, config=crawl_config)
    assert result.exit_code == 0, result.output
    [company] = companies(db)
    assert company["domain"] == "acme-conseil.example"
    assert company["legal_ids"] == {"siren": "812345676", "siret": "81234567600017",
                                    "vat": "FR19812345676", "naf": "70.22Z", "rcs": "Lyon",
                                    "share_capital": "10000 EUR"}
    assert company["emails"] == ["contact@acme-conseil.example"]
    assert company["phones"] == ["+33142685300"]
    assert all(s.startswith("crawl:https://www.acme-conseil.example/") or
               s.startswith("crawl:http://127.0.0.1") for s in company["sources"])
    found = {p["full_name"]: p for p in dump(db)}
    assert set(found) == {"Claire Bonnet", "Hugo Marchand"}
    assert found["Claire Bonnet"]["title"] == "Présidente"
    assert found["Claire Bonnet"]["email"] == "claire.bonnet@acme-conseil.example"
    assert found["Hugo Marchand"]["phone"] == "+33612345678"
    with sqlite3.connect(db) as conn:
        third = conn.execute(
            "SELECT value FROM observations WHERE field = 'third_party_email'").fetchall()
        logged = conn.execute(
            "SELECT count(*) FROM work_log WHERE component = 'crawl'").fetchone()[0]
    assert third == [("bonjour@partenaire.example",)]
    assert logged == 1
    # Likely pages first: the team, contact and legal pages before products and blog.
    pages = [p for p in site.paths if p != "/robots.txt"]
    assert pages[0] == "/"
    assert set(pages[1:4]) == {"/equipe", "/contact", "/mentions-legales"}
    # Crawling again restates the same facts: nothing is written.
    again = crawl(run, db, site.url, config=crawl_config)
    assert again.exit_code == 0
    assert "written 0" in again.stdout


def test_crawled_company_is_the_imported_one(run, db, site_factory, crawl_config, tmp_path):
    site = site_factory(ACME)
    rows = tmp_path / "companies.csv"
    rows.write_text("name,website\nACME Conseil,https://www.acme-conseil.example\n",
                    encoding="utf-8")
    assert run("import", db, rows, "--kind", "companies").exit_code == 0
    assert crawl(run, db, site.url, config=crawl_config).exit_code == 0
    [company] = companies(db)
    assert company["siren"] == "812345676"
    assert company["people_count"] == 2


def test_robots_txt_is_obeyed_unless_told_otherwise(run, db, site_factory, crawl_config):
    pages = dict(ACME, **{"robots.txt": "User-agent: *\nDisallow: /equipe\n"})
    site = site_factory(pages)
    assert crawl(run, db, site.url, config=crawl_config).exit_code == 0
    assert "/equipe" not in site.paths
    assert all("TestCrawler/1.0" in entry[2] for entry in site.log)
    other = site_factory(pages)
    assert crawl(run, db.with_name("b.db"), other.url, "--ignore-robots",
                 config=crawl_config).exit_code == 0
    assert "/equipe" in other.paths
    assert "/robots.txt" not in other.paths


def test_robots_503_means_no_page_is_fetched(run, db, site_factory, crawl_config):
    site = site_factory(ACME, route=http_site.robots_503)
    result = crawl(run, db, site.url, config=crawl_config)
    assert result.exit_code == 1
    assert site.paths == ["/robots.txt"]
    with sqlite3.connect(db) as conn:
        reasons = [r[0] for r in conn.execute("SELECT reason FROM quarantine")]
    assert reasons == ["robots.txt answered HTTP 503: site not crawled this run"]


def test_traps_big_pages_and_timeouts_stay_within_their_caps(run, db, site_factory,
                                                              crawl_config):
    trap = site_factory({"index.html": page('<a href="/events?month=1">Agenda</a>'
                                            '<a href="/a/">Archives</a>')},
                        route=http_site.calendar_trap)
    big = site_factory({"index.html": page('<a href="/big">Catalogue</a>'
                                           '<a href="/contact">Contact</a>'),
                        "contact.html": page("<p>info@big-site.example</p>")},
                       route=http_site.big_page)
    slow_site = site_factory({"index.html": page('<a href="/slow">Lent</a>')},
                             route=http_site.slow)
    started = time.monotonic()
    result = crawl(run, db, trap.url, big.url, slow_site.url, "--max-pages", "15",
                   config=crawl_config)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.output
    assert len([p for p in trap.paths if p != "/robots.txt"]) <= 15
    with sqlite3.connect(db) as conn:
        reasons = dict(conn.execute("SELECT raw, reason FROM quarantine").fetchall())
    assert reasons[big.url + "big"].startswith("too large")
    assert reasons[slow_site.url + "slow"] == "timeout"
    # The other pages of the site with the big page were still read.
    assert "/contact" in big.paths


def test_from_db_skips_sites_crawled_recently(run, db, site_factory, crawl_config, tmp_path):
    site = site_factory(ACME)
    rows = tmp_path / "companies.csv"
    rows.write_text(f"name,website\nACME Conseil,{site.url}\n", encoding="utf-8")
    assert run("import", db, rows, "--kind", "companies").exit_code == 0
    first = crawl(run, db, "--from-db", config=crawl_config)
    assert first.exit_code == 0, first.output
    fetched = len(site.paths)
    assert fetched > 3
    second = crawl(run, db, "--from-db", config=crawl_config)
    assert second.exit_code == 0
    assert "skipped 1" in second.stdout
    assert len(site.paths) == fetched


def test_bad_arguments_are_refused(run, db, crawl_config):
    assert crawl(run, db, config=crawl_config).exit_code == 2
    result = crawl(run, db, "ftp://files.example/", config=crawl_config)
    assert result.exit_code == 2
    assert "ftp://files.example/" in result.stderr


def test_kill_9_then_rerun_ends_in_the_same_state(db, site_factory, crawl_config, tmp_path):
    """Sites are stored whole: a crawl killed mid-way and run again matches a clean run."""
    sites = [site_factory(ACME) for _ in range(3)]
    env = dict(os.environ, PROSPECTING_CONFIG=str(crawl_config))
    exe = str(Path(sys.executable).with_name("prospecting"))
    command = [exe, "crawl", str(db)] + [s.url for s in sites]
    proc = subprocess.Popen(command, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run(command, env=env, check=False, capture_output=True, timeout=120)
    clean = tmp_path / "clean.db"
    subprocess.run([exe, "crawl", str(clean), *command[3:]], env=env, check=False,
                   capture_output=True, timeout=120)

    def state(path: Path) -> list:
        with sqlite3.connect(path) as conn:
            return sorted(conn.execute(
                "SELECT entity_id, source, facts FROM statements").fetchall())

    assert state(db) == state(clean)
    assert json.dumps(state(db))  # plain JSON facts


def test_retry_after_is_honoured_and_refusing_sites_are_stopped(run, db, site_factory,
                                                                crawl_config):
    busy = site_factory({"index.html": page('<a href="/busy">Contact</a>')},
                        route=http_site.busy_then_ok())
    links = "".join(f'<a href="/p{i}">page {i}</a>' for i in range(20))
    walled = site_factory({"index.html": page(links)}, route=http_site.forbidden)
    result = crawl(run, db, busy.url, walled.url, config=crawl_config)
    times = [t for path, t, _ in busy.log if path == "/busy"]
    assert len(times) == 2
    assert times[1] - times[0] >= 1.9
    asked = [p for p in walled.paths if p.startswith("/p")]
    assert 5 <= len(asked) <= 13  # what was in flight when the fifth refusal came
    assert result.exit_code == 1
    with sqlite3.connect(db) as conn:
        reasons = [r[0] for r in conn.execute("SELECT reason FROM quarantine")]
    assert "5 requests refused in a row (HTTP 403): site stopped for this run" in reasons
    assert "hello@busy.example" in {
        v for (v,) in sqlite3.connect(db).execute(
            "SELECT value FROM observations WHERE field = 'email'")}


def test_crawl_delay_from_robots_txt_spaces_the_requests(run, db, site_factory, crawl_config):
    site = site_factory({
        "index.html": page('<a href="/contact">Contact</a><a href="/equipe">Équipe</a>'),
        "contact.html": page("<p>contact@delay.example</p>"),
        "equipe.html": page("<p>Équipe</p>"),
        "robots.txt": "User-agent: *\nCrawl-delay: 1.5\n",
    })
    assert crawl(run, db, site.url, config=crawl_config).exit_code == 0
    starts = [t for path, t, _ in site.log if path != "/robots.txt"]
    assert len(starts) == 3
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # Requests leave 1.5 s apart; the server sees them with the jitter of a busy machine.
    assert min(gaps) >= 1.25


def test_demo_websites(db, tmp_path):
    """The bundled demo sites, served as ``prospecting demo`` serves them."""
    from importlib import resources

    from prospecting import api
    from prospecting.crawl.localsite import serve_sites

    config = tmp_path / "fast.toml"
    config.write_text("[http]\nrequests_per_second = 50.0\n", encoding="utf-8")
    folder = Path(str(resources.files("prospecting.data").joinpath("demo", "sites")))
    with serve_sites(folder) as urls:
        assert set(urls) == {"sabliere", "mueller", "brightpath"}
        report = api.crawl(db, list(urls.values()), config=config)
    assert report.quarantined == 0
    found = {c["domain"]: c for c in companies(db)}
    assert found["sabliere.example"]["legal_ids"] == {
        "siren": "812345676", "siret": "81234567600017", "vat": "FR19812345676",
        "naf": "71.12B", "rcs": "Lyon", "share_capital": "40000 EUR"}
    assert found["mueller-werkzeugbau.example"]["legal_ids"] == {
        "vat": "DE812345673", "hrb": "HRB 214587", "register_court": "Amtsgericht München"}
    assert found["brightpath.example"]["legal_ids"] == {"ein": "27-1234567"}
    assert "accueil@sabliere.example" in found["sabliere.example"]["emails"]
    people = {p["full_name"]: p for p in dump(db)}
    assert set(people) == {
        "Claire Bonnet", "Hugo Marchand", "Inès Fabre", "Thomas Müller", "Sabine Krause",
        "Jonas Weber", "Dana Whitfield", "Rahul Mehta", "Lena Okafor", "Sam Kowalski"}
    assert people["Inès Fabre"]["email"] == "ines.fabre@sabliere.example"
    assert people["Sabine Krause"]["email"] == "s.krause@mueller-werkzeugbau.example"
    assert people["Lena Okafor"]["linkedin_url"] == "https://www.linkedin.com/in/lenaokafor"
    with sqlite3.connect(db) as conn:
        signals = set(conn.execute(
            "SELECT field, value FROM observations WHERE field IN ('careers_url',"
            " 'open_positions', 'site_language') OR field = 'technology'").fetchall())
    assert {("careers_url", "https://www.brightpath.example/careers"),
            ("open_positions", "3"), ("careers_url", "https://www.sabliere.example/recrutement"),
            ("open_positions", "2"), ("technology", "WordPress"), ("technology", "TYPO3"),
            ("site_language", "de")} <= signals


def test_a_bare_domain_falls_back_to_plain_http(run, db, site_factory, crawl_config):
    site = site_factory(ACME)
    result = crawl(run, db, f"127.0.0.1:{site.port}", config=crawl_config)
    assert result.exit_code == 0, result.output
    assert "/equipe" in site.paths
