"""The crawl's own process: ``python -m prospecting.crawl.run`` reads a job (JSON) on stdin,
runs Scrapy's reactor once, and writes one JSON object per line on stdout.

A process of its own because Twisted's reactor cannot be restarted in a process that
already ran one (a second ``prospecting crawl`` in the same Python, the test suite, the
demo). Scrapy's log goes to stderr; stdout carries only the events.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> int:
    job = json.load(sys.stdin)
    # Events go to the original stdout; anything else printing goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    from scrapy.crawler import CrawlerProcess

    from .spider import SiteSpider, scrapy_settings

    broken = False

    def emit(event: dict[str, Any]) -> None:
        nonlocal broken
        if broken:
            return
        try:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
        except BrokenPipeError:
            # The parent is gone: nothing would be stored; stop crawling.
            broken = True
            os._exit(1)

    process = CrawlerProcess(settings=scrapy_settings(job), install_root_handler=True)
    process.crawl(SiteSpider, job=job, emit=emit)
    process.start()
    emit({"event": "end"})
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
