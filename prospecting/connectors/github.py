"""GitHub organisations: the organisation as a company, its public members as people.

``GET /orgs/{org}`` gives the company (name, blog → website and domain, location, public
email, description); ``GET /orgs/{org}/public_members`` pages through members (simple
user objects, paged with the ``Link`` header) and ``GET /users/{login}`` gives each
member's name, company, blog, location and public email (often null).

GitHub has no search by industry, so organisations are named: ``--org acme,globex``.
The ICP still decides: exclusions by domain, countries by the organisation's location,
keywords in its description. Limits: 60 requests/hour without a token, 5,000 with one
(``[connectors.github] token = { env = "GITHUB_TOKEN" }`` or ``$GITHUB_TOKEN``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

from requests.utils import parse_header_links

from ..errors import ConfigError
from ..http import ResponseError
from ..icp import normalize_country
from ..models import Fact
from .base import (
    CompanyRecord,
    Connector,
    Page,
    PersonRecord,
    Query,
    domain_of,
    split_list,
)

__all__ = ["GithubConnector"]


class GithubConnector(Connector):
    name = "github"
    default_base_url = "https://api.github.com"
    summary = "GitHub organisations and their public members (name, company, blog, email)."
    auth_hint = ("set [connectors.github] token = { env = \"GITHUB_TOKEN\" } or $GITHUB_TOKEN"
                 " to a valid token, or remove it to go unauthenticated")
    options_help: ClassVar[dict[str, str]] = {
        "org": "Organisation logins, comma-separated (required).",
        "members": "'public' (default) or 'all' (needs a token of a member).",
        "per_page": "Members per page, 1 to 100 (default 100).",
    }

    @classmethod
    def _token(cls, options: Mapping[str, str]) -> str | None:
        return options.get("token") or os.environ.get("GITHUB_TOKEN") or None

    @classmethod
    def rate(cls, options: Mapping[str, str]) -> tuple[float, float]:
        # 5,000/hour with a token, 60/hour without; the burst is the hour's allowance.
        return (5000 / 3600, 100.0) if cls._token(options) else (60 / 3600, 60.0)

    @classmethod
    def request_headers(cls, options: Mapping[str, str]) -> dict[str, str]:
        headers = {"Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": "2022-11-28"}
        token = cls._token(options)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def plan(self) -> list[Query]:
        orgs = split_list(self.option("org"))
        if not orgs:
            raise ConfigError("github: give organisations with --org LOGIN[,LOGIN...]")
        members = self.option("members", "public")
        if members not in ("public", "all"):
            raise ConfigError(f"github: --members must be 'public' or 'all', not {members!r}")
        return [Query({"org": org.lower(), "members": members}, org) for org in orgs]

    def fetch(self, query: Query, cursor: str | None) -> Page:
        org = str(query.params["org"])
        answer = self.client.get_json(f"orgs/{org}")
        data = answer.data
        if not isinstance(data, dict) or not data.get("login"):
            raise ResponseError(f"github: /orgs/{org} answered without a login", url=answer.url,
                                raw=str(data)[:2000])
        company = self._company(data, answer.url)
        page = Page(url=answer.url, records=[company])
        if company.exclusions or company.mismatches:
            return page  # no need to fetch the members of a company left out
        page_no = int(cursor or 1)
        per_page = self.int_option("per_page", 100, 1, 100)
        path = "members" if query.params.get("members") == "all" else "public_members"
        listing = self.client.get_json(f"orgs/{org}/{path}",
                                       {"per_page": per_page, "page": page_no})
        if not isinstance(listing.data, list):
            raise ResponseError(f"github: {path} of {org} is not a list", url=listing.url,
                                raw=str(listing.data)[:2000])
        page.url = listing.url
        company.locator = f"{answer.url}#{data['login']}"
        for position, member in enumerate(listing.data):
            login = member.get("login") if isinstance(member, dict) else None
            if not login:
                page.problems.append((f"{listing.url} [{position}]", "member without login",
                                      str(member)[:2000]))
                continue
            user = self.client.get_json(f"users/{login}", accept_404=True)
            if user.status == 404:
                page.messages.append(f"github: user {login} no longer exists; skipped")
                continue
            if not isinstance(user.data, dict):
                page.problems.append((user.url, "user answer is not an object",
                                      str(user.data)[:2000]))
                continue
            person = _person(user.data)
            if person is not None:
                company.people.append(person)
        links = {link.get("rel"): link.get("url") for link in
                 parse_header_links(listing.headers.get("Link", ""))} if listing.headers.get(
                     "Link") else {}
        page.next_cursor = str(page_no + 1) if links.get("next") else None
        return page

    def _company(self, data: dict[str, Any], url: str) -> CompanyRecord:
        login = str(data["login"])
        name = data.get("name") or login
        facts: list[Fact] = [("name", str(name)), ("extra:github_login", login)]
        blog = (data.get("blog") or "").strip()
        domain = domain_of(blog)
        if blog:
            facts.append(("website", blog if "://" in blog else f"https://{blog}"))
        if data.get("email"):
            facts.append(("email", str(data["email"])))
        country = None
        location = (data.get("location") or "").strip()
        if location:
            facts.append(("extra:location", location))
            country = normalize_country(location.rsplit(",", 1)[-1].strip())
            if country:
                facts.append(("country", country))
        if data.get("html_url"):
            facts.append(("extra:github_url", str(data["html_url"])))
        record = CompanyRecord(
            record_id=login.lower(), locator=f"{url}#{login}", facts=facts, name=str(name),
            domain=domain, registry_key=f"github:{login.lower()}",
            text=str(data.get("description") or ""),
        )
        record.reasons.append(f"GitHub organisation {login} requested")
        wanted = self.icp.firmographics.countries
        if wanted and country and country not in wanted:
            record.mismatches.append(f"location {location!r} ({country}) outside ICP countries")
        elif wanted and country:
            record.reasons.append(f"location {location!r} in ICP country {country}")
        return record


def _person(user: dict[str, Any]) -> PersonRecord | None:
    """A member with a public name or email; one with neither names no one to contact."""
    login = str(user.get("login"))
    name = (user.get("name") or "").strip()
    if not name and not (user.get("email") or "").strip():
        return None
    facts: list[Fact] = [("extra:github_login", login)]
    if name:
        facts.append(("full_name", name))
        words = name.split()
        if len(words) == 2:
            facts += [("first_name", words[0]), ("last_name", words[1])]
    email = (user.get("email") or "").strip() or None
    if email:
        facts.append(("email", email))
    for key in ("company", "blog", "location", "twitter_username"):
        if user.get(key):
            facts.append((f"extra:github_{key}", str(user[key])))
    if user.get("html_url"):
        facts.append(("extra:github_url", str(user["html_url"])))
    return PersonRecord(record_id=f"users/{login}", facts=facts, full_name=name or None,
                        email=email)
