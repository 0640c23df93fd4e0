"""Time a connector run against recorded answers on 127.0.0.1: pages/s, companies/s, people/s.

    python bench/connectors.py --pages 200 [--per-page 25]

Serves ``--pages`` pages of recherche-entreprises results (the real recorded GANYMEDE
records, renumbered so every company is distinct) from the replay server and runs
``api.source`` through the real connector, HTTP client and store: a first run (network
path, no cache), a second run (every query finished: nothing fetched), and a forced run
answered by the HTTP cache. The source's 7 requests/s is lifted
(``[connectors.recherche_entreprises] requests_per_second``) so the figures measure our
side: parsing, ICP verdicts, statements, derived rows, cursors, cache.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospecting import api  # noqa: E402
from prospecting.connectors.replay import ReplayServer  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "public_api" / "recherche_entreprises"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--per-page", type=int, default=25)
    args = parser.parse_args()
    template = json.loads((FIXTURE / "search_q-ganymede_page1.json").read_text("utf-8"))
    total = args.pages * args.per_page
    with tempfile.TemporaryDirectory() as tmp, ReplayServer() as server:
        for page in range(1, args.pages + 1):
            body = copy.deepcopy(template)
            body["results"] = []
            for n in range(args.per_page):
                record = copy.deepcopy(template["results"][n % len(template["results"])])
                record["siren"] = f"{100000000 + page * 1000 + n}"
                body["results"].append(record)
            body.update(total_results=total, per_page=args.per_page, page=page)
            server.add("/search", body, query={"page": page})
        folder = Path(tmp)
        config = folder / "p.toml"
        config.write_text('[http]\nrequests_per_second = 100000.0\nretries = 0\n'
                          f'cache_dir = "{folder}"\n'
                          '[connectors.recherche_entreprises]\n'
                          'requests_per_second = 100000.0\n', encoding="utf-8")
        icp = folder / "icp.toml"
        icp.write_text('name = "bench"\n[firmographics]\ncountries = ["FR"]\n',
                       encoding="utf-8")
        db = folder / "bench.db"
        api.init(db, icp=icp, config=config)
        options = {"q": "ganymede", "per_page": str(args.per_page)}
        for label, force in (("first run", False), ("re-run (finished)", False),
                             ("forced, from cache", True)):
            start = time.perf_counter()
            report = api.source(db, "recherche_entreprises", base_url=server.url,
                                options=options, force=force, config=config)
            seconds = time.perf_counter() - start
            pages = report.details.get("pages", 0)
            print(f"{label:20s} {seconds:7.2f} s  pages {pages:5d}  "
                  f"({pages / seconds:7.1f}/s)  companies read {report.read:6d} "
                  f"({report.read / seconds:8.1f}/s)  people {report.details.get('people', 0):6d}"
                  f"  requests {report.details.get('requests', 0)}"
                  f"  cache hits {report.details.get('cache_hits', 0)}"
                  f"  statements added {report.details.get('statements_added', 0)}")
        size = db.stat().st_size / 1e6
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"database {size:.1f} MB, peak memory {peak:.0f} MiB, "
              f"{len(server.requests)} requests served")


if __name__ == "__main__":
    main()
