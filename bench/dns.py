"""Time MX lookups against the local test DNS server: distinct domains/s, then cache hits.

    python bench/dns.py [--domains 5000] [--workers 32] [--timeout 2.0]

Starts ``tests/servers/dns_server.py`` in its own process on 127.0.0.1 (so the server's
work does not share this interpreter's lock), then resolves N distinct ``dN.bulk.example``
domains twice through one ``MxResolver.lookup_many``. The first pass measures resolution
(each domain asks the server for its MX once); the second is answered from the cache, so
its hit rate should be 100 % and it should send no query. Target: >= 1,500 distinct
domains/s on the first pass.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This file is named dns.py: drop its folder from the path so ``import dns`` finds dnspython.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]

from enrichers.email_dns import MxResolver  # noqa: E402


def _start_server() -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.dns_server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if len(line) != 2:
        process.kill()
        raise SystemExit(f"the DNS test server did not start (said {line!r})")
    return process, int(line[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=5000, help="distinct domains (5000)")
    parser.add_argument("--workers", type=int, default=32, help="lookup threads (32)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per query (2.0)")
    args = parser.parse_args(argv)

    process, port = _start_server()
    try:
        resolver = MxResolver(nameservers=("127.0.0.1",), port=port, timeout_s=args.timeout)
        domains = [f"d{n}.bulk.example" for n in range(args.domains)]

        started = time.perf_counter()
        first = resolver.lookup_many(domains, workers=args.workers)
        first_s = time.perf_counter() - started
        after_first = resolver.cache_info()

        started = time.perf_counter()
        second = resolver.lookup_many(domains, workers=args.workers)
        second_s = time.perf_counter() - started
        after_second = resolver.cache_info()
    finally:
        process.terminate()
        process.wait(timeout=10)

    statuses = Counter(result.status for result in first.values())
    second_hits = after_second.hits - after_first.hits
    second_queries = after_second.misses - after_first.misses
    print(f"domains:        {args.domains:,} distinct, {args.workers} workers, port {port}")
    print(f"first pass:     {first_s:.3f} s, {args.domains / first_s:,.0f} distinct domains/s")
    print(f"                statuses {dict(statuses)}, DNS lookups {after_first.misses:,}")
    print(
        f"second pass:    {second_s * 1000:.1f} ms, cache hit rate "
        f"{second_hits / max(1, len(second)):.1%}, DNS lookups {second_queries:,}"
    )
    print(
        f"target:         >= 1,500 distinct domains/s: "
        f"{'met' if args.domains / first_s >= 1500 else 'NOT met'}"
    )
    return 0 if statuses.get("ok", 0) == args.domains else 1


if __name__ == "__main__":
    raise SystemExit(main())
