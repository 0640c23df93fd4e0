"""Crawl throughput: ``prospecting crawl`` (extraction on) next to a bare Scrapy spider.

Generates a local site of ``--pages`` pages (team cards, emails, phones, legal footer,
about 30 links per page), serves it on 127.0.0.1, and crawls it twice in the same run:

1. a bare Scrapy spider that only follows links (no extraction, no storage);
2. ``api.crawl`` with ``--max-pages`` = the page count: extraction, trap rules,
   best-first frontier and the SQLite writes included.

Both run in their own process with the same concurrency and no delay, and both timings
include the process start. Prints pages/s for each and the ratio (target ≥ 0.8)::

    python bench/crawl.py --pages 5000
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from prospecting import api
from prospecting.crawl.localsite import SiteServer

FIRST = ["Claire", "Hugo", "Inès", "Paul", "Sophie", "Jean", "Marie", "Luc", "Emma", "Louis",
         "Anna", "Thomas", "Léa", "Nicolas", "Julie", "Rahul", "Dana", "Sam", "Lena", "Jonas"]
LAST = ["Bonnet", "Marchand", "Fabre", "Girard", "Durand", "Martin", "Lefèvre", "Moreau",
        "Lambert", "Garnier", "Mehta", "Whitfield", "Kowalski", "Okafor", "Weber", "Krause"]
TITLES = ["Directeur commercial", "Chargée de communication", "Head of Sales", "CEO",
          "Ingénieur R&D", "Responsable marketing", "Office Manager", "Consultant senior"]
SECTIONS = ["equipe", "produits", "blog", "actualites", "services", "references"]


def make_site(root: Path, pages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    names = [f"{s}/{i}" for i, s in zip(range(pages), SECTIONS * (pages // len(SECTIONS) + 1),
                                         strict=False)]
    names[0] = "index"
    for index, name in enumerate(names):
        links = " ".join(f'<a href="/{rng.choice(names)}">Page {rng.randint(1, 9999)}</a>'
                         for _ in range(25))
        cards = "".join(
            f'<div class="member"><h3>{rng.choice(FIRST)} {rng.choice(LAST)}</h3>'
            f"<p>{rng.choice(TITLES)}</p><p>Tél. 04 78 {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}</p></div>"
            for _ in range(rng.randint(0, 4))
        )
        prose = " ".join(
            "Depuis 2009 nous accompagnons les collectivités et les entreprises de la région "
            "dans leurs projets d'aménagement durable, du diagnostic à la réception des travaux."
            for _ in range(rng.randint(3, 12))
        )
        html = textwrap.dedent(f"""\
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
            <title>Page {index} – Bench SAS</title>
            <meta name="generator" content="WordPress 6.4">
            <script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
            </head><body>
            <header><nav><a href="/">Accueil</a> <a href="/equipe/0">Équipe</a>
            <a href="/contact">Contact</a></nav></header>
            <main><h1>Page {index}</h1><p>{prose}</p><div class="team">{cards}</div>
            <p>Écrivez à contact{index % 50}@bench.example ou info [at] bench [dot] example</p>
            <div class="links">{links}</div></main>
            <footer>Bench SAS au capital de 10 000 € – RCS Lyon 812 345 676 –
            <a href="tel:+33478621840">04 78 62 18 40</a></footer></body></html>""")
        target = root / f"{name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


BARE_SPIDER = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

start_url, limit, per_host = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
count = 0

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [start_url]

    def parse(self, response):
        global count
        count += 1
        for href in response.css("a::attr(href)").getall():
            if not href.startswith(("tel:", "mailto:", "javascript:")):
                yield response.follow(href, callback=self.parse)

process = CrawlerProcess(settings={
    "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": per_host, "DOWNLOAD_DELAY": 0,
    "TELNETCONSOLE_ENABLED": False, "CLOSESPIDER_PAGECOUNT": limit,
    "AUTOTHROTTLE_ENABLED": False,
})
process.crawl(Bare)
process.start()
print(json.dumps({"pages": count}))
"""


def run_bare(url: str, pages: int, per_host: int, workdir: Path) -> tuple[int, float]:
    script = workdir / "bare_spider.py"  # a file: Scrapy reads callbacks' source
    script.write_text(BARE_SPIDER, encoding="utf-8")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(script), url, str(pages), str(per_host)],
                         capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - started
    return json.loads(out.strip().splitlines()[-1])["pages"], seconds


def run_ours(url: str, pages: int, per_host: int, workdir: Path) -> tuple[int, float, dict]:
    config = workdir / "bench.toml"
    config.write_text(
        f"[http]\nrequests_per_second = 100000.0\nmax_connections_per_host = {per_host}\n"
        "[crawl]\nautothrottle = false\nconcurrent_requests = 32\nmax_depth = 0\n",
        encoding="utf-8",
    )
    db = workdir / "bench.db"
    started = time.perf_counter()
    report = api.crawl(db, [url], max_pages=pages, ignore_robots=True, config=config)
    seconds = time.perf_counter() - started
    return report.read, seconds, dict(report.details)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--per-host", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site_root = work / "site"
        made = time.perf_counter()
        make_site(site_root, args.pages)
        print(f"site: {args.pages} pages generated in {time.perf_counter() - made:.1f}s")
        with SiteServer(site_root) as server:
            bare_pages, bare_s = run_bare(server.url, args.pages, args.per_host, work)
            ours_pages, ours_s, details = run_ours(server.url, args.pages, args.per_host, work)
        bare_rate = bare_pages / bare_s
        ours_rate = ours_pages / ours_s
        print(f"bare scrapy spider:         {bare_pages:6d} pages in {bare_s:6.1f}s = "
              f"{bare_rate:7.1f} pages/s")
        print(f"prospecting crawl (full):   {ours_pages:6d} pages in {ours_s:6.1f}s = "
              f"{ours_rate:7.1f} pages/s  (people {details.get('people_found', 0)}, "
              f"emails {details.get('emails_found', 0)})")
        print(f"ratio: {ours_rate / bare_rate:.2f} (target >= 0.8)")


if __name__ == "__main__":
    main()
