"""One verdict per address from the syntax, DNS and (optional) SMTP results.

Status names follow Reacher's ``is_reachable`` (check-if-email-exists), with ``valid`` for
its ``safe``:

=========  ==================================================================================
invalid    bad syntax, placeholder or asset name; NXDOMAIN, null MX, no MX and no address;
           the mailbox refused by SMTP
risky      role or disposable address (known offline too) unless the domain or SMTP rejects
           it; SMTP catch-all or full inbox
unknown    the domain was not checked (offline), DNS timed out or failed; SMTP greylisting
valid      the domain accepts mail (MX or A fallback), and SMTP, when probed, took the address
=========  ==================================================================================

Flags say why an address is risky or what else is known about it: ``catch_all``, ``role``,
``disposable``, ``free``, ``full_inbox``, ``disabled``, ``greylisted``. SMTPUTF8 (an
internationalised local part) is not a flag: it is named in ``reason``.

The SMTP result is optional and duck-typed (:class:`SmtpOutcome`): anything with a
``status`` among :data:`SMTP_STATUSES` and a ``reason``, such as the probe's ``SmtpResult``.
A probe that was blocked, timed out or could not conclude leaves the DNS verdict in place
and says so in ``reason``; it never makes an address invalid.

    >>> from enrichers.email_syntax import check_email_syntax
    >>> email_status(check_email_syntax("jean@exemple.fr")).status
    'unknown'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from enrichers.email_dns import REJECTS_MAIL, MxResult
from enrichers.email_smtp import STATUSES as SMTP_PROBE_STATUSES
from enrichers.email_syntax import EmailSyntax

__all__ = [
    "FLAGS",
    "SMTP_STATUSES",
    "STATUSES",
    "EmailVerdict",
    "SmtpOutcome",
    "email_status",
]

STATUSES = ("valid", "risky", "invalid", "unknown")
# The order flags are listed in, whatever order they were found in.
FLAGS = ("catch_all", "role", "disposable", "free", "full_inbox", "disabled", "greylisted")
SMTP_STATUSES = frozenset(SMTP_PROBE_STATUSES)

OFFLINE = "syntax valid; domain not checked (offline)"
MX_ACCEPTS = "domain accepts mail (MX); mailbox not probed"
A_ACCEPTS = "domain accepts mail (no MX; A record, RFC 5321 §5.1); mailbox not probed"


@runtime_checkable
class SmtpOutcome(Protocol):
    """What the verdict needs from an SMTP probe (``enrichers.email_smtp.SmtpResult``)."""

    @property
    def status(self) -> str: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EmailVerdict:
    """``status`` is one of :data:`STATUSES`; ``flags`` are in :data:`FLAGS` order."""

    status: str
    flags: tuple[str, ...]
    reason: str


def email_status(
    syntax: EmailSyntax, mx: MxResult | None = None, smtp: SmtpOutcome | None = None
) -> EmailVerdict:
    """The verdict for one address; ``mx`` None means offline, ``smtp`` None means not probed."""
    if not syntax.valid:
        return EmailVerdict("invalid", (), f"syntax: {syntax.reason}")
    flags = {flag for flag in syntax.flags if flag in FLAGS}
    notes = []
    if "smtputf8" in syntax.flags:
        notes.append("needs SMTPUTF8 (internationalised local part)")
    status, reason = _dns_verdict(mx)
    if status != "invalid" and (flags & {"role", "disposable"}):
        # Known without DNS, so risky even offline or when DNS failed; never above invalid.
        status = "risky"
        notes.append(_risk_note(flags))
    if smtp is not None and status != "invalid":
        status, reason = _apply_smtp(smtp, status, reason, flags)
    return EmailVerdict(status, tuple(f for f in FLAGS if f in flags), "; ".join([reason, *notes]))


def _dns_verdict(mx: MxResult | None) -> tuple[str, str]:
    if mx is None:
        return "unknown", OFFLINE
    if mx.status == "ok":
        return "valid", MX_ACCEPTS
    if mx.status == "a_fallback":
        return "valid", A_ACCEPTS
    if mx.status in REJECTS_MAIL:
        return "invalid", f"{mx.status}: {mx.reason}"
    # timeout, servfail, error: a DNS failure says nothing about the address (EV-4).
    return "unknown", f"dns {mx.status}: {mx.reason}"


def _risk_note(flags: set[str]) -> str:
    kinds = [kind for kind in ("role", "disposable") if kind in flags]
    labels = {"role": "role (shared) mailbox", "disposable": "disposable domain"}
    return " and ".join(labels[kind] for kind in kinds)


def _apply_smtp(smtp: SmtpOutcome, status: str, reason: str, flags: set[str]) -> tuple[str, str]:
    """Fold the probe's answer into the DNS verdict (Reacher's ``is_reachable`` order)."""
    said = f"smtp {smtp.status}: {smtp.reason}" if smtp.reason else f"smtp {smtp.status}"
    risky_anyway = bool(flags & {"role", "disposable"})
    match smtp.status:
        case "deliverable":
            return ("risky" if risky_anyway else "valid"), said
        case "undeliverable":
            return "invalid", said
        case "disabled":
            flags.add("disabled")
            return "invalid", said
        case "catch_all":
            flags.add("catch_all")
            return "risky", said
        case "full_inbox":
            flags.add("full_inbox")
            return "risky", said
        case "greylisted":
            flags.add("greylisted")
            return "unknown", said
        case "blocked" | "timeout" | "unknown":
            return status, f"{reason}; {said}, so the verdict stands on DNS"
        case _:
            return status, f"{reason}; unrecognised smtp status {smtp.status!r} ignored"
