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

Beside the readable ``reason``, each verdict has one machine-readable ``code`` (what
decided the status, :data:`CODES`) and the ``method`` that decided it (``syntax``,
``dns``, ``smtp``; ``import`` for a bounce a sending tool reported or a source's own
verification, ``pattern`` for an address the finder guessed and no server confirmed):

=================  ===========================================================================
code               when
=================  ===========================================================================
syntax             not an address (syntax, placeholder, asset file name)
nxdomain           the domain does not exist
null_mx            null MX (RFC 7505)
no_mx              no MX and no usable A/AAAA record
spf_reject_all     no MX, and ``v=spf1 -all``
mailbox_unknown    the server refused the mailbox
disabled           the server says the mailbox is disabled
full_inbox         the mailbox is full
catch_all          the server accepts any address at the domain
role               a shared mailbox (contact@, rh@), not a person's
disposable         a disposable-address domain
greylisted         temporary refusal: asked again next run
dns_timeout        the DNS did not answer in time
no_nameservers     the DNS failed (SERVFAIL, no server answered)
smtp_timeout       the mail server did not answer in time (the DNS verdict stands)
smtp_ip_blocked    the mail server refused our address (blocklist, policy)
smtp_needs_rdns    the mail server wants a reverse DNS name for our address
not_checked        offline: the domain was not looked up
accepts_mail       the domain accepts mail (MX or A fallback); mailbox not probed
free_mail          … and it is a free-mail provider's
deliverable        the mail server took the address
bounced            a sending tool reported a bounce
source_verdict     the source's own verification said so (a verifier's or vendor's column)
=================  ===========================================================================

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
    "CODES",
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
CODES = (
    "syntax", "nxdomain", "null_mx", "no_mx", "spf_reject_all", "mailbox_unknown",
    "disabled", "full_inbox", "catch_all", "role", "disposable", "greylisted", "dns_timeout",
    "no_nameservers", "smtp_timeout", "smtp_ip_blocked", "smtp_needs_rdns", "not_checked",
    "accepts_mail", "free_mail", "deliverable", "bounced", "source_verdict",
)
METHODS = ("syntax", "dns", "smtp", "import", "pattern")

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
    code: str = "not_checked"  # one of CODES: what decided the status
    method: str = "syntax"  # one of METHODS: the check that decided it


def email_status(
    syntax: EmailSyntax, mx: MxResult | None = None, smtp: SmtpOutcome | None = None
) -> EmailVerdict:
    """The verdict for one address; ``mx`` None means offline, ``smtp`` None means not probed."""
    if not syntax.valid:
        return EmailVerdict("invalid", (), f"syntax: {syntax.reason}", "syntax", "syntax")
    flags = {flag for flag in syntax.flags if flag in FLAGS}
    notes = []
    if "smtputf8" in syntax.flags:
        notes.append("needs SMTPUTF8 (internationalised local part)")
    status, reason, code = _dns_verdict(mx)
    method = "syntax" if mx is None else "dns"
    if status == "valid" and "free" in flags:
        code = "free_mail"
    if status != "invalid" and (flags & {"role", "disposable"}):
        # Known without DNS, so risky even offline or when DNS failed; never above invalid.
        status = "risky"
        code, method = _risk_code(flags), "syntax"
        notes.append(_risk_note(flags))
    if smtp is not None and status != "invalid":
        status, reason, decided = _apply_smtp(smtp, status, reason, flags)
        if decided is not None:
            code, method = decided, "smtp"
            if code == "deliverable" and status == "risky":
                code, method = _risk_code(flags), "syntax"
    return EmailVerdict(status, tuple(f for f in FLAGS if f in flags),
                        "; ".join([reason, *notes]), code, method)


def _dns_verdict(mx: MxResult | None) -> tuple[str, str, str]:
    if mx is None:
        return "unknown", OFFLINE, "not_checked"
    if mx.status == "ok":
        return "valid", MX_ACCEPTS, "accepts_mail"
    if mx.status == "a_fallback":
        return "valid", A_ACCEPTS, "accepts_mail"
    if mx.status in REJECTS_MAIL:
        return "invalid", f"{mx.status}: {mx.reason}", _rejects_code(mx)
    # timeout, servfail, error: a DNS failure says nothing about the address (EV-4).
    code = "dns_timeout" if mx.status == "timeout" else "no_nameservers"
    return "unknown", f"dns {mx.status}: {mx.reason}", code


def _rejects_code(mx: MxResult) -> str:
    if mx.status in ("nxdomain", "null_mx"):
        return mx.status
    return "spf_reject_all" if "spf" in mx.reason.casefold() else "no_mx"


def _risk_code(flags: set[str]) -> str:
    """The code of a verdict made risky by the address itself (a disposable domain, a
    shared mailbox), whatever DNS or SMTP said."""
    return "disposable" if "disposable" in flags else "role"


def _risk_note(flags: set[str]) -> str:
    kinds = [kind for kind in ("role", "disposable") if kind in flags]
    labels = {"role": "role (shared) mailbox", "disposable": "disposable domain"}
    return " and ".join(labels[kind] for kind in kinds)


def _apply_smtp(smtp: SmtpOutcome, status: str, reason: str,
                flags: set[str]) -> tuple[str, str, str | None]:
    """Fold the probe's answer into the DNS verdict (Reacher's ``is_reachable`` order);
    the third item is the code of what the probe decided (None: it decided nothing)."""
    said = f"smtp {smtp.status}: {smtp.reason}" if smtp.reason else f"smtp {smtp.status}"
    risky_anyway = bool(flags & {"role", "disposable"})
    match smtp.status:
        case "deliverable":
            return ("risky" if risky_anyway else "valid"), said, "deliverable"
        case "undeliverable":
            disabled = "disabled" in (smtp.reason or "").casefold()
            return "invalid", said, "disabled" if disabled else "mailbox_unknown"
        case "disabled":
            flags.add("disabled")
            return "invalid", said, "disabled"
        case "catch_all":
            flags.add("catch_all")
            return "risky", said, "catch_all"
        case "full_inbox":
            flags.add("full_inbox")
            return "risky", said, "full_inbox"
        case "greylisted":
            flags.add("greylisted")
            return "unknown", said, "greylisted"
        case "blocked" | "timeout":
            # The probe could not conclude: the DNS verdict stands, the code says why.
            if smtp.status == "timeout":
                code = "smtp_timeout"
            elif "reverse dns" in (smtp.reason or "").casefold():
                code = "smtp_needs_rdns"
            else:
                code = "smtp_ip_blocked"
            return status, f"{reason}; {said}, so the verdict stands on DNS", code
        case "unknown":
            return status, f"{reason}; {said}, so the verdict stands on DNS", None
        case _:
            return status, f"{reason}; unrecognised smtp status {smtp.status!r} ignored", None
