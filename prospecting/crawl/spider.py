"""The Scrapy spider: best-first, capped, robots-aware crawl of many sites at once.

Each site keeps its own frontier (a heap ordered by :func:`~prospecting.crawl.site.link_score`:
contact, legal, team and about pages first), its own set of seen URLs and trap counters,
and never has more than a few requests in flight, so the next page fetched is always the
most promising one known. A site stops at ``max_pages`` requests. Requests are issued
with ``dont_filter`` because the spider deduplicates itself: every request it makes comes
back to a callback or an errback, which is how it knows when a site is finished.

robots.txt is read by the spider itself with Protego, with RFC 9309's failure rules: a
4xx means no rules, a 5xx or no answer means the site is not crawled this run.
``Crawl-delay`` and ``Request-rate`` slow that site's download slot.

Everything found is sent through ``emit`` as plain dicts: ``{"event": "page"}`` per page
fetched and ``{"event": "site", ...}`` once per finished site.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from protego import Protego
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from .extract import extract_page
from .site import Guard, SiteFacts, canonical_url, link_score, refusal, site_domain_of
from .words import LINK_PRIORITIES

__all__ = ["SiteSpider", "scrapy_settings"]

ROBOTS_MAX_BYTES = 500 * 1024
_ROBOTS_PRIORITY = 1000
_BINARY_SHARE = 0.01
MAX_REFUSALS = 5
MAX_RETRY_AFTER_S = 3600.0


@dataclass
class SiteState:
    key: str
    start_url: str
    country: str | None
    netloc: str
    domains: set[str]
    max_pages: int
    default_scheme: bool = False
    robots: Protego | None = None
    frontier: list[tuple[int, int, str, int]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    guard: Guard = field(default_factory=Guard)
    scheduled: int = 0
    inflight: int = 0
    finished: bool = False
    status: str = "done"
    delay: float | None = None
    failures: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    facts: SiteFacts | None = None
    home_url: str | None = None
    prefix: str = "/"  # on a bare host (an IP address), the start URL's folder is the site
    refusals: int = 0  # 403/429 answers in a row
    retry_urls: set[str] = field(default_factory=set)

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def scrapy_settings(job: dict[str, Any]) -> dict[str, Any]:
    """Scrapy settings from the job's ``http`` and ``crawl`` settings."""
    http, crawl = job["http"], job["crawl"]
    delay = 1.0 / http["requests_per_second"]
    per_host = http["max_connections_per_host"]
    return {
        "USER_AGENT": http["user_agent"],
        "ROBOTSTXT_OBEY": False,  # read by the spider itself (RFC 9309 failure rules)
        "CONCURRENT_REQUESTS": crawl["concurrent_requests"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": crawl["autothrottle"],
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(per_host),
        "DOWNLOAD_TIMEOUT": http["timeout_s"],
        "DNS_TIMEOUT": min(10.0, http["timeout_s"]),
        "DOWNLOAD_MAXSIZE": crawl["max_page_bytes"],
        "DOWNLOAD_WARNSIZE": min(crawl["max_page_bytes"], 1024 * 1024),
        "RETRY_ENABLED": crawl["retries"] > 0,
        "RETRY_TIMES": crawl["retries"],
        # 429 is the spider's own: it waits as long as Retry-After says.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_MAXDELAY": 5,
        "DEPTH_LIMIT": 0,  # the spider keeps its own depth and page cap
        "URLLENGTH_LIMIT": 2083,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": job.get("log_level", "WARNING"),
        "MEMUSAGE_LIMIT_MB": crawl["memory_limit_mb"],
        "COOKIES_ENABLED": True,
        "REFERRER_POLICY": "strict-origin-when-cross-origin",
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "s3": None, "ftp": None},
        "HTTPERROR_ALLOW_ALL": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "LOGSTATS_INTERVAL": 0,
        "EXTENSIONS": {"scrapy.extensions.logstats.LogStats": None},
    }


class SiteSpider(scrapy.Spider):
    """Crawls the job's sites; see the module docstring."""

    name = "prospecting"

    def __init__(self, job: dict[str, Any], emit: Callable[[dict[str, Any]], None],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.emit = emit
        self.obey_robots = not job["ignore_robots"]
        self.user_agent = job["http"]["user_agent"]
        self.robots_token = job["crawl"]["robots_user_agent"] or self.user_agent.split("/")[0]
        self.max_depth = job["crawl"]["max_depth"]
        self.in_flight_per_site = max(1, job["http"]["max_connections_per_host"]) * 2
        self.extract = job.get("extract", True)
        self.sequence = itertools.count()
        self.sites: dict[str, SiteState] = {}
        for target in job["sites"]:
            url = target["url"]
            parts = urlsplit(url)
            netloc = parts.netloc.lower()
            domain = site_domain_of(url)
            self.sites[target["key"]] = SiteState(
                key=target["key"], start_url=url,
                country=target.get("country") or _tld_country(domain),
                netloc=netloc, domains={domain} if domain else set(),
                max_pages=job["max_pages"], default_scheme=bool(target.get("default_scheme")),
                facts=SiteFacts(url), guard=Guard(shape_cap=max(50, job["max_pages"] // 5)),
                prefix="/" if domain else (parts.path.rsplit("/", 1)[0] + "/"),
            )

    # -- starting ------------------------------------------------------------------------

    async def start(self) -> Any:  # Scrapy >= 2.13
        for site in self.sites.values():
            for request in self._begin(site):
                yield request

    def start_requests(self) -> Iterator[scrapy.Request]:  # older Scrapy
        for site in self.sites.values():
            yield from self._begin(site)

    def _begin(self, site: SiteState) -> Iterator[scrapy.Request]:
        if self.obey_robots:
            parts = urlsplit(site.start_url)
            site.inflight += 1
            yield scrapy.Request(
                f"{parts.scheme}://{parts.netloc}/robots.txt", callback=self._robots,
                errback=self._robots_failed, dont_filter=True, priority=_ROBOTS_PRIORITY,
                meta={"site": site.key, "handle_httpstatus_all": True,
                      "download_slot": site.netloc, "dont_retry": False},
            )
            return
        self._push(site, site.start_url, "", 0, home=True)
        yield from self._fill(site)

    # -- robots.txt ----------------------------------------------------------------------

    def _robots(self, response: Response) -> Iterator[scrapy.Request]:
        site = self.sites[response.meta["site"]]
        site.inflight -= 1
        status = response.status
        if status >= 500:
            yield from self._refuse_site(site, f"robots.txt answered HTTP {status}: "
                                         "site not crawled this run")
            return
        if 200 <= status < 300:
            body = response.body[:ROBOTS_MAX_BYTES].decode("utf-8-sig", errors="ignore")
            try:
                site.robots = Protego.parse(body)
            except Exception:  # unparsable rules: RFC 9309 says parse what you can
                site.robots = None
            if site.robots is not None:
                delay = site.robots.crawl_delay(self.robots_token)
                rate = site.robots.request_rate(self.robots_token)
                if rate is not None and rate.requests:
                    seconds = rate.seconds / rate.requests
                    delay = max(delay or 0, seconds)
                if delay:
                    site.delay = min(float(delay), 60.0)
                    self._slow_slot(site)
        self._push(site, site.start_url, "", 0, home=True)
        yield from self._fill(site)

    def _robots_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        site = self.sites[failure.request.meta["site"]]
        site.inflight -= 1
        if site.default_scheme and site.start_url.startswith("https://"):
            # A bare domain was given and https does not answer: try plain http.
            site.default_scheme = False
            site.start_url = "http://" + site.start_url[len("https://"):]
            yield from self._begin(site)
            return
        yield from self._refuse_site(
            site, f"robots.txt unreachable ({_reason(failure)}): site not crawled this run"
        )

    def _refuse_site(self, site: SiteState, reason: str) -> Iterator[scrapy.Request]:
        site.status = "robots_unavailable"
        site.failures.append({"url": site.start_url, "reason": reason})
        self._finish(site)
        return iter(())

    def _slow_slot(self, site: SiteState) -> None:
        try:
            slots = self.crawler.engine.downloader.slots
        except AttributeError:
            return
        slot = slots.get(site.netloc)
        if slot is not None and site.delay:
            slot.delay = max(slot.delay, site.delay)

    # -- the frontier --------------------------------------------------------------------

    def _push(self, site: SiteState, url: str, text: str, depth: int, *,
              home: bool = False) -> None:
        url = canonical_url(url)
        if url in site.seen:
            return
        site.seen.add(url)
        if not home:
            host = (urlsplit(url).netloc or "").lower()
            domain = site_domain_of(url)
            if host != site.netloc and (domain is None or domain not in site.domains):
                return
            if site.prefix != "/" and not urlsplit(url).path.startswith(site.prefix):
                return
            if self.max_depth and depth > self.max_depth:
                site.count("too_deep")
                return
            why = refusal(url, site.guard)
            if why:
                site.count("trap_" + why.replace(" ", "_").replace("(", "").replace(")", ""))
                return
        score = 1000 if home else link_score(url, text, depth, LINK_PRIORITIES)
        heapq.heappush(site.frontier, (-score, next(self.sequence), url, depth))

    def _fill(self, site: SiteState) -> Iterator[scrapy.Request]:
        while (
            site.frontier and site.inflight < self.in_flight_per_site
            and site.scheduled < site.max_pages and not site.finished
        ):
            _score, _seq, url, depth = heapq.heappop(site.frontier)
            if site.robots is not None and not site.robots.can_fetch(url, self.robots_token):
                site.count("robots_disallowed")
                continue
            site.scheduled += 1
            site.inflight += 1
            meta = {"site": site.key, "page_depth": depth, "download_slot": site.netloc,
                    "retried_after": url in site.retry_urls}
            if site.delay:
                meta["autothrottle_dont_adjust_delay"] = True
            yield scrapy.Request(url, callback=self._page, errback=self._page_failed,
                                 dont_filter=True, priority=-_score, meta=meta)
        if site.inflight == 0 and not site.finished:
            self._finish(site)

    # -- pages ---------------------------------------------------------------------------

    def _page(self, response: Response) -> Iterator[scrapy.Request]:
        site = self.sites[response.meta["site"]]
        site.inflight -= 1
        depth = response.meta.get("page_depth", 0)
        if site.delay:
            self._slow_slot(site)
        if depth == 0 and site.home_url is None:
            site.home_url = response.url
            domain = site_domain_of(response.url)
            if domain:
                site.domains.add(domain)
        site.refusals = 0
        problem = _not_html(response)
        if problem:
            site.failures.append({"url": response.url, "reason": problem})
        else:
            assert isinstance(response, TextResponse)
            self.emit({"event": "page", "site": site.key, "url": response.url})
            if self.extract:
                try:
                    page = extract_page(
                        response.text, response.url, country=site.country,
                        site_domain=next(iter(site.domains), None),
                    )
                except Exception as exc:  # a page that trips the extractor: noted, skipped
                    site.failures.append({"url": response.url, "reason": (
                        f"could not read the page ({type(exc).__name__}: {exc})"[:200])})
                    yield from self._fill(site)
                    return
                assert site.facts is not None
                site.facts.add(page)
                links = [] if page.nofollow and self.obey_robots else page.links
            else:
                links = [(response.urljoin(h), "") for h in
                         response.xpath("//a/@href").getall()]
            for url, text in links:
                if url.startswith(("http://", "https://")):
                    self._push(site, url, text, depth + 1)
        yield from self._fill(site)

    def _page_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request
        site = self.sites[request.meta["site"]]
        site.inflight -= 1
        reason = _reason(failure)
        depth = request.meta.get("page_depth", 0)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if depth == 0 and site.default_scheme and request.url.startswith("https://") and (
            status is None
        ):
            # A bare domain was given: try plain http before giving up.
            site.default_scheme = False
            site.scheduled -= 1
            self._push(site, "http://" + request.url[len("https://"):], "", 0, home=True)
        elif status in (403, 429, 503) and self._refused(site, request, failure, status):
            pass  # retried later, or the site was stopped
        elif status is not None and 400 <= status < 500 and depth > 0:
            site.count("http_4xx")  # a broken link on the site, not a page we failed on
        else:
            site.failures.append({"url": request.url, "reason": reason})
        yield from self._fill(site)

    def _refused(self, site: SiteState, request: scrapy.Request, failure: Failure,
                 status: int) -> bool:
        """429/503 with Retry-After: wait as told (up to an hour) and ask again, once.
        Five refusals (403/429) in a row: the site is stopped for this run."""
        if status in (403, 429):
            site.refusals += 1
            if site.refusals >= MAX_REFUSALS:
                site.failures.append({"url": request.url, "reason": (
                    f"{MAX_REFUSALS} requests refused in a row (HTTP {status}): site "
                    "stopped for this run")})
                site.frontier.clear()
                return True
        if status == 403 or request.meta.get("retried_after"):
            return False
        header = failure.value.response.headers.get(b"Retry-After")
        wait = _retry_after(header.decode("latin-1") if header else None, status)
        if wait is None:
            return False
        if wait > MAX_RETRY_AFTER_S:
            site.failures.append({"url": request.url, "reason": (
                f"HTTP {status} asking to wait {wait:.0f} s: site skipped for this run")})
            site.frontier.clear()
            return True
        site.delay = max(site.delay or 0.0, wait)
        self._slow_slot(site)
        site.scheduled -= 1
        site.count("retried_after")
        heapq.heappush(site.frontier, (-2000, next(self.sequence), request.url,
                                       request.meta.get("page_depth", 0)))
        site.retry_urls.add(request.url)
        return True

    # -- finishing -----------------------------------------------------------------------

    def _finish(self, site: SiteState) -> None:
        site.finished = True
        assert site.facts is not None
        domain = site.facts.domain(site_domain_of(site.start_url) or next(
            (d for d in sorted(site.domains)), None))
        event = {
            "event": "site",
            "site": site.key,
            "status": site.status,
            "pages": site.facts.pages if self.extract else site.scheduled,
            "requested": site.scheduled,
            "home_url": site.home_url,
            "home_source": site.facts.home_source,
            "domain": domain,
            "failures": site.failures,
            "counts": site.counts,
        }
        event.update(site.facts.result(domain) if self.extract else {"company": [],
                                                                      "people": []})
        site.facts = SiteFacts(site.start_url)  # free the memory
        self.emit(event)

    def closed(self, reason: str) -> None:
        for site in self.sites.values():
            if not site.finished and reason == "finished":
                self._finish(site)


_TLD_COUNTRY = {
    "fr": "FR", "de": "DE", "uk": "GB", "be": "BE", "ch": "CH", "at": "AT", "es": "ES",
    "it": "IT", "nl": "NL", "lu": "LU", "ca": "CA", "ie": "IE", "pt": "PT", "pl": "PL",
    "se": "SE", "dk": "DK", "no": "NO", "fi": "FI", "au": "AU", "nz": "NZ", "us": "US",
    "re": "RE", "mc": "MC", "ma": "MA", "tn": "TN", "sn": "SN", "ci": "CI", "qc": "CA",
}


def _tld_country(domain: str | None) -> str | None:
    """The country a country-code domain names (acme.co.uk → GB); None for .com, .org…"""
    if not domain:
        return None
    return _TLD_COUNTRY.get(domain.rsplit(".", 1)[-1].lower())


def _retry_after(value: str | None, status: int) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); a 429
    without one waits 5 s, a 503 without one is an ordinary failure."""
    if not value:
        return 5.0 if status == 429 else None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 5.0 if status == 429 else None
    import time

    return max(0.0, when.timestamp() - time.time())


def _not_html(response: Response) -> str | None:
    if not isinstance(response, TextResponse):
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no type"
        return f"not an HTML page ({kind.split(';')[0].strip()})"
    if not isinstance(response, HtmlResponse):
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if "html" not in kind.lower():
            return f"not an HTML page ({kind.split(';')[0].strip() or 'text'})"
    text = response.text
    if "\x00" in text[:4096] or (text and text.count("\ufffd") > len(text) * _BINARY_SHARE):
        return "binary content served as text"
    return None


def _reason(failure: Failure) -> str:
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import (
        ConnectionRefusedError,
        DNSLookupError,
        TCPTimedOutError,
        TimeoutError,
    )

    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    if isinstance(error, (TimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(error, DNSLookupError):
        return "DNS lookup failed"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    text = str(error)
    name = type(error).__name__
    if "Timeout" in name or "TimedOut" in name:
        return "timeout"
    if "Refused" in name:
        return "connection refused"
    if "DNS" in name or "Resolve" in name:
        return "DNS lookup failed"
    if "maxsize" in text.lower() or "max size" in text.lower() or "larger than" in text:
        return "too large"
    if "Cancel" in name:
        return "too large (download cancelled)"
    return f"{name}: {text}"[:200] if text else name
