"""The shared HTTP client against a real server on 127.0.0.1: retries, limits, cache, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from prospecting.connectors.replay import ReplayServer
from prospecting.http import (
    AuthError,
    HttpOptions,
    RateLimited,
    RateLimiter,
    ResponseError,
    build_client,
)


@pytest.fixture
def server():
    with ReplayServer() as srv:
        yield srv


def client(server: ReplayServer, **overrides):
    options = {"user_agent": "prospecting-tests (tests@example.com)", "retries": 3,
               "backoff_factor": 0.0, "requests_per_second": 1000.0, **overrides}
    return build_client("testapi", server.url, HttpOptions(**options),
                        auth_hint="set [connectors.testapi] api_key")


def test_429_with_retry_after_is_honoured(server: ReplayServer):
    server.add("/items", {"error": "slow down"}, status=429, headers={"Retry-After": "1"},
               times=1)
    server.add("/items", {"items": [1, 2]})
    page = client(server).get_json("items", {"page": 1})
    assert page.data == {"items": [1, 2]}
    first, second = server.requests
    assert second.at - first.at >= 1.0
    assert first.headers["User-Agent"] == "prospecting-tests (tests@example.com)"


def test_429_every_time_is_one_clear_error(server: ReplayServer):
    server.add("/items", {"error": "slow down"}, status=429, headers={"Retry-After": "0"})
    with pytest.raises(RateLimited) as caught:
        client(server, retries=2).get_json("items")
    message = str(caught.value)
    assert "\n" not in message
    assert "testapi" in message
    assert "rate limit" in message
    assert "429" in message
    assert len(server.requests) == 3  # first try + 2 retries


def test_retry_after_beyond_the_cap_stops_at_once(server: ReplayServer):
    server.add("/items", {}, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited, match="asks to wait 3600 s"):
        client(server, max_retry_wait_s=5).get_json("items")
    assert len(server.requests) == 1


def test_5xx_is_retried_then_succeeds(server: ReplayServer):
    server.add("/items", "oops", status=503, times=2, content_type="text/plain")
    server.add("/items", {"ok": True})
    assert client(server).get_json("items").data == {"ok": True}
    assert len(server.requests) == 3


def test_auth_failure_names_the_setting(server: ReplayServer):
    server.add("/items", {"error": "Invalid Authorization"}, status=401)
    with pytest.raises(AuthError) as caught:
        client(server).get_json("items")
    assert "HTTP 401" in str(caught.value)
    assert "set [connectors.testapi] api_key" in str(caught.value)
    assert len(server.requests) == 1  # never retried


def test_github_style_exhausted_quota_is_a_rate_limit_not_auth(server: ReplayServer):
    server.add("/orgs/x", {"message": "API rate limit exceeded"}, status=403,
               headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"})
    with pytest.raises(RateLimited, match="rate limit reached"):
        client(server).get_json("orgs/x")


def test_html_with_status_200_is_refused(server: ReplayServer):
    server.add("/items", "<html>maintenance</html>", content_type="text/html")
    with pytest.raises(ResponseError, match="expected JSON"):
        client(server).get_json("items")


def test_truncated_json_is_refused(server: ReplayServer):
    server.add("/items", b'{"results": [1, 2', content_type="application/json")
    with pytest.raises(ResponseError, match="invalid or truncated JSON"):
        client(server).get_json("items")


def test_error_envelope_detail_is_in_the_message(server: ReplayServer):
    server.add("/search", {"erreur": "Veuillez indiquer au moins un paramètre de recherche."},
               status=400)
    with pytest.raises(ResponseError, match="au moins un paramètre"):
        client(server).get_json("search")


def test_unreachable_host_is_one_line(tmp_path: Path):
    options = HttpOptions(user_agent="t", retries=0, timeout_s=2.0)
    with pytest.raises(Exception, match=r"cannot reach 127\.0\.0\.1:9"):
        build_client("testapi", "http://127.0.0.1:9", options).get_json("x")


def test_cache_answers_the_second_call(server: ReplayServer, tmp_path: Path):
    server.add("/items", {"n": 1})
    cached = client(server, cache_path=tmp_path / "cache.sqlite")
    cached.get_json("items", {"a": 1})
    again = cached.get_json("items", {"a": 1})
    assert again.from_cache
    assert again.data == {"n": 1}
    assert len(server.requests) == 1
    assert (tmp_path / "cache.sqlite").exists()
    assert cached.requests_made == 1
    assert cached.cache_hits == 1


def test_no_cache_asks_every_time(server: ReplayServer):
    server.add("/items", {"n": 1})
    plain = client(server)
    plain.get_json("items")
    plain.get_json("items")
    assert len(server.requests) == 2


def test_rate_limiter_on_a_fake_clock():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(7.0, 1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(100):
        limiter.acquire("recherche-entreprises.api.gouv.fr")
    assert now[0] >= 14.0  # 99 waits of 1/7 s
    assert now[0] < 14.2
    # Another host has its own bucket.
    before = now[0]
    limiter.acquire("data.sec.gov")
    assert now[0] == before


def test_rate_limiter_burst_then_steady():
    now = [0.0]
    limiter = RateLimiter(60 / 3600, 60, clock=lambda: now[0],
                          sleep=lambda s: now.__setitem__(0, now[0] + s))
    for _ in range(60):
        limiter.acquire("api.github.com")
    assert now[0] == 0.0
    limiter.acquire("api.github.com")
    assert now[0] == pytest.approx(60.0)


def test_requests_are_paced_by_the_limiter(server: ReplayServer):
    server.add("/items", {"n": 1})
    paced = client(server, requests_per_second=20.0)
    for n in range(6):
        paced.get_json("items", {"n": n})
    # Arrival times, from the second request on: the first one also waited for the
    # connection, which can shorten the first gap the server sees.
    times = [r.at for r in server.requests][1:]
    assert times[-1] - times[0] >= 4 / 20 - 0.02


def test_a_slow_answer_is_cut_at_the_read_timeout(server: ReplayServer):
    server.add("/slow", {"n": 1}, delay_s=2.0)
    from prospecting.http import ConnectorError

    with pytest.raises(ConnectorError, match=r"did not answer within 0\.5s"):
        client(server, retries=0, timeout_s=0.5).get_json("slow")
