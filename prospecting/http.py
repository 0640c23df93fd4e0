"""The one HTTP client factory the connectors share: base URL, timeouts, retries, rate limit, cache.

::

    HttpClient.get_json(path, params)            one call = one API page
      ├── requests-cache CachedSession          answered from the SQLite cache when fresh
      └── _LimitedAdapter (per-host bucket)     only real network calls wait for a token
            └── urllib3 Retry                   429/5xx retried with back-off, Retry-After honoured

Why these parts: requests has no default timeout, so every call passes one; urllib3's
``Retry`` already knows ``Retry-After`` and exponential back-off; requests-cache keeps
responses in one SQLite file so re-running a finished query costs no request. The rate
limiter sits in the transport adapter, below the cache, so cached answers never wait.

Errors are one line naming the connector, host and status (see :class:`ConnectorError`):
authentication failures say which setting holds the key; a rate limit still hit after
the retries says when to come back.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from .errors import SourceError

__all__ = [
    "AuthError",
    "ConnectorError",
    "HttpClient",
    "HttpOptions",
    "RateLimited",
    "RateLimiter",
    "ResponseError",
    "build_client",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ConnectorError(SourceError):
    """A public-data connector cannot go on: the message names connector, host and cause."""


class AuthError(ConnectorError):
    """The API refused our credentials (HTTP 401/403); the message names the setting to fix."""


class RateLimited(ConnectorError):
    """The API still answered 429 (or an exhausted quota) after the retries."""


class ResponseError(ConnectorError):
    """One page came back unusable (bad JSON, an error envelope): quarantined, the run goes on."""

    def __init__(self, message: str, *, url: str, raw: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.raw = raw


class RateLimiter:
    """A token bucket per host: ``rate`` requests per second, bursts of ``burst``.

    ``clock`` and ``sleep`` are parameters so a test can run 100 calls on a fake clock.
    Companies House's 600 per 5 minutes is ``rate=2, burst=1``; GitHub's 60 per hour
    unauthenticated is ``rate=60/3600, burst=60``.
    """

    def __init__(
        self, rate: float, burst: float = 1.0, *,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst)
        self.clock = clock
        self.sleep = sleep
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}
        self._lock = threading.Lock()

    def acquire(self, host: str) -> float:
        """Take one token for ``host``, sleeping until there is one; return seconds waited."""
        with self._lock:
            now = self.clock()
            tokens = self._tokens.get(host, self.burst)
            last = self._stamp.get(host, now)
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._tokens[host] = tokens - 1  # may go below 0: the wait pays it back
            self._stamp[host] = now
        if wait > 0:
            self.sleep(wait)
        return wait


class _LimitedAdapter(HTTPAdapter):
    """An adapter that takes a rate-limit token before each network send.

    requests-cache answers hits before the adapter is reached, so cached pages are free.
    """

    def __init__(self, limiter: RateLimiter, **kwargs: Any) -> None:
        self.limiter = limiter
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.limiter.acquire(urlsplit(request.url or "").netloc)
        return super().send(request, *args, **kwargs)


class _Retry(Retry):
    """urllib3's Retry, with a rate-limit token taken before every retried attempt too."""

    limiter: RateLimiter | None = None
    host: str = ""
    connector: str = ""

    def sleep(self, response: Any = None) -> None:
        if response is not None and self.respect_retry_after_header:
            header = response.headers.get("Retry-After")
            wait = _retry_after_seconds(header) if header else None
            if wait is not None and wait > self.retry_after_max:
                # Waiting hours inside one call helps no one: say when to come back.
                raise RateLimited(
                    f"{self.connector}: {self.host} asks to wait {wait:.0f} s (Retry-After),"
                    f" more than max_retry_wait_s={self.retry_after_max}; try again later"
                )
        super().sleep(response)
        if self.limiter is not None and self.host:
            self.limiter.acquire(self.host)

    def new(self, **kw: Any) -> _Retry:
        new = super().new(**kw)
        new.limiter, new.host, new.connector = self.limiter, self.host, self.connector
        return new


@dataclass(frozen=True)
class HttpOptions:
    """What :func:`build_client` needs; ``[http]`` settings and the connector's table fill it."""

    user_agent: str
    timeout_s: float = 30.0
    connect_timeout_s: float = 5.0
    requests_per_second: float = 2.0
    burst: float = 1.0
    max_connections_per_host: int = 4
    retries: int = 5
    backoff_factor: float = 1.0
    max_retry_wait_s: int = 120
    cache_path: Path | None = None  # None: no cache
    cache_expire_s: float = 86400.0
    max_bytes: int = 20 * 1024 * 1024
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class JsonPage:
    """One decoded answer and where it came from (the locator every stored fact carries)."""

    url: str
    status: int
    data: Any
    headers: Mapping[str, str]
    from_cache: bool


class HttpClient:
    """GET JSON from one API root; every call has a timeout, a rate limit and retries."""

    def __init__(self, connector: str, base_url: str, options: HttpOptions,
                 *, auth_hint: str = "") -> None:
        self.connector = connector
        self.base_url = base_url.rstrip("/") + "/"
        self.options = options
        self.auth_hint = auth_hint
        self.limiter = RateLimiter(
            options.requests_per_second, options.burst, clock=options.clock, sleep=options.sleep
        )
        self.session = _make_session(options)
        retry = _Retry(
            total=options.retries,
            connect=options.retries,
            read=options.retries,
            status=options.retries,
            backoff_factor=options.backoff_factor,
            backoff_jitter=0.0 if options.backoff_factor == 0 else 0.5,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            respect_retry_after_header=True,
            retry_after_max=options.max_retry_wait_s,
            raise_on_status=False,
        )
        retry.limiter, retry.host = self.limiter, urlsplit(self.base_url).netloc
        retry.connector = connector
        adapter = _LimitedAdapter(
            self.limiter, max_retries=retry, pool_maxsize=options.max_connections_per_host,
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = options.user_agent
        self.session.headers["Accept"] = "application/json"
        self.session.headers.update(options.headers)
        if options.auth is not None:
            self.session.auth = options.auth
        self.requests_made = 0
        self.cache_hits = 0

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The full URL of a call, query string included (sorted: the same call, one text)."""
        url = urljoin(self.base_url, path.lstrip("/")) if not path.startswith("http") else path
        if params:
            clean = sorted((k, str(v)) for k, v in params.items() if v is not None)
            url += ("&" if "?" in url else "?") + urlencode(clean)
        return url

    def get_json(
        self, path: str, params: Mapping[str, Any] | None = None, *,
        headers: Mapping[str, str] | None = None, accept_404: bool = False,
    ) -> JsonPage:
        """GET and decode one JSON answer, or raise a one-line :class:`ConnectorError`."""
        url = self.url(path, params)
        host = urlsplit(url).netloc
        try:
            response = self.session.get(
                url, headers=dict(headers or {}),
                timeout=(self.options.connect_timeout_s, self.options.timeout_s),
            )
        except requests.exceptions.RetryError as exc:
            raise RateLimited(
                f"{self.connector}: {host} kept refusing after {self.options.retries} retries"
                f" ({exc}); lower the request rate or try again later"
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise ConnectorError(
                f"{self.connector}: {host} did not answer within {self.options.timeout_s:g}s"
                f" ({url})"
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            reason = getattr(exc.args[0] if exc.args else None, "reason", None)
            if isinstance(reason, ReadTimeoutError):
                raise ConnectorError(
                    f"{self.connector}: {host} did not answer within "
                    f"{self.options.timeout_s:g}s, {self.options.retries} retries ({url})"
                ) from exc
            raise ConnectorError(f"{self.connector}: cannot reach {host} ({url}): "
                                 f"{_short(exc)}") from exc
        from_cache = bool(getattr(response, "from_cache", False))
        if from_cache:
            self.cache_hits += 1
        else:
            self.requests_made += 1
        status = response.status_code
        if status in (401, 403) and not _quota_exhausted(response):
            hint = f"; {self.auth_hint}" if self.auth_hint else ""
            raise AuthError(
                f"{self.connector}: {host} refused the request (HTTP {status}, authentication"
                f" failed or not allowed){hint}"
            )
        if status == 429 or _quota_exhausted(response):
            wait = response.headers.get("Retry-After") or _reset_in(response)
            after = f"; retry after {wait} s" if wait else ""
            raise RateLimited(
                f"{self.connector}: {host} rate limit reached (HTTP {status}) after "
                f"{self.options.retries} retries{after}; lower requests_per_second for "
                f"[connectors.{self.connector}] or wait"
            )
        if status == 404 and accept_404:
            return JsonPage(url, status, None, response.headers, from_cache)
        body = response.content
        if len(body) > self.options.max_bytes:
            raise ResponseError(
                f"{self.connector}: answer larger than {self.options.max_bytes} bytes ({url})",
                url=url,
            )
        text = body.decode(response.encoding or "utf-8", errors="replace")
        if status >= 400:
            detail = _error_detail(text)
            raise ResponseError(
                f"{self.connector}: HTTP {status} from {host}{': ' + detail if detail else ''}"
                f" ({url})", url=url, raw=text[:2000],
            )
        ctype = response.headers.get("Content-Type", "")
        if "json" not in ctype:
            raise ResponseError(
                f"{self.connector}: expected JSON from {url}, got "
                f"{ctype or 'no Content-Type'}", url=url, raw=text[:2000],
            )
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ResponseError(
                f"{self.connector}: invalid or truncated JSON from {url} ({exc})",
                url=url, raw=text[:2000],
            ) from exc
        return JsonPage(url, status, data, response.headers, from_cache)

    def forget(self, url: str) -> None:
        """Drop a cached answer that turned out unusable, so the next run asks again."""
        cache = getattr(self.session, "cache", None)
        if cache is not None:
            cache.delete(urls=[url])

    def close(self) -> None:
        self.session.close()


def _make_session(options: HttpOptions) -> requests.Session:
    if options.cache_path is None:
        return requests.Session()
    from requests_cache import CachedSession

    options.cache_path.parent.mkdir(parents=True, exist_ok=True)
    return CachedSession(
        str(options.cache_path),
        backend="sqlite",
        expire_after=options.cache_expire_s,
        allowable_codes=(200,),
        allowable_methods=("GET", "HEAD"),
        # Credentials never reach the cache file (DS-8).
        ignored_parameters=["Authorization", "api_key", "access_token"],
        match_headers=False,
        stale_if_error=False,
    )


def build_client(
    connector: str, base_url: str, options: HttpOptions, *, auth_hint: str = ""
) -> HttpClient:
    """The connector's client; one per run, closed by the caller."""
    return HttpClient(connector, base_url, options, auth_hint=auth_hint)


def _retry_after_seconds(header: str) -> float | None:
    """Retry-After as seconds, uncapped (RFC 9110 §10.2.3: delay-seconds or an HTTP-date)."""
    text = header.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _quota_exhausted(response: requests.Response) -> bool:
    # GitHub answers 403 (or 429) with X-RateLimit-Remaining: 0 when the hourly quota is spent.
    return response.status_code in (403, 429) and response.headers.get(
        "X-RateLimit-Remaining"
    ) == "0"


def _reset_in(response: requests.Response) -> str | None:
    reset = response.headers.get("X-RateLimit-Reset")
    if reset and reset.isdigit():
        return str(max(0, int(reset) - int(time.time())))
    return None


def _error_detail(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("erreur", "error", "message", "errors"):
            if data.get(key):
                value = data[key]
                return value if isinstance(value, str) else json.dumps(value)[:300]
    return ""


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
