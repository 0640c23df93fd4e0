"""Ask a domain's mail server whether mailboxes exist, without sending any mail.

One connection per domain to its best reachable MX: EHLO (HELO when refused), ``MAIL FROM``
(after STARTTLS when the server asks for it),
``RCPT TO`` a random local part first (the catch-all test), then each real address, ``QUIT``.
``DATA`` is never sent, so nothing is ever delivered (RFC 5321 §3.3: a transaction without
DATA delivers nothing).

Replies are classified by code, enhanced status code (RFC 3463) and text, in this order:

1. texts that mean *our IP* was refused (blocklists, reputation, missing reverse DNS, "blocked",
   "refused") → ``blocked``, never ``undeliverable``;
2. 2xx → ``deliverable`` (``catch_all`` when the random address was accepted too);
3. 4xx → ``full_inbox`` when the text says so, else ``greylisted`` with ``retry_after_s``;
4. 5xx → ``full_inbox`` (552, x.2.2, "mailbox full"), ``undeliverable`` (550/551/553,
   x.1.x, x.2.1 "disabled", "user unknown" and its French forms), ``blocked`` (554, 5.7.x),
   else ``unknown``.

Timeouts and dropped connections end probing of that host for the rest of the run; when no
MX host has ever answered and several in a row cannot be reached, outbound port 25 is taken
to be blocked and later domains end at once with status ``unknown``.

Example::

    >>> prober = SmtpProber(helo="probe.example.org", mail_from="verify@example.org")
    >>> probe = prober.probe_domain("exemple.fr", ["mx1.exemple.fr"], ["jean.dupont@exemple.fr"])
    ... # doctest: +SKIP
    >>> probe.results["jean.dupont@exemple.fr"].status  # doctest: +SKIP
    'deliverable'
"""

from __future__ import annotations

import math
import re
import secrets
import smtplib
import socket
import ssl
import string
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

from prospecting.errors import NotConfigured

if TYPE_CHECKING:
    from prospecting.settings import SmtpSettings

__all__ = [
    "STATUSES",
    "DomainProbe",
    "HostLimiter",
    "SmtpProber",
    "SmtpResult",
    "classify_reply",
    "prober_from_settings",
]

STATUSES: Final = (
    "deliverable",
    "undeliverable",
    "catch_all",
    "full_inbox",
    "greylisted",
    "blocked",
    "timeout",
    "unknown",
)

# Consumer mailbox providers known not to accept unknown addresses: the catch-all test
# would only cost a connection slot there.
NO_CATCH_ALL_TEST: Final = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.fr",
        "hotmail.nl",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.fr",
        "yahoo.com",
        "yahoo.fr",
    }
)

# Postgrey's default delay; a greylisting reply that names its own delay wins.
DEFAULT_GREYLIST_RETRY_S: Final = 300.0

_RANDOM_LOCAL_LENGTH = 15
_WINDOW_S = 60.0

# -- the reply table (texts are matched accent-folded and lower-cased) ---------------------


def _words(*phrases: str) -> re.Pattern[str]:
    """Phrases starting at a word boundary: "listed" must not match "greylisted"."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + ")")


# Our address or reputation was refused, not the mailbox: never a verdict on the address.
_BLOCK_TEXTS = _words(
    "spamhaus",
    "spamcop",
    "barracuda",
    "sorbs",
    "dnsbl",
    "rbl",
    "blocklist",
    "block list",
    "blacklist",
    "black list",
    "listed",
    "blocked",
    "refused",
    "poor reputation",
    "bad reputation",
    "low reputation",
    "ip reputation",
    "access denied",
    "relay access denied",
    "client host rejected",
    "banned",
    "bloque",  # bloqué, bloquée
    "refuse",  # refusé, refusée
    "liste noire",
)
_RDNS_TEXTS = _words(
    "reverse dns",
    "reverse hostname",
    "reverse lookup",
    "rdns",
    "ptr record",
    "no ptr",
    "find your hostname",
    "resolve your address",
)
_DISABLED_TEXTS = _words(
    "disabled",
    "deactivated",
    "discontinued",
    "inactive",
    "account suspended",
    "mailbox suspended",
    "desactive",  # désactivé, désactivée
    "compte suspendu",
)
_FULL_TEXTS = _words(
    "mailbox full",
    "mailbox is full",
    "box full",
    "inbox full",
    "over quota",
    "overquota",
    "quota exceeded",
    "exceeded storage",
    "exceeds storage",
    "out of storage",
    "insufficient storage",
    "storage space",
    "boite pleine",
    "boite aux lettres pleine",
    "boite de reception pleine",
    "quota depasse",
    "quota atteint",
    "espace insuffisant",
)
_UNKNOWN_USER_TEXTS = _words(
    "user unknown",
    "unknown user",
    "unknown recipient",
    "recipient unknown",
    "no such user",
    "no such recipient",
    "no such mailbox",
    "no such address",
    "no mailbox",
    "mailbox not found",
    "mailbox unavailable",
    "mailbox does not exist",
    "recipient not found",
    "user not found",
    "address not found",
    "address rejected",
    "invalid recipient",
    "invalid mailbox",
    "invalid address",
    "does not exist",
    "doesn't exist",
    "not exist",
    "unrouteable address",
    "unroutable address",
    "utilisateur inconnu",
    "utilisateur inexistant",
    "destinataire inconnu",
    "destinataire inexistant",
    "destinataire invalide",
    "adresse inconnue",
    "adresse inexistante",
    "adresse invalide",
    "boite aux lettres inconnue",
    "boite aux lettres inexistante",
    "boite inconnue",
    "compte inexistant",
    "compte inconnu",
    "n'existe pas",
)
_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_DELAY = re.compile(r"(\d{1,5})\s*(s|secs?|seconds?|secondes?|m|mins?|minutes?)\b", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower-case, without accents, so French replies match one spelling."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _delay_s(text: str) -> float | None:
    match = _DELAY.search(text)
    if match is None:
        return None
    amount = float(match.group(1))
    return amount * 60 if match.group(2).lower().startswith("m") else amount


def _wants_tls(code: int, message: bytes | str) -> bool:
    """A refusal that asks for STARTTLS first (530, or its enhanced code 5.7.0 saying so)."""
    text = _text(message).lower()
    return code == 530 or (code // 100 == 5 and "starttls" in text)


def classify_reply(code: int, message: str) -> tuple[str, str]:
    """The status and reason for one SMTP reply to ``RCPT TO`` (see the module table).

    >>> classify_reply(550, "5.1.1 <x@exemple.fr>: Recipient address rejected: User unknown")
    ('undeliverable', 'mailbox unknown')
    >>> classify_reply(554, "5.7.1 Service unavailable; listed at zen.spamhaus.org")[0]
    'blocked'
    """
    text = _fold(message)
    enhanced = _ENHANCED.search(text)
    subject = (enhanced.group(2), enhanced.group(3)) if enhanced else None
    if _RDNS_TEXTS.search(text):
        return "blocked", "the server wants a reverse DNS (PTR) name for our address"
    if _BLOCK_TEXTS.search(text):
        return "blocked", "the server refuses our address (blocklist or reputation)"
    if 200 <= code < 300:
        return "deliverable", "accepted"
    if 400 <= code < 500:
        if _FULL_TEXTS.search(text) or subject == ("2", "2"):
            return "full_inbox", "mailbox full (temporary)"
        return "greylisted", "temporary refusal (greylisting): retry later"
    if 500 <= code < 600:
        if _FULL_TEXTS.search(text) or subject == ("2", "2") or code == 552:
            return "full_inbox", "mailbox full"
        if _DISABLED_TEXTS.search(text) or subject == ("2", "1"):
            return "undeliverable", "mailbox disabled"
        if subject is not None and subject[0] == "7":
            return "blocked", "refused by the server's policy (not about the mailbox)"
        if _UNKNOWN_USER_TEXTS.search(text) or (subject is not None and subject[0] == "1"):
            return "undeliverable", "mailbox unknown"
        if code in (550, 551, 553):
            return "undeliverable", "mailbox refused"
        if code == 554:
            return "blocked", "transaction refused (554), not a verdict on the mailbox"
    return "unknown", f"unexpected reply {code}"


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpResult:
    """What one mail server said about one address; ``message`` is its reply text."""

    email: str
    status: str
    code: int | None
    message: str
    mx_host: str | None
    reason: str
    retry_after_s: float | None = None


@dataclass(frozen=True)
class DomainProbe:
    """Every address of one domain, asked over one connection.

    ``catch_all`` is None when the random address got no verdict (greylisted, blocked, no
    connection); ``mx_host`` is the host that answered, None when none did.
    """

    domain: str
    catch_all: bool | None
    results: dict[str, SmtpResult] = field(default_factory=dict)
    mx_host: str | None = None
    reason: str = ""

    @property
    def retry_after_s(self) -> float | None:
        """Seconds before a greylisted address is worth asking again; None when none was."""
        delays = [r.retry_after_s for r in self.results.values() if r.retry_after_s is not None]
        return max(delays) if delays else None


# -- rate limits ----------------------------------------------------------------------------


class HostLimiter:
    """At most ``max_concurrent`` open and ``max_per_minute`` new connections per host.

    Thread-safe; a minute is a sliding window over ``clock`` (seconds).
    """

    def __init__(
        self,
        max_concurrent: int,
        max_per_minute: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_concurrent < 1 or max_per_minute < 1:
            raise ValueError("host limits must be at least 1")
        self.max_concurrent = max_concurrent
        self.max_per_minute = max_per_minute
        self._clock = clock
        self._cond = threading.Condition()
        self._active: dict[str, int] = {}
        self._starts: dict[str, deque[float]] = {}

    def try_acquire(self, key: str) -> float | None:
        """Take a slot (None) or say how long to wait: seconds, ``math.inf`` until a release."""
        with self._cond:
            now = self._clock()
            starts = self._starts.setdefault(key, deque())
            while starts and starts[0] <= now - _WINDOW_S:
                starts.popleft()
            if self._active.get(key, 0) >= self.max_concurrent:
                return math.inf
            if len(starts) >= self.max_per_minute:
                return max(starts[0] + _WINDOW_S - now, 0.001)
            starts.append(now)
            self._active[key] = self._active.get(key, 0) + 1
            return None

    def acquire(self, key: str) -> None:
        with self._cond:
            while (wait_s := self.try_acquire(key)) is not None:
                self._cond.wait(None if wait_s == math.inf else wait_s)

    def release(self, key: str) -> None:
        with self._cond:
            self._active[key] = max(self._active.get(key, 0) - 1, 0)
            self._cond.notify_all()

    @contextmanager
    def slot(self, key: str) -> Iterator[None]:
        self.acquire(key)
        try:
            yield
        finally:
            self.release(key)


# -- the prober -----------------------------------------------------------------------------


class _HostFailed(Exception):
    """A host gave no usable session; the next MX may do better."""

    def __init__(
        self,
        status: str,
        why: str,
        *,
        code: int | None = None,
        message: str = "",
        remember: bool = True,
        unreachable: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(why)
        self.status = status
        self.why = why
        self.code = code
        self.message = message
        self.remember = remember
        self.unreachable = unreachable
        self.retry_after_s = retry_after_s


def _is_timeout(exc: BaseException) -> bool:
    """smtplib turns a read timeout into SMTPServerDisconnected; look at the cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError | socket.timeout):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _text(message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return " ".join(message.split())


_SAFE_LOCAL = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~.")


class SmtpProber:
    """Probes mailboxes over SMTP, politely: per-host concurrency and per-minute caps.

    One prober serves a whole run: it remembers hosts that timed out, dropped the connection
    or blocked us, and never tries them again. ``mx_hosts`` entries are host names, or
    ``(host, port)`` pairs for a server on another port than ``port``.
    """

    def __init__(
        self,
        *,
        helo: str,
        mail_from: str,
        port: int = 25,
        timeout_s: float = 10.0,
        max_connections_per_host: int = 2,
        max_per_minute: int = 60,
        clock: Callable[[], float] = time.monotonic,
        greylist_retry_s: float = DEFAULT_GREYLIST_RETRY_S,
        unreachable_hosts_before_giving_up: int = 3,
    ) -> None:
        self.helo = helo
        self.mail_from = mail_from
        self.port = port
        self.timeout_s = timeout_s
        self.greylist_retry_s = greylist_retry_s
        self.unreachable_hosts_before_giving_up = unreachable_hosts_before_giving_up
        self.limiter = HostLimiter(max_connections_per_host, max_per_minute, clock)
        self._lock = threading.Lock()
        self._failed: dict[str, _HostFailed] = {}
        self._ever_connected = False
        self._unreachable_streak: list[str] = []
        self._gave_up: str | None = None
        self._random_local: dict[str, str] = {}

    # -- public ---------------------------------------------------------------------------

    @property
    def failed_hosts(self) -> dict[str, str]:
        """Hosts this prober stopped using, with why."""
        with self._lock:
            return {host: failure.why for host, failure in self._failed.items()}

    def probe_domain(
        self,
        domain: str,
        mx_hosts: Sequence[str | tuple[str, int]],
        emails: Sequence[str],
    ) -> DomainProbe:
        """Ask the best reachable MX of ``domain`` about each address of ``emails``.

        Never raises for network trouble: every address gets a result, ``unknown`` or
        ``timeout`` when no host could be asked.
        """
        domain = domain.strip().rstrip(".").lower()
        results: dict[str, SmtpResult] = {}
        to_probe: list[str] = []
        for email in dict.fromkeys(emails):
            problem = self._unprobeable(email, domain)
            if problem:
                results[email] = SmtpResult(email, "unknown", None, "", None, problem)
            else:
                to_probe.append(email)

        def everyone(status: str, reason: str) -> DomainProbe:
            for email in to_probe:
                results[email] = SmtpResult(email, status, None, "", None, reason)
            return DomainProbe(domain, None, results, None, reason)

        if not to_probe:
            return DomainProbe(domain, None, results, None, "no address to ask")
        if self._gave_up is not None:
            return everyone("unknown", self._gave_up)
        hosts = [self._endpoint(entry) for entry in mx_hosts]
        if not hosts:
            return everyone("unknown", "no MX host to ask")

        failures: list[tuple[str, _HostFailed]] = []
        for label, host, port in hosts:
            with self._lock:
                earlier = self._failed.get(label)
            if earlier is not None:
                failures.append((label, earlier))
                continue
            try:
                return self._session(domain, label, host, port, to_probe, results)
            except _HostFailed as failure:
                self._note_failure(label, failure)
                failures.append((label, failure))
        return self._all_failed(domain, to_probe, results, failures)

    # -- one connection ---------------------------------------------------------------------

    def _session(
        self,
        domain: str,
        label: str,
        host: str,
        port: int,
        emails: list[str],
        results: dict[str, SmtpResult],
    ) -> DomainProbe:
        with self.limiter.slot(label):
            smtp = smtplib.SMTP(local_hostname=self.helo, timeout=self.timeout_s)
            try:
                self._open(smtp, host, port)
                return self._ask(smtp, domain, label, emails, results)
            finally:
                self._close(smtp)

    def _open(self, smtp: smtplib.SMTP, host: str, port: int) -> None:
        try:
            smtp.connect(host, port)
        except smtplib.SMTPConnectError as exc:
            self._connected()
            raise self._refusal(exc.smtp_code, _text(exc.smtp_error), "greeting") from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if isinstance(exc, smtplib.SMTPServerDisconnected):
                self._connected()  # the TCP connection was made, the greeting never came
                raise self._broken(exc, "waiting for the greeting") from exc
            if _is_timeout(exc):
                raise _HostFailed(
                    "timeout", f"connect timed out after {self.timeout_s:g} s", unreachable=True
                ) from exc
            raise _HostFailed(
                "unknown", f"could not connect ({exc.strerror or exc})", unreachable=True
            ) from exc
        self._connected()
        try:
            code, message = smtp.ehlo(self.helo)
            if not 200 <= code < 300:
                code, message = smtp.helo(self.helo)  # RFC 5321 §4.1.1.1: fall back to HELO
            if not 200 <= code < 300:
                raise self._refusal(code, _text(message), "HELO")
            code, message = smtp.mail(self.mail_from)
            if _wants_tls(code, message) and smtp.has_extn("starttls"):
                # RFC 3207: a server may take mail only over TLS ("530 5.7.0 Must issue a
                # STARTTLS command first"). The certificate is not checked: nothing is
                # sent, and mail servers between each other accept self-signed ones.
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                smtp._host = host  # starttls() names the server from it; connect() does not set it
                smtp.starttls(context=context)
                code, message = smtp.ehlo(self.helo)
                if not 200 <= code < 300:
                    raise self._refusal(code, _text(message), "EHLO after STARTTLS")
                code, message = smtp.mail(self.mail_from)
            if not 200 <= code < 300:
                raise self._refusal(code, _text(message), "MAIL FROM")
        except (smtplib.SMTPException, OSError) as exc:
            raise self._broken(exc, "before RCPT") from exc

    def _ask(
        self,
        smtp: smtplib.SMTP,
        domain: str,
        label: str,
        emails: list[str],
        results: dict[str, SmtpResult],
    ) -> DomainProbe:
        test_catch_all = domain not in NO_CATCH_ALL_TEST
        random_address = f"{self._random_local_part(domain)}@{domain}"
        queue = ([random_address] if test_catch_all else []) + emails
        replies: dict[str, SmtpResult] = {}
        stop: SmtpResult | None = None
        for address in queue:
            if stop is not None:
                replies[address] = replace(stop, email=address)
                continue
            try:
                code, message = self._rcpt(smtp, address)
            except (smtplib.SMTPException, OSError) as exc:
                failure = self._broken(exc, f"RCPT TO <{address}>")
                self._note_failure(label, failure)
                stop = SmtpResult(address, failure.status, None, "", label, failure.why)
                replies[address] = stop
                continue
            status, reason = classify_reply(code, message)
            retry = None
            if status == "greylisted":
                retry = _delay_s(message) or self.greylist_retry_s
            replies[address] = SmtpResult(address, status, code, message, label, reason, retry)
            if status == "blocked":
                self._note_failure(
                    label, _HostFailed("blocked", reason, code=code, message=message)
                )
                stop = replies[address]
            elif code == 421:  # RFC 5321 §3.8: the server is closing the channel
                stop = replies[address]

        catch_all: bool | None = False if not test_catch_all else None
        if test_catch_all:
            verdict = replies.pop(random_address).status
            if verdict in ("deliverable", "full_inbox"):
                catch_all = True
            elif verdict == "undeliverable":
                catch_all = False
        for email in emails:
            result = replies[email]
            if catch_all and result.status == "deliverable":
                result = replace(
                    result,
                    status="catch_all",
                    reason="accepted, but so is any address at this domain (catch-all)",
                )
            results[email] = result
        if catch_all is None:
            reason = "could not tell whether the domain is catch-all"
        else:
            reason = "catch-all domain" if catch_all else "mailboxes checked one by one"
        if stop is not None:
            reason = f"stopped early: {stop.reason}"
        return DomainProbe(domain, catch_all, results, label, reason)

    def _rcpt(self, smtp: smtplib.SMTP, address: str) -> tuple[int, str]:
        code, message = smtp.rcpt(address)
        text = _text(message)
        too_many = code == 452 and ("4.5.3" in text or "too many" in text.lower())
        if code == 503 or too_many:
            # The server dropped the envelope or wants a fresh one: RSET (RFC 5321 §4.1.1.5),
            # a new MAIL FROM, and this address once more.
            smtp.rset()
            mail_code, mail_message = smtp.mail(self.mail_from)
            if not 200 <= mail_code < 300:
                return mail_code, _text(mail_message)
            code, message = smtp.rcpt(address)
            text = _text(message)
        return code, text

    def _close(self, smtp: smtplib.SMTP) -> None:
        if smtp.sock is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    # -- bookkeeping --------------------------------------------------------------------------

    def _refusal(self, code: int, message: str, step: str) -> _HostFailed:
        status, reason = classify_reply(code, message)
        if status == "greylisted":
            return _HostFailed(
                "greylisted",
                f"{step} deferred: {code} {message}",
                code=code,
                message=message,
                remember=False,
                retry_after_s=_delay_s(message) or self.greylist_retry_s,
            )
        if status != "blocked":
            status, reason = "unknown", f"{step} refused"
        return _HostFailed(status, f"{reason}: {code} {message}", code=code, message=message)

    def _broken(self, exc: BaseException, step: str) -> _HostFailed:
        if _is_timeout(exc):
            return _HostFailed("timeout", f"timed out after {self.timeout_s:g} s ({step})")
        return _HostFailed("unknown", f"connection lost ({step}): {exc}")

    def _connected(self) -> None:
        with self._lock:
            self._ever_connected = True
            self._unreachable_streak.clear()

    def _note_failure(self, label: str, failure: _HostFailed) -> None:
        if not failure.remember:
            return
        with self._lock:
            self._failed.setdefault(label, failure)
            if failure.unreachable and not self._ever_connected:
                if label not in self._unreachable_streak:
                    self._unreachable_streak.append(label)
                if len(self._unreachable_streak) >= self.unreachable_hosts_before_giving_up:
                    tried = ", ".join(self._unreachable_streak)
                    self._gave_up = (
                        f"could not connect to any MX on port {self.port}: no mail host has "
                        f"answered ({tried}); outbound port {self.port} looks blocked"
                    )

    def _all_failed(
        self,
        domain: str,
        emails: list[str],
        results: dict[str, SmtpResult],
        failures: list[tuple[str, _HostFailed]],
    ) -> DomainProbe:
        statuses = {failure.status for _, failure in failures}
        status = next((s for s in ("blocked", "greylisted", "timeout") if s in statuses), "unknown")
        details = "; ".join(f"{label}: {failure.why}" for label, failure in failures)
        if all(f.unreachable for _, f in failures):
            # Outbound port 25 is often filtered: say so plainly, as unknown, not as timeout.
            status = "unknown"
            reason = f"could not connect to any MX on port {self.port}: {details}"
        else:
            reason = f"no MX host gave an answer: {details}"
        last = next((f for _, f in failures if f.status == status), failures[-1][1])
        retry = last.retry_after_s if status == "greylisted" else None
        for email in emails:
            results[email] = SmtpResult(email, status, last.code, last.message, None, reason, retry)
        return DomainProbe(domain, None, results, None, reason)

    def _endpoint(self, entry: str | tuple[str, int]) -> tuple[str, str, int]:
        if isinstance(entry, tuple):
            host, port = entry
        else:
            host, port = entry, self.port
        host = host.rstrip(".")
        label = host if port == self.port else f"{host}:{port}"
        return label, host, port

    def _random_local_part(self, domain: str) -> str:
        # Stable per domain for the prober's life, so a greylisted catch-all test is
        # asked again with the same address and passes the greylist like a real one.
        with self._lock:
            if domain not in self._random_local:
                alphabet = string.ascii_lowercase + string.digits
                self._random_local[domain] = "".join(
                    secrets.choice(alphabet) for _ in range(_RANDOM_LOCAL_LENGTH)
                )
            return self._random_local[domain]

    @staticmethod
    def _unprobeable(email: str, domain: str) -> str | None:
        local, at, email_domain = email.rpartition("@")
        if not at or not local:
            return "not an email address"
        if email_domain.rstrip(".").lower() != domain:
            return f"address is not at {domain}"
        if not local.isascii() or not set(local) <= _SAFE_LOCAL:
            # Would need SMTPUTF8 or quoting (RFC 6531, RFC 5321 §4.1.2); not asked.
            return "address needs SMTPUTF8 or quoting; not probed"
        if not email_domain.isascii():
            return "domain not in ASCII (IDNA) form; not probed"
        return None


def prober_from_settings(smtp_settings: SmtpSettings, **options: object) -> SmtpProber:
    """Build the prober from ``[smtp]``; raises NotConfigured without a ``mail_from``."""
    if not smtp_settings.mail_from:
        raise NotConfigured("set [smtp] mail_from to probe mailboxes")
    return SmtpProber(
        helo=smtp_settings.helo or socket.getfqdn(),
        mail_from=smtp_settings.mail_from,
        port=smtp_settings.port,
        timeout_s=smtp_settings.timeout_s,
        max_connections_per_host=smtp_settings.max_connections_per_host,
        **options,  # type: ignore[arg-type]
    )
