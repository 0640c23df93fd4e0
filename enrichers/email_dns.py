"""MX lookups for email domains: one query per domain per TTL, failures never taken as verdicts.

``MxResolver.lookup(domain)`` returns an :class:`MxResult` whose ``status`` is one of:

==============  ===========================================================================
``ok``          MX records; ``hosts`` by preference, then name
``a_fallback``  no MX but a globally routable A/AAAA: the implicit MX of RFC 5321 §5.1
``null_mx``     ``MX 0 .``: the domain says it accepts no mail (RFC 7505 §3)
``no_mail``     no MX and no usable address (none, only private/loopback ones, or
                ``v=spf1 -all`` beside a bare A record, as email-validator reads it)
``nxdomain``    the domain does not exist (RFC 1035 §4.1.1 RCODE 3)
``timeout``     no answer within ``timeout_s``
``servfail``    every nameserver failed (SERVFAIL, REFUSED)
``error``       anything else: a malformed name, an unexpected DNS exception
==============  ===========================================================================

Results are cached per domain for their TTL: the MX (or A) record TTL for answers, the SOA
negative TTL for NXDOMAIN and NODATA (RFC 2308 §5; 300 s when the zone sends no SOA), and
60 s for timeouts and failures, which are retried after that, never kept as a verdict.
Concurrent lookups of one domain share a single query. ``lookup_many`` resolves each distinct
domain once: the MX queries go out together over one UDP socket (a fresh random source port
per batch, a random id per query, replies accepted only from the server asked), and only
what that cannot settle alone (the A fallback, truncation, failures) goes through dnspython's
resolver, on a thread pool.

The resolver is dnspython's, aimed at the given nameservers and port (the system's when none
are given), so tests point it at the local server in ``tests/servers/dns_server.py``::

    >>> resolver = MxResolver(nameservers=("127.0.0.1",), port=5353, timeout_s=0.5)
    >>> resolver.lookup("acme.example")  # doctest: +SKIP
    MxResult(domain='acme.example', status='ok', hosts=('mx1.acme.example', ...), ttl=300, ...)
"""

from __future__ import annotations

import ipaddress
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dns.entropy
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.nameserver
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset
import idna

if TYPE_CHECKING:
    from prospecting.settings import DnsSettings

__all__ = [
    "ACCEPTS_MAIL",
    "MX_STATUSES",
    "REJECTS_MAIL",
    "TRANSIENT",
    "MxCacheInfo",
    "MxResolver",
    "MxResult",
    "resolver_from_settings",
]

MX_STATUSES = (
    "ok",
    "a_fallback",
    "null_mx",
    "no_mail",
    "nxdomain",
    "timeout",
    "servfail",
    "error",
)
ACCEPTS_MAIL = frozenset({"ok", "a_fallback"})
REJECTS_MAIL = frozenset({"null_mx", "no_mail", "nxdomain"})
TRANSIENT = frozenset({"timeout", "servfail", "error"})

NEGATIVE_TTL_S = 300  # when a negative answer carries no SOA
RETRY_AFTER_S = 60  # how long a timeout or failure is remembered before asking again
MAX_TTL_S = 86_400  # one day: longer TTLs are not trusted for a whole run


@dataclass(frozen=True, slots=True)
class MxResult:
    """Where mail for ``domain`` goes, or why it goes nowhere.

    ``ttl`` is how many seconds the answer holds: the record TTL, the negative TTL, or for a
    transient failure the delay before it is asked again.
    """

    domain: str
    status: str
    hosts: tuple[str, ...] = ()
    ttl: int = 0
    reason: str = ""

    @property
    def accepts_mail(self) -> bool:
        return self.status in ACCEPTS_MAIL


@dataclass(frozen=True, slots=True)
class MxCacheInfo:
    """Cache counters since the resolver was built: answered from cache, sent to DNS."""

    hits: int
    misses: int
    size: int

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class MxResolver:
    """MX lookups with a per-domain cache bounded by TTL and by ``max_cache`` entries."""

    def __init__(
        self,
        *,
        nameservers: Iterable[str] = (),
        port: int = 53,
        timeout_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        max_cache: int = 100_000,
    ) -> None:
        servers = list(nameservers)
        resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            resolver.nameservers = servers
        resolver.port = port
        resolver.timeout = timeout_s  # per attempt
        resolver.lifetime = timeout_s  # per query, all attempts included
        resolver.cache = None  # ours is per domain and remembers failures briefly
        self._resolver = resolver
        self.timeout_s = timeout_s
        self._clock = clock
        self._max_cache = max(1, max_cache)
        self._cache: dict[str, tuple[float, MxResult]] = {}
        self._inflight: dict[str, Future[MxResult]] = {}
        self._addresses: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    # -- public --------------------------------------------------------------------------

    def lookup(self, domain: str) -> MxResult:
        """The MX answer for ``domain`` (IDNA ASCII, or Unicode converted here); never raises."""
        key, problem = _domain_key(domain)
        if problem:
            return MxResult(domain, "error", (), 0, problem)
        with self._lock:
            cached, future, owner = self._claim(key)
        if cached is not None:
            return cached
        assert future is not None
        if owner:
            self._resolve_owned(key, future)
        return future.result()

    def addresses(self, host: str) -> tuple[str, ...]:
        """IPv4 then IPv6 addresses of a mail host, through the configured resolver.

        The SMTP probe connects to these rather than letting the system resolver look
        the MX host up, so every lookup goes to the nameservers of ``[dns]``. Answers
        are cached for the resolver's lifetime; failures give an empty tuple.
        """
        key = host.rstrip(".").lower()
        with self._lock:
            known = self._addresses.get(key)
        if known is not None:
            return known
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = self._query(dns.name.from_text(key), rdtype)
            except (dns.exception.DNSException, OSError, ValueError):
                continue
            if answer.rrset is not None:
                found.extend(sorted(rr.to_text() for rr in answer.rrset))
        result = tuple(found)
        with self._lock:
            self._addresses[key] = result
        return result

    def lookup_many(self, domains: Iterable[str], *, workers: int = 32) -> dict[str, MxResult]:
        """Every domain's answer, each distinct domain resolved once.

        The MX queries go out together over one UDP socket, ``workers`` in flight at a time
        (one thread per query would spend more time passing the interpreter lock around
        than waiting for answers). Whatever that batch cannot settle on its own (no MX,
        so the A fallback; truncation; SERVFAIL; no answer in time) is asked again through
        the full resolver, ``workers`` threads at a time.
        """
        results: dict[str, MxResult] = {}
        key_of: dict[str, str] = {}
        known: dict[str, MxResult] = {}
        owned: dict[str, Future[MxResult]] = {}
        waiting: dict[str, Future[MxResult]] = {}
        with self._lock:
            for domain in domains:
                if domain in key_of or domain in results:
                    continue
                key, problem = _domain_key(domain)
                if problem:
                    results[domain] = MxResult(domain, "error", (), 0, problem)
                    continue
                key_of[domain] = key
                if key in known or key in owned or key in waiting:
                    continue
                cached, future, owner = self._claim(key)
                if cached is not None:
                    known[key] = cached
                else:
                    assert future is not None
                    (owned if owner else waiting)[key] = future
        try:
            self._resolve_batch(owned, workers)
        except BaseException as error:  # a bug: nobody may wait forever on these domains
            self._abandon(owned, error)
            raise
        for domain, key in key_of.items():
            if key in known:
                results[domain] = known[key]
            else:
                results[domain] = (owned.get(key) or waiting[key]).result()
        return results

    def _resolve_batch(self, owned: dict[str, Future[MxResult]], workers: int) -> None:
        settled: dict[str, MxResult] = {}
        if owned:
            try:
                settled = self._pipeline_mx(list(owned), window=max(1, workers))
            except (OSError, dns.exception.DNSException, ValueError):
                settled = {}  # every domain is asked again through the resolver below
        for key, result in settled.items():
            self._complete(key, owned[key], result)
        leftovers = [key for key in owned if key not in settled]
        if len(leftovers) == 1 or (leftovers and workers <= 1):
            for key in leftovers:
                self._resolve_owned(key, owned[key])
        elif leftovers:
            with ThreadPoolExecutor(max_workers=min(workers, len(leftovers))) as pool:
                list(pool.map(lambda key: self._resolve_owned(key, owned[key]), leftovers))

    def _abandon(self, owned: dict[str, Future[MxResult]], error: BaseException) -> None:
        with self._lock:
            for key, future in owned.items():
                if self._inflight.get(key) is future:
                    del self._inflight[key]
        for future in owned.values():
            if not future.done():
                future.set_exception(error)

    def cache_info(self) -> MxCacheInfo:
        with self._lock:
            return MxCacheInfo(self._hits, self._misses, len(self._cache))

    # -- cache ---------------------------------------------------------------------------

    def _claim(self, key: str) -> tuple[MxResult | None, Future[MxResult] | None, bool]:
        """Under the lock: the cached answer, or the future to wait on and whether we own it.

        The owner of a future resolves the domain and completes it; anyone else asking
        meanwhile waits for that one query instead of sending another.
        """
        cached = self._cached(key)
        if cached is not None:
            self._hits += 1
            return cached, None, False
        future = self._inflight.get(key)
        if future is not None:
            self._hits += 1
            return None, future, False
        future = self._inflight[key] = Future()
        self._misses += 1
        return None, future, True

    def _complete(self, key: str, future: Future[MxResult], result: MxResult) -> None:
        with self._lock:
            self._store(key, result)
            self._inflight.pop(key, None)
        future.set_result(result)

    def _resolve_owned(self, key: str, future: Future[MxResult]) -> None:
        try:
            result = self._resolve_safely(key)
        except BaseException as error:  # a bug: waiters must not hang on it
            with self._lock:
                self._inflight.pop(key, None)
            future.set_exception(error)
            raise
        self._complete(key, future, result)

    def _cached(self, key: str) -> MxResult | None:
        entry = self._cache.get(key)
        if entry is None:
            return None
        expires_at, result = entry
        if self._clock() < expires_at:
            return result
        del self._cache[key]
        return None

    def _store(self, key: str, result: MxResult) -> None:
        if result.ttl <= 0:
            return
        self._cache.pop(key, None)
        while len(self._cache) >= self._max_cache:
            del self._cache[next(iter(self._cache))]  # the oldest entry
        self._cache[key] = (self._clock() + result.ttl, result)

    # -- batch -----------------------------------------------------------------------------

    def _pipeline_target(self) -> tuple[str, int] | None:
        """The first nameserver as (address, port) when it is plain DNS over UDP."""
        servers = self._resolver.nameservers
        if not servers:
            return None
        first = servers[0]
        if isinstance(first, str):
            address, port = first, self._resolver.port
        elif isinstance(first, dns.nameserver.Do53Nameserver):
            address, port = first.address, first.port
        else:
            return None  # DNS over HTTPS/TLS/QUIC: the resolver handles those
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return None
        return address, port

    def _pipeline_mx(self, keys: list[str], *, window: int) -> dict[str, MxResult]:
        """MX answers for many domains over one UDP socket, ``window`` queries in flight.

        Only clear answers come back: MX records (null MX included) and NXDOMAIN. A reply
        is accepted only from the server the socket is connected to, with the query's id
        and question (RFC 5452 §9.1). Anything else is left out for the caller to ask again.
        """
        target = self._pipeline_target()
        if target is None:
            return {}
        settled: dict[str, MxResult] = {}
        family = socket.AF_INET6 if ":" in target[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as sock, selectors.DefaultSelector() as sel:
            sock.setblocking(False)
            try:
                sock.connect(target)
            except OSError:
                return settled
            sel.register(sock, selectors.EVENT_READ)
            queue = deque(keys)
            # id -> (key, query, deadline); insertion order is deadline order.
            inflight: dict[int, tuple[str, dns.message.Message, float]] = {}
            while queue or inflight:
                while queue and len(inflight) < window:
                    key = queue[0]
                    query = dns.message.make_query(dns.name.from_text(key), dns.rdatatype.MX)
                    while query.id in inflight:
                        query.id = dns.entropy.random_16()
                    try:
                        sock.send(query.to_wire())
                    except BlockingIOError:
                        break
                    except OSError:
                        return settled
                    queue.popleft()
                    inflight[query.id] = (key, query, time.monotonic() + self.timeout_s)
                if not inflight:
                    continue
                first_deadline = next(iter(inflight.values()))[2]
                ready = sel.select(max(0.0, first_deadline - time.monotonic()))
                if ready and not self._drain(sock, inflight, settled):
                    return settled
                now = time.monotonic()
                for query_id in [q for q, (_, _, deadline) in inflight.items() if deadline <= now]:
                    del inflight[query_id]  # no answer in time: left to the full resolver
        return settled

    @staticmethod
    def _drain(
        sock: socket.socket,
        inflight: dict[int, tuple[str, dns.message.Message, float]],
        settled: dict[str, MxResult],
    ) -> bool:
        """Read every waiting datagram; False when the socket failed (port unreachable)."""
        while True:
            try:
                wire = sock.recv(65_535)
            except BlockingIOError:
                return True
            except OSError:
                return False
            try:
                response = dns.message.from_wire(wire)
            except (dns.exception.DNSException, ValueError):
                continue  # garbage: ignore it, as the resolver does
            entry = inflight.get(response.id)
            if entry is None or not entry[1].is_response(response):
                continue
            del inflight[response.id]
            result = _settle_mx(entry[0], entry[1], response)
            if result is not None:
                settled[entry[0]] = result

    # -- resolution ----------------------------------------------------------------------

    def _resolve_safely(self, key: str) -> MxResult:
        try:
            return self._resolve(key)
        except dns.resolver.NXDOMAIN as error:
            ttl = _negative_ttl(error.responses().values())
            return MxResult(key, "nxdomain", (), ttl, "domain does not exist")
        except dns.exception.Timeout:
            return MxResult(
                key,
                "timeout",
                (),
                RETRY_AFTER_S,
                f"no DNS answer within {self.timeout_s:g} s; will ask again",
            )
        except dns.resolver.NoNameservers as error:
            return MxResult(
                key, "servfail", (), RETRY_AFTER_S, f"no nameserver gave an answer: {_short(error)}"
            )
        except (dns.exception.DNSException, OSError, ValueError) as error:
            return MxResult(key, "error", (), RETRY_AFTER_S, f"DNS lookup failed: {_short(error)}")

    def _query(self, name: dns.name.Name, rdtype: str) -> dns.resolver.Answer:
        return self._resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)

    def _resolve(self, key: str) -> MxResult:
        name = dns.name.from_text(key)
        answer = self._query(name, "MX")
        if answer.rrset is not None:
            return _mx_result(key, answer.rrset)
        # RFC 5321 §5.1: no MX, so the domain itself is the mail host if it has an address.
        mx_ttl = _negative_ttl([answer.response])
        addresses: list[str] = []
        ttl = mx_ttl
        for rdtype in ("A", "AAAA"):
            reply = self._query(name, rdtype)
            if reply.rrset is not None:
                addresses += [rdata.address for rdata in reply.rrset]
                ttl = min(ttl, reply.rrset.ttl)
            if any(_is_global(address) for address in addresses):
                break  # as email-validator: AAAA only when no A is globally routable
        if not addresses:
            return MxResult(key, "no_mail", (), mx_ttl, "no MX and no A/AAAA record")
        public = [address for address in addresses if _is_global(address)]
        private = [address for address in addresses if not _is_global(address)]
        if not public:
            return MxResult(
                key,
                "no_mail",
                (),
                _clamp(ttl),
                "no MX; A/AAAA only to non-public addresses ("
                + ", ".join(private)
                + "): unreachable from the Internet",
            )
        spf = self._query(name, "TXT")
        if spf.rrset is not None and any(
            b"".join(rdata.strings) == b"v=spf1 -all" for rdata in spf.rrset
        ):
            # RFC 7208 "v=spf1 -all" with no MX: the domain declares it sends no mail and
            # is not a mail domain (email-validator reads it the same way).
            return MxResult(
                key,
                "no_mail",
                (),
                _clamp(min(ttl, spf.rrset.ttl)),
                "no MX, and SPF 'v=spf1 -all' says the domain sends no mail",
            )
        reason = "no MX; mail goes to the domain's own address (RFC 5321 §5.1): " + ", ".join(
            public
        )
        if private:
            reason += "; non-public addresses ignored: " + ", ".join(private)
        return MxResult(key, "a_fallback", (key,), _clamp(ttl), reason)


def _settle_mx(
    key: str, query: dns.message.Message, response: dns.message.Message
) -> MxResult | None:
    """The result a batch reply settles by itself, or None when the full resolver must ask."""
    if response.flags & dns.flags.TC:
        return None  # truncated: the resolver retries over TCP (RFC 7766 §5)
    if response.rcode() == dns.rcode.NXDOMAIN:
        if response.answer:
            return None  # NXDOMAIN at the end of a CNAME chain: the resolver follows it
        return MxResult(key, "nxdomain", (), _negative_ttl([response]), "domain does not exist")
    if response.rcode() != dns.rcode.NOERROR:
        return None
    try:
        rrset = response.find_rrset(
            response.answer, query.question[0].name, dns.rdataclass.IN, dns.rdatatype.MX
        )
    except KeyError:
        return None  # NODATA (A fallback) or a CNAME to follow
    return _mx_result(key, rrset)


def _mx_result(key: str, rrset: dns.rrset.RRset) -> MxResult:
    ttl = _clamp(rrset.ttl)
    records = sorted(
        {
            (rdata.preference, rdata.exchange.to_text(omit_final_dot=True).lower())
            for rdata in rrset
            if rdata.exchange != dns.name.root
        }
    )
    if not records:
        return MxResult(key, "null_mx", (), ttl, "null MX (RFC 7505): the domain accepts no mail")
    hosts = tuple(dict.fromkeys(host for _, host in records))
    return MxResult(key, "ok", hosts, ttl, f"{len(hosts)} MX host(s), best {hosts[0]}")


def _negative_ttl(responses: Iterable[dns.message.Message | None]) -> int:
    """RFC 2308 §5: the lesser of the SOA record's TTL and its MINIMUM field."""
    for response in responses:
        if not isinstance(response, dns.message.Message):
            continue
        for rrset in response.authority:
            if rrset.rdtype == dns.rdatatype.SOA and len(rrset):
                return _clamp(min(rrset.ttl, rrset[0].minimum))
    return NEGATIVE_TTL_S


def _clamp(ttl: int) -> int:
    return max(1, min(int(ttl), MAX_TTL_S))


def _is_global(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _domain_key(domain: str) -> tuple[str, str | None]:
    """The lower-case IDNA ASCII form of ``domain``, or why there is none."""
    key = domain.strip().rstrip(".").lower()
    if not key:
        return key, "empty domain"
    if not key.isascii():
        try:
            key = idna.encode(key, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError) as error:
            return key, f"not a valid domain name: {error}"
    labels = key.split(".")
    if not all(labels):
        return key, "not a valid domain name (empty label)"
    if len(key) > 253 or any(len(label) > 63 for label in labels):
        return key, "not a valid domain name (too long, RFC 1035 §2.3.4)"
    return key, None


def resolver_from_settings(dns_settings: DnsSettings | None) -> MxResolver:
    """An :class:`MxResolver` configured by the ``[dns]`` settings (None: the defaults)."""
    if dns_settings is None:
        return MxResolver()
    return MxResolver(
        nameservers=tuple(dns_settings.nameservers),
        port=dns_settings.port,
        timeout_s=dns_settings.timeout_s,
    )
