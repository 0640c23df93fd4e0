"""An authoritative DNS server for the ``example.`` test zones, on 127.0.0.1 (UDP and TCP).

The zones reproduce every outcome the MX resolver must classify::

    acme.example          MX 10 mx1 / MX 20 mx2 (TTL 300)
    samepref.example      two MX of equal preference, listed out of name order
    nullmx.example        MX 0 .  (RFC 7505 null MX)
    nxdomain.example      does not exist (any name not listed does not either)
    aonly.example         A only, a globally routable address (RFC 5321 §5.1 implicit MX)
    aaaaonly.example      AAAA only, globally routable
    privatea.example      A only, a private address (10/8)
    loopback.example      A only, 127.0.0.1
    mixeda.example        A only: one private, one global address
    spfnone.example       A only plus ``v=spf1 -all``: declares it sends no mail
    nomail.example        exists (TXT only): no MX, no address
    slow.example          never answers (timeouts)
    servfail.example      SERVFAIL
    big.example           60 MX records: the UDP answer is truncated, TCP carries it
    xn--socit-esab.example  société.example, an IDN with an MX
    dN.bulk.example       for any N, MX 10 mx.dN.bulk.example (TTL 3600), for benchmarks

Negative answers carry the zone SOA (negative TTL 120 s, RFC 2308 §5). Every query is
counted per name and type, so tests can assert that a name was not looked up twice.

In tests, request the session fixture ``dns_server`` (import it into the test module).
As a script it serves until killed and prints ``127.0.0.1 PORT`` on its first line::

    python -m tests.servers.dns_server [--port 0]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import socket
import socketserver
import struct
import sys
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from dnslib import MX, QTYPE, RCODE, RR, A, DNSError, DNSRecord

__all__ = ["NEGATIVE_TTL", "DnsTestServer", "dns_server"]

HOST = "127.0.0.1"
NEGATIVE_TTL = 120
BULK_TTL = 3600
# A UDP answer larger than this is truncated (TC bit) so the client retries over TCP
# (RFC 1035 §4.2.1; the resolver sends no EDNS0 by default).
UDP_LIMIT = 512

_SOA = f"example. 3600 IN SOA ns.example. hostmaster.example. 1 3600 600 86400 {NEGATIVE_TTL}"

_ZONE = f"""
{_SOA}
acme.example.            300 IN MX   10 mx1.acme.example.
acme.example.            300 IN MX   20 mx2.acme.example.
mx1.acme.example.        300 IN A    127.0.0.1
mx2.acme.example.        300 IN A    127.0.0.1
samepref.example.        600 IN MX   10 b.samepref.example.
samepref.example.        600 IN MX   10 a.samepref.example.
nullmx.example.         3600 IN MX   0 .
aonly.example.           300 IN A    93.184.215.14
aaaaonly.example.        300 IN AAAA 2606:2800:21f:cb07:6820:80da:af6b:8b2c
privatea.example.        300 IN A    10.0.0.25
loopback.example.        300 IN A    127.0.0.1
mixeda.example.          300 IN A    10.0.0.26
mixeda.example.          300 IN A    93.184.215.15
spfnone.example.         300 IN A    93.184.215.14
spfnone.example.         300 IN TXT  "v=spf1 -all"
nomail.example.          300 IN TXT  "site verification"
xn--socit-esab.example.  300 IN MX   10 mx.xn--socit-esab.example.
"""
_ZONE += "".join(f"big.example. 300 IN MX {n} mail-{n:02d}.big.example.\n" for n in range(60))

_SILENT = ("slow.example",)
_SERVFAIL = ("servfail.example",)
_BULK = re.compile(r"(?:mx\.)?d(\d+)\.bulk\.example\Z")


def _load_zone() -> dict[tuple[str, str], list[RR]]:
    records: dict[tuple[str, str], list[RR]] = {}
    for rr in RR.fromZone(_ZONE):
        key = (str(rr.rname).rstrip(".").lower(), QTYPE[rr.rtype])
        records.setdefault(key, []).append(rr)
    return records


def _under(name: str, zones: tuple[str, ...]) -> bool:
    return any(name == zone or name.endswith("." + zone) for zone in zones)


class DnsTestServer:
    """The zones above, served on 127.0.0.1 over UDP and TCP on one free port."""

    def __init__(self, port: int = 0) -> None:
        self._records = _load_zone()
        self._names = {name for name, _ in self._records}
        self._soa = RR.fromZone(_SOA)[0]
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._requested_port = port
        self._udp: socket.socket | None = None
        self._tcp: socketserver.TCPServer | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._udp is None:
            raise RuntimeError("the DNS test server is not started")
        return self._udp.getsockname()[1]

    @property
    def nameservers(self) -> tuple[str, ...]:
        return (HOST,)

    def start(self) -> DnsTestServer:
        self._udp, self._tcp = self._bind()
        self._stopping.clear()
        udp = threading.Thread(target=self._serve_udp, daemon=True, name="dns-test-udp")
        tcp = threading.Thread(
            target=self._tcp.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name="dns-test-tcp",
        )
        for thread in (udp, tcp):
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._tcp is not None:
            self._tcp.shutdown()
            self._tcp.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        if self._udp is not None:
            self._udp.close()

    def __enter__(self) -> DnsTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _bind(self) -> tuple[socket.socket, socketserver.TCPServer]:
        tcp_handler = type("TcpHandler", (_TcpHandler,), {"owner": self})
        last_error: OSError | None = None
        for _attempt in range(50):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((HOST, self._requested_port))
            try:
                tcp = _ThreadingTcpServer((HOST, udp.getsockname()[1]), tcp_handler)
            except OSError as error:  # the TCP side of that port is taken: try another
                udp.close()
                last_error = error
                if self._requested_port:
                    raise
                continue
            udp.settimeout(0.2)  # how soon stop() is noticed
            return udp, tcp
        raise RuntimeError(f"no free port with both UDP and TCP on {HOST}") from last_error

    def _serve_udp(self) -> None:
        """One loop, no thread per datagram: the benchmark needs thousands of answers/s."""
        sock = self._udp
        assert sock is not None
        while not self._stopping.is_set():
            try:
                data, client = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            try:
                reply = self.answer(DNSRecord.parse(data))
            except DNSError:
                continue  # not a DNS message: ignore it, as a real server would
            if reply is None:
                continue  # the slow zone: never answer
            packed = reply.pack()
            if len(packed) > UDP_LIMIT:
                # RFC 2181 §9: set TC and keep the question, so the client retries over TCP.
                truncated = DNSRecord(header=reply.header, q=reply.q)
                truncated.header.tc = 1
                packed = truncated.pack()
            with contextlib.suppress(OSError):
                sock.sendto(packed, client)

    # -- query counting ------------------------------------------------------------------

    def count(self, name: str, qtype: str | None = None) -> int:
        """How many queries reached the server for ``name`` (any type, or ``qtype``)."""
        name = name.rstrip(".").lower()
        with self._lock:
            if qtype is not None:
                return self._counts[(name, qtype.upper())]
            return sum(n for (qname, _), n in self._counts.items() if qname == name)

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    # -- answers -------------------------------------------------------------------------

    def answer(self, request: DNSRecord) -> DNSRecord | None:
        """The reply to ``request``, or None to stay silent (the slow zone)."""
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE.get(request.q.qtype, str(request.q.qtype))
        with self._lock:
            self._counts[(name, qtype)] += 1
        if _under(name, _SILENT):
            return None
        reply = request.reply()  # sets QR, copies id and question; RA, AA below
        reply.header.aa = 1
        if _under(name, _SERVFAIL):
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        bulk = _BULK.match(name)
        if bulk:
            # Records built directly: parsing zone text costs more than the whole reply.
            if name.startswith("mx.") and qtype == "A":
                reply.add_answer(RR(request.q.qname, QTYPE.A, ttl=BULK_TTL, rdata=A(HOST)))
            elif not name.startswith("mx.") and qtype == "MX":
                reply.add_answer(
                    RR(request.q.qname, QTYPE.MX, ttl=BULK_TTL, rdata=MX(f"mx.{name}.", 10))
                )
            else:
                reply.add_auth(self._soa)
            return reply
        answers = self._records.get((name, qtype))
        if answers:
            reply.add_answer(*answers)
        elif name in self._names or any(n.endswith("." + name) for n in self._names):
            reply.add_auth(self._soa)  # NODATA: the name exists, not this type
        else:
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(self._soa)
        return reply


class _ThreadingTcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _TcpHandler(socketserver.BaseRequestHandler):
    owner: DnsTestServer

    def handle(self) -> None:
        # RFC 1035 §4.2.2: each message is preceded by its two-byte length.
        sock: socket.socket = self.request
        sock.settimeout(5)
        try:
            while True:
                header = _read_exactly(sock, 2)
                if header is None:
                    return
                data = _read_exactly(sock, struct.unpack("!H", header)[0])
                if data is None:
                    return
                reply = self.owner.answer(DNSRecord.parse(data))
                if reply is None:
                    return
                packed = reply.pack()
                sock.sendall(struct.pack("!H", len(packed)) + packed)
        except (OSError, DNSError):
            return


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks = b""
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return chunks


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsTestServer]:
    """The test zones on 127.0.0.1, one server for the whole test session."""
    with DnsTestServer() as server:
        yield server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port to bind (0: a free one)")
    args = parser.parse_args(argv)
    server = DnsTestServer(port=args.port).start()
    sys.stdout.write(f"{HOST} {server.port}\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
