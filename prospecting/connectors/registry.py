"""The connectors ``prospecting source`` knows, and how one is built from settings.

A connector is one module with one class; adding a source is a line here, a module, a
fixture folder and a test module.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..http import HttpOptions, build_client
from ..icp import Icp
from .base import Connector

__all__ = ["CONNECTORS", "ConnectorSetup", "build_connector", "connector_class"]

CONNECTORS: dict[str, str] = {
    "recherche_entreprises": "recherche_entreprises:RechercheEntreprisesConnector",
    "github": "github:GithubConnector",
    "sec_edgar": "sec_edgar:SecEdgarConnector",
    "companies_house": "companies_house:CompaniesHouseConnector",
    "wikidata": "wikidata:WikidataConnector",
}


def connector_class(name: str) -> type[Connector]:
    """The class of connector ``name``; a ConfigError lists the known ones."""
    key = name.strip().lower().replace("-", "_")
    target = CONNECTORS.get(key)
    if target is None:
        raise ConfigError(
            f"unknown connector {name!r} (available: {', '.join(sorted(CONNECTORS))})"
        )
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(f"{__package__}.{module_name}")
    cls: type[Connector] = getattr(module, class_name)
    return cls


@dataclass(frozen=True)
class ConnectorSetup:
    """Where the HTTP cache lives and the run's switches (tests aim these at tmp)."""

    db_path: Path
    no_cache: bool = False


def build_connector(
    name: str, settings: object, icp: Icp, *, base_url: str | None,
    options: Mapping[str, str], setup: ConnectorSetup,
) -> Connector:
    """The connector with its HTTP client: base URL from the flag, else the config table,
    else the public default; rate, cache, user agent and retries from ``[http]``."""
    cls = connector_class(name)
    http = settings.http  # type: ignore[attr-defined]
    table = settings.connector(cls.name)  # type: ignore[attr-defined]
    merged = {k: ",".join(map(str, v)) if isinstance(v, list) else str(v)
              for k, v in table.options.items()}
    merged.update(options)
    own = {k: v for k, v in merged.items() if k not in _HTTP_KEYS}
    url = base_url or table.base_url or cls.default_base_url
    rate, burst = cls.rate(own)
    if "requests_per_second" in merged:
        try:
            rate = float(merged["requests_per_second"])
        except ValueError:
            raise ConfigError(
                f"connectors.{cls.name}.requests_per_second: expected a number, got "
                f"{merged['requests_per_second']!r}"
            ) from None
        if rate <= 0:
            raise ConfigError(f"connectors.{cls.name}.requests_per_second: must be positive")
    else:
        rate = min(rate, http.requests_per_second)
    cache_path = None
    if http.cache and not setup.no_cache:
        folder = Path(http.cache_dir) if http.cache_dir else setup.db_path.parent
        cache_path = folder / f"{setup.db_path.name}.http-cache.sqlite"
    headers = cls.request_headers(own)
    options_http = HttpOptions(
        user_agent=merged.get("user_agent") or http.user_agent,
        timeout_s=http.timeout_s,
        requests_per_second=rate,
        burst=burst,
        max_connections_per_host=http.max_connections_per_host,
        retries=http.retries,
        backoff_factor=http.backoff_factor,
        max_retry_wait_s=http.max_retry_wait_s,
        cache_path=cache_path,
        cache_expire_s=http.cache_expire_s,
        headers=headers,
        auth=cls.request_auth(own),
    )
    client = build_client(cls.name, url, options_http, auth_hint=cls.auth_hint)
    return cls(client, icp, {k: v for k, v in own.items() if k not in _SECRET_KEYS})


# Keys of a [connectors.NAME] table read here rather than by the connector.
_HTTP_KEYS = frozenset({"requests_per_second", "user_agent"})
# Credentials: read by request_headers/request_auth, never kept in the run's options.
_SECRET_KEYS = frozenset({"api_key", "token"})
