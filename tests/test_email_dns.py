"""MX lookups against the local authoritative server: every status, TTL caching, timeouts."""

from __future__ import annotations

import itertools
import socket
import threading
import time

import pytest

from enrichers.email_dns import MX_STATUSES, MxResolver, MxResult, resolver_from_settings
from prospecting.settings import DnsSettings
from tests.servers.dns_server import NEGATIVE_TTL, DnsTestServer, dns_server  # noqa: F401

TIMEOUT_S = 0.3
_unique = itertools.count()


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def resolver(dns_server: DnsTestServer, clock: FakeClock) -> MxResolver:  # noqa: F811
    return MxResolver(
        nameservers=dns_server.nameservers, port=dns_server.port, timeout_s=TIMEOUT_S, clock=clock
    )


def bulk_domain() -> str:
    """A name no other test has asked for, so query counts start at zero."""
    return f"d{900_000 + next(_unique)}.bulk.example"


# -- every status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "status", "hosts", "ttl"),
    [
        ("acme.example", "ok", ("mx1.acme.example", "mx2.acme.example"), 300),
        ("ACME.Example.", "ok", ("mx1.acme.example", "mx2.acme.example"), 300),
        ("samepref.example", "ok", ("a.samepref.example", "b.samepref.example"), 600),
        ("société.example", "ok", ("mx.xn--socit-esab.example",), 300),
        ("nullmx.example", "null_mx", (), 3600),
        ("nxdomain.example", "nxdomain", (), NEGATIVE_TTL),
        ("aonly.example", "a_fallback", ("aonly.example",), NEGATIVE_TTL),
        ("aaaaonly.example", "a_fallback", ("aaaaonly.example",), NEGATIVE_TTL),
        ("mixeda.example", "a_fallback", ("mixeda.example",), NEGATIVE_TTL),
        ("privatea.example", "no_mail", (), NEGATIVE_TTL),
        ("loopback.example", "no_mail", (), NEGATIVE_TTL),
        ("spfnone.example", "no_mail", (), NEGATIVE_TTL),
        ("nomail.example", "no_mail", (), NEGATIVE_TTL),
        ("servfail.example", "servfail", (), 60),
        ("slow.example", "timeout", (), 60),
        ("big.example", "ok", tuple(f"mail-{n:02d}.big.example" for n in range(60)), 300),
    ],
)
def test_statuses(resolver: MxResolver, domain: str, status: str, hosts: tuple, ttl: int):
    result = resolver.lookup(domain)
    assert result.status == status, result.reason
    assert result.hosts == hosts
    assert result.ttl == ttl
    assert result.reason
    assert result.status in MX_STATUSES


def test_a_fallback_and_private_addresses_are_explained(resolver: MxResolver):
    assert "93.184.215.14" in resolver.lookup("aonly.example").reason
    assert "10.0.0.25" in resolver.lookup("privatea.example").reason
    mixed = resolver.lookup("mixeda.example").reason
    assert "93.184.215.15" in mixed
    assert "non-public addresses ignored: 10.0.0.26" in mixed
    assert "v=spf1 -all" in resolver.lookup("spfnone.example").reason


@pytest.mark.parametrize("domain", ["", "   ", "a..b", "x" * 64 + ".fr", "é" * 70 + ".fr"])
def test_malformed_domains_are_errors_without_a_query(
    resolver: MxResolver,
    dns_server: DnsTestServer,  # noqa: F811
    domain: str,
):
    before = dns_server.total()
    result = resolver.lookup(domain)
    assert result.status == "error"
    assert dns_server.total() == before


def test_big_answers_come_over_tcp(resolver: MxResolver, dns_server: DnsTestServer):  # noqa: F811
    before = dns_server.count("big.example", "MX")
    assert len(resolver.lookup("big.example").hosts) == 60
    assert dns_server.count("big.example", "MX") == before + 2  # truncated UDP, then TCP


# -- caching ------------------------------------------------------------------------------


def test_no_repeated_lookup_within_ttl(
    resolver: MxResolver,
    dns_server: DnsTestServer,  # noqa: F811
    clock: FakeClock,
):
    before = dns_server.count("acme.example", "MX")
    first = resolver.lookup("acme.example")
    for _ in range(50):
        assert resolver.lookup("acme.example") is first
    clock.advance(299)
    assert resolver.lookup("Acme.Example") is first
    assert dns_server.count("acme.example", "MX") == before + 1
    clock.advance(2)  # past the 300 s TTL
    assert resolver.lookup("acme.example") == first
    assert dns_server.count("acme.example", "MX") == before + 2


def test_negative_answers_are_cached_for_the_soa_minimum(
    resolver: MxResolver,
    dns_server: DnsTestServer,  # noqa: F811
    clock: FakeClock,
):
    before = dns_server.count("nxdomain.example")
    assert resolver.lookup("nxdomain.example").status == "nxdomain"
    clock.advance(NEGATIVE_TTL - 1)
    assert resolver.lookup("nxdomain.example").status == "nxdomain"
    assert dns_server.count("nxdomain.example") == before + 1
    clock.advance(2)
    resolver.lookup("nxdomain.example")
    assert dns_server.count("nxdomain.example") == before + 2


@pytest.mark.parametrize("domain", ["slow.example", "servfail.example"])
def test_failures_are_remembered_briefly_never_as_a_verdict(
    resolver: MxResolver,
    dns_server: DnsTestServer,  # noqa: F811
    clock: FakeClock,
    domain: str,
):
    before = dns_server.count(domain, "MX")
    first = resolver.lookup(domain)
    assert first.status in ("timeout", "servfail")
    assert resolver.lookup(domain) is first  # not asked again at once
    assert dns_server.count(domain, "MX") == before + 1
    clock.advance(61)
    resolver.lookup(domain)
    assert dns_server.count(domain, "MX") == before + 2


def test_timeouts_end_within_the_timeout(resolver: MxResolver):
    started = time.monotonic()
    assert resolver.lookup("slow.example").status == "timeout"
    assert time.monotonic() - started < TIMEOUT_S + 1


def test_a_closed_port_is_unknown_not_valid(clock: FakeClock):  # EV-4
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    resolver = MxResolver(
        nameservers=("127.0.0.1",), port=closed_port, timeout_s=TIMEOUT_S, clock=clock
    )
    started = time.monotonic()
    single = resolver.lookup("acme.example")
    many = MxResolver(
        nameservers=("127.0.0.1",), port=closed_port, timeout_s=TIMEOUT_S
    ).lookup_many(["acme.example", "nullmx.example"])
    assert time.monotonic() - started < 3 * TIMEOUT_S + 2
    for result in (single, *many.values()):
        assert result.status in ("timeout", "servfail", "error")
        assert not result.accepts_mail


def test_the_cache_is_bounded(dns_server: DnsTestServer, clock: FakeClock):  # noqa: F811
    resolver = MxResolver(
        nameservers=dns_server.nameservers,
        port=dns_server.port,
        timeout_s=TIMEOUT_S,
        clock=clock,
        max_cache=3,
    )
    domains = [bulk_domain() for _ in range(5)]
    for domain in domains:
        resolver.lookup(domain)
    assert resolver.cache_info().size == 3
    before = dns_server.count(domains[0])
    resolver.lookup(domains[0])  # the oldest entry was dropped
    assert dns_server.count(domains[0]) == before + 1


def test_concurrent_lookups_share_one_query(resolver: MxResolver, dns_server: DnsTestServer):  # noqa: F811
    domain = bulk_domain()
    barrier = threading.Barrier(8)
    results: list[MxResult] = []

    def ask() -> None:
        barrier.wait()
        results.append(resolver.lookup(domain))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status for r in results} == {"ok"}
    assert dns_server.count(domain, "MX") == 1


# -- lookup_many ----------------------------------------------------------------------------


def test_lookup_many_resolves_each_distinct_domain_once(
    resolver: MxResolver,
    dns_server: DnsTestServer,  # noqa: F811
):
    domains = [bulk_domain() for _ in range(200)]
    asked = [*domains, *domains, *(d.upper() for d in domains[:20])]
    results = resolver.lookup_many(asked, workers=16)
    assert set(results) == set(asked)
    assert all(r.status == "ok" for r in results.values())
    assert results[domains[3]].hosts == (f"mx.{domains[3]}",)
    assert all(dns_server.count(d, "MX") == 1 for d in domains)
    info = resolver.cache_info()
    assert info.misses == 200
    again = resolver.lookup_many(domains)
    assert all(again[d] is results[d] for d in domains)
    assert all(dns_server.count(d, "MX") == 1 for d in domains)
    assert resolver.cache_info().hits >= 200


ALL_ZONES = [
    "acme.example",
    "samepref.example",
    "nullmx.example",
    "nxdomain.example",
    "aonly.example",
    "aaaaonly.example",
    "privatea.example",
    "loopback.example",
    "mixeda.example",
    "spfnone.example",
    "nomail.example",
    "slow.example",
    "servfail.example",
    "big.example",
    "société.example",
    "xn--socit-esab.example",
    "",
    "a..b",
]


def test_lookup_many_agrees_with_lookup(dns_server: DnsTestServer):  # noqa: F811
    def fresh() -> MxResolver:
        return MxResolver(
            nameservers=dns_server.nameservers, port=dns_server.port, timeout_s=TIMEOUT_S
        )

    many = fresh().lookup_many(ALL_ZONES, workers=4)
    single = fresh()
    assert set(many) == set(ALL_ZONES)
    for domain in ALL_ZONES:
        assert many[domain] == single.lookup(domain), domain


def test_lookup_many_with_one_worker(resolver: MxResolver):
    results = resolver.lookup_many(["acme.example", "aonly.example", "acme.example"], workers=1)
    assert results["acme.example"].status == "ok"
    assert results["aonly.example"].status == "a_fallback"


def test_lookup_many_of_nothing(resolver: MxResolver):
    assert resolver.lookup_many([]) == {}


# -- settings -----------------------------------------------------------------------------


def test_resolver_from_settings(dns_server: DnsTestServer):  # noqa: F811
    settings = DnsSettings(nameservers=("127.0.0.1",), port=dns_server.port, timeout_s=0.5)
    resolver = resolver_from_settings(settings)
    assert resolver.timeout_s == 0.5
    assert resolver.lookup("acme.example").status == "ok"
