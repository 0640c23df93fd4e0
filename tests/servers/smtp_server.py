"""Mail servers on 127.0.0.1 that answer ``RCPT TO`` like real domains do, one behaviour each.

::

    normal       jean.dupont, marie.martin, contact exist; plein → 552 5.2.2 mailbox full;
                 ancien → 554 5.2.1 account disabled; anything else → 550 5.1.1 user unknown
    catch_all    accepts every recipient
    greylist     the first RCPT of each (sender, recipient) → 451 4.7.1 "try again in
                 60 seconds"; later ones answer like ``normal``
    blocklisted  every RCPT → 554 5.7.1 "listed at zen.spamhaus.org"
    limited      like ``normal``, but a third RCPT in one transaction → 452 4.5.3 too many
                 recipients (RSET starts a new one)
    french       refuses EHLO (502), accepts HELO; jean.dupont exists; plein → 452 4.2.2
                 "Boîte pleine"; anything else → 550 "Adresse inexistante"
    tls_required like ``normal``, but MAIL FROM before STARTTLS → 530 5.7.0 (a
                 self-signed certificate made at start)
    dropping     sends its greeting, reads one command, closes the connection
    silent       accepts connections and never says a word (timeouts)
    closed_port  a port with nothing listening (connection refused)

Every command each server receives is recorded per connection (``server.log``), so tests
can assert that DATA is never sent and QUIT always is; the log also keeps the highest
number of simultaneous connections. Recipients are matched on their local part, whatever
the domain.

In tests, import the fixtures ``smtp_servers`` (session: started once) and ``smtp`` (the same
servers, logs and greylist memory cleared) into the test module. As a script it serves until
killed and prints ``BEHAVIOUR 127.0.0.1 PORT`` lines::

    python -m tests.servers.smtp_server
"""

from __future__ import annotations

import datetime
import functools
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

__all__ = [
    "Command",
    "CommandLog",
    "SmtpServers",
    "SmtpTestServer",
    "closed_port",
    "smtp",
    "smtp_servers",
]

HOST = "127.0.0.1"

KNOWN_MAILBOXES = frozenset({"jean.dupont", "marie.martin", "contact"})
GREYLIST_DELAY_S = 60


@dataclass(frozen=True)
class Command:
    connection: int
    verb: str
    arg: str


class CommandLog:
    """Thread-safe record of connections and commands, shared by one server's sessions."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._commands: list[Command] = []
        self._connections: list[int] = []
        self._next = 0
        self.active = 0
        self.max_active = 0

    def opened(self) -> int:
        with self._cond:
            self._next += 1
            self._connections.append(self._next)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            return self._next

    def closed(self) -> None:
        with self._cond:
            self.active -= 1
            self._cond.notify_all()

    def record(self, connection: int, verb: str, arg: str) -> None:
        with self._cond:
            self._commands.append(Command(connection, verb.upper(), arg))

    def reset(self) -> None:
        with self._cond:
            self._commands.clear()
            self._connections.clear()
            self.max_active = self.active

    def wait_idle(self, timeout_s: float = 2.0) -> bool:
        """Wait until every connection is closed (the server side may lag the client)."""
        with self._cond:
            return self._cond.wait_for(lambda: self.active <= 0, timeout_s)

    @property
    def commands(self) -> list[Command]:
        with self._cond:
            return list(self._commands)

    @property
    def connections(self) -> list[int]:
        with self._cond:
            return list(self._connections)

    def verbs(self) -> list[str]:
        return [command.verb for command in self.commands]

    def by_connection(self) -> dict[int, list[str]]:
        """Verbs sent on each connection, in order (connections without commands included)."""
        sessions: dict[int, list[str]] = {connection: [] for connection in self.connections}
        for command in self.commands:
            sessions.setdefault(command.connection, []).append(command.verb)
        return sessions

    def recipients(self) -> list[str]:
        return [_address(c.arg) for c in self.commands if c.verb == "RCPT"]


def _address(arg: str) -> str:
    """``TO:<jean@x.example>`` → ``jean@x.example``."""
    return arg.partition(":")[2].strip().strip("<>").lower()


def _local(address: str) -> str:
    return address.rpartition("@")[0].lower()


# -- behaviours (aiosmtpd handlers) ---------------------------------------------------------


class NormalHandler:
    """A domain with a few mailboxes; others are unknown, one is full, one disabled."""

    hostname = "mx.normal.test"

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def reset(self) -> None:
        """Forget per-address state between tests."""

    def rcpt_reply(self, sender: str, address: str) -> str:
        local = _local(address)
        if local in KNOWN_MAILBOXES:
            return "250 2.1.5 OK"
        if local == "plein":
            return f"552 5.2.2 <{address}>: Mailbox full"
        if local == "ancien":
            return f"554 5.2.1 <{address}>: Account disabled"
        return (
            f"550 5.1.1 <{address}>: Recipient address rejected: "
            "User unknown in virtual mailbox table"
        )

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        reply = self.rcpt_reply(envelope.mail_from or "", address)
        if reply.startswith("2"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope) -> str:
        return "250 2.0.0 Accepted"


class CatchAllHandler(NormalHandler):
    hostname = "mx.catchall.test"

    def rcpt_reply(self, sender: str, address: str) -> str:
        return "250 2.1.5 OK"


class GreylistHandler(NormalHandler):
    hostname = "mx.greylist.test"

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str]] = set()

    def reset(self) -> None:
        with self.lock:
            self.seen.clear()

    def rcpt_reply(self, sender: str, address: str) -> str:
        key = (sender.lower(), address.lower())
        with self.lock:
            first = key not in self.seen
            self.seen.add(key)
        if first:
            return (
                f"451 4.7.1 <{address}>: Recipient address rejected: Greylisted, "
                f"please try again in {GREYLIST_DELAY_S} seconds"
            )
        return super().rcpt_reply(sender, address)


class BlocklistedHandler(NormalHandler):
    hostname = "mx.blocklisted.test"

    def rcpt_reply(self, sender: str, address: str) -> str:
        return "554 5.7.1 Service unavailable; Client host [127.0.0.1] listed at zen.spamhaus.org"


class LimitedHandler(NormalHandler):
    """Two recipients per transaction, as some servers cap them (RFC 5321 §4.5.3.1.8)."""

    hostname = "mx.limited.test"
    max_recipients = 2

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        tried = getattr(envelope, "tried", 0)
        if tried >= self.max_recipients:
            return "452 4.5.3 Error: too many recipients"
        envelope.tried = tried + 1  # a fresh Envelope after RSET starts again at 0
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


class FrenchHandler(NormalHandler):
    """An older French server: no ESMTP, French replies without enhanced codes."""

    hostname = "mx.francais.test"

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:
        return ["502 Commande non reconnue"]

    def rcpt_reply(self, sender: str, address: str) -> str:
        local = _local(address)
        if local == "jean.dupont":
            return "250 Destinataire accepté"
        if local == "plein":
            return "452 4.2.2 Boîte pleine, réessayez plus tard"
        return "550 Adresse inexistante"


# -- aiosmtpd plumbing ----------------------------------------------------------------------


class _RecordingSMTP(SMTP):
    """aiosmtpd's server, noting each connection and each command before it runs."""

    def __init__(self, handler: Any, *, log: CommandLog, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._log = log
        self._connection = 0
        for verb, method in list(self._smtp_methods.items()):
            self._smtp_methods[verb] = self._recording(verb, method)

    def _recording(self, verb: str, method: Any) -> Any:
        @functools.wraps(method)
        async def run(arg: str) -> None:
            self._log.record(self._connection, verb, arg)
            await method(arg)

        return run

    def connection_made(self, transport: Any) -> None:
        if not self._connection:  # STARTTLS calls this again for the same connection
            self._connection = self._log.opened()
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        super().connection_lost(error)
        self._log.closed()


class _RecordingController(Controller):
    def __init__(self, handler: Any, log: CommandLog, **smtp_kwargs: Any) -> None:
        super().__init__(handler, hostname=HOST, port=0, server_hostname=handler.hostname,
                         **smtp_kwargs)
        self._log = log

    def factory(self) -> SMTP:
        return _RecordingSMTP(self.handler, log=self._log, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # Bound to port 0: learn the real port before aiosmtpd connects to itself.
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpTestServer:
    """One behaviour on 127.0.0.1 at a free port."""

    def __init__(self, name: str, handler: NormalHandler, **smtp_kwargs: Any) -> None:
        self.name = name
        self.host = HOST
        self.handler = handler
        self.log = CommandLog()
        self._controller = _RecordingController(handler, self.log, **smtp_kwargs)
        self.port = 0

    def start(self) -> SmtpTestServer:
        self._controller.start()
        self.port = self._controller.port
        self.log.wait_idle()
        self.reset()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def reset(self) -> None:
        self.log.reset()
        self.handler.reset()

    @property
    def endpoint(self) -> tuple[str, int]:
        return self.host, self.port


def self_signed_context(hostname: str = "mx.tls.test") -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate, as many MX hosts have."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as directory:
        cert_path, key_path = Path(directory) / "cert.pem", Path(directory) / "key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        context.load_cert_chain(cert_path, key_path)
    return context


# -- servers that misbehave below SMTP ------------------------------------------------------


class _RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    log: CommandLog


class _DroppingHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        log = self.server.log  # type: ignore[attr-defined]
        connection = log.opened()
        try:
            self.request.settimeout(5)
            self.request.sendall(b"220 mx.dropping.test ESMTP\r\n")
            line = self.request.makefile("rb").readline().decode("ascii", "replace").strip()
            if line:
                verb, _, arg = line.partition(" ")
                log.record(connection, verb, arg)
        except OSError:
            pass
        finally:
            self.request.close()
            log.closed()


class _SilentHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        log = self.server.log  # type: ignore[attr-defined]
        log.opened()
        try:
            self.request.settimeout(10)
            while self.request.recv(1024):
                pass
        except OSError:
            pass
        finally:
            log.closed()


class RawTestServer:
    """``dropping`` or ``silent``: the same interface as :class:`SmtpTestServer`."""

    def __init__(self, name: str, handler: type[socketserver.BaseRequestHandler]) -> None:
        self.name = name
        self.host = HOST
        self.log = CommandLog()
        self._server = _RawServer((HOST, 0), handler)
        self._server.log = self.log
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> RawTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        self.log.reset()

    @property
    def endpoint(self) -> tuple[str, int]:
        return self.host, self.port


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServers:
    normal: SmtpTestServer
    catch_all: SmtpTestServer
    greylist: SmtpTestServer
    blocklisted: SmtpTestServer
    limited: SmtpTestServer
    french: SmtpTestServer
    tls_required: SmtpTestServer
    dropping: RawTestServer
    silent: RawTestServer
    closed_port: int

    @classmethod
    def start(cls) -> SmtpServers:
        return cls(
            normal=SmtpTestServer("normal", NormalHandler()).start(),
            catch_all=SmtpTestServer("catch_all", CatchAllHandler()).start(),
            greylist=SmtpTestServer("greylist", GreylistHandler()).start(),
            blocklisted=SmtpTestServer("blocklisted", BlocklistedHandler()).start(),
            limited=SmtpTestServer("limited", LimitedHandler()).start(),
            french=SmtpTestServer("french", FrenchHandler()).start(),
            tls_required=SmtpTestServer(
                "tls_required", NormalHandler(), require_starttls=True,
                tls_context=self_signed_context(),
            ).start(),
            dropping=RawTestServer("dropping", _DroppingHandler).start(),
            silent=RawTestServer("silent", _SilentHandler).start(),
            closed_port=closed_port(),
        )

    def all(self) -> list[SmtpTestServer | RawTestServer]:
        return [
            self.normal,
            self.catch_all,
            self.greylist,
            self.blocklisted,
            self.limited,
            self.french,
            self.tls_required,
            self.dropping,
            self.silent,
        ]

    def reset(self) -> None:
        for server in self.all():
            server.reset()

    def stop(self) -> None:
        for server in self.all():
            server.stop()


@pytest.fixture(scope="session")
def smtp_servers() -> Iterator[SmtpServers]:
    """Every behaviour, started once for the whole test session."""
    servers = SmtpServers.start()
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def smtp(smtp_servers: SmtpServers) -> SmtpServers:
    """The session's servers with empty logs and a fresh greylist."""
    for server in smtp_servers.all():
        server.log.wait_idle()
    smtp_servers.reset()
    return smtp_servers


def main() -> int:
    servers = SmtpServers.start()
    for server in servers.all():
        sys.stdout.write(f"{server.name} {server.host} {server.port}\n")
    sys.stdout.write(f"closed_port {HOST} {servers.closed_port}\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        servers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
