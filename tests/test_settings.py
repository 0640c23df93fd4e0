"""prospecting.toml: defaults < file < environment, and every problem named with its line."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.errors import ConfigError
from prospecting.settings import (
    ConnectorSettings,
    Settings,
    describe_settings,
    load_settings,
)
from prospecting.tomlconf import Secret


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working directory, so no stray ./prospecting.toml is picked up."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems_of(excinfo: pytest.ExceptionInfo[ConfigError]) -> list[str]:
    return excinfo.value.problems


# ---------------------------------------------------------------------------------------------
# Layers


def test_defaults_without_any_file(workdir):
    settings = load_settings(env={})
    assert settings == Settings()
    assert settings.source is None
    assert settings.dns.nameservers == ()
    assert settings.dns.port == 53
    assert settings.dns.timeout_s == 3.0
    assert settings.smtp.port == 25
    assert settings.smtp.timeout_s == 10.0
    assert settings.smtp.max_connections_per_host == 2
    assert settings.http.user_agent.startswith("prospecting-pipeline/0.1")
    assert settings.http.requests_per_second == 2.0
    assert settings.http.max_connections_per_host == 4
    assert settings.http.timeout_s == 30.0
    assert settings.import_.batch_size == 50_000
    assert settings.import_.workers == 2
    assert settings.tags.enriched_min_extras == 2
    assert settings.tags.enriched_extras == (
        "company",
        "title",
        "location",
        "second_channel",
        "firmographics",
    )
    assert settings.connectors == {}
    assert settings.enrichers == {}
    assert settings.dedupe == {}


def test_file_overrides_defaults_and_keeps_the_rest(workdir):
    path = write(
        workdir / "conf.toml",
        """
        [dns]
        nameservers = ["127.0.0.1", "::1"]
        port = 5353

        [smtp]
        helo = "mail.example.com"
        mail_from = "verify@example.com"

        [http]
        requests_per_second = 0.5

        [import]
        batch_size = 100
        """,
    )
    settings = load_settings(path, env={})
    assert settings.source == path.absolute()
    assert settings.dns.nameservers == ("127.0.0.1", "::1")
    assert settings.dns.port == 5353
    assert settings.dns.timeout_s == 3.0
    assert settings.smtp.helo == "mail.example.com"
    assert settings.smtp.mail_from == "verify@example.com"
    assert settings.http.requests_per_second == 0.5
    assert settings.http.max_connections_per_host == 4
    assert settings.import_.batch_size == 100


def test_environment_overrides_file(workdir):
    path = write(
        workdir / "conf.toml",
        """
        [dns]
        timeout_s = 5
        port = 5353
        """,
    )
    env = {
        "PROSPECTING_DNS_TIMEOUT_S": "2.5",
        "PROSPECTING_DNS_NAMESERVERS": "10.0.0.1, 10.0.0.2,",
        "PROSPECTING_SMTP_MAX_CONNECTIONS_PER_HOST": "7",
        "PROSPECTING_IMPORT_BATCH_SIZE": "50",
        "PROSPECTING_HTTP_USER_AGENT": "acme-bot/1.0",
        "PROSPECTING_TAGS_ENRICHED_EXTRAS": "company,title",
    }
    settings = load_settings(path, env=env)
    assert settings.dns.timeout_s == 2.5
    assert settings.dns.port == 5353  # from the file, no variable for it
    assert settings.dns.nameservers == ("10.0.0.1", "10.0.0.2")
    assert settings.smtp.max_connections_per_host == 7
    assert settings.import_.batch_size == 50
    assert settings.http.user_agent == "acme-bot/1.0"
    assert settings.tags.enriched_extras == ("company", "title")


def test_environment_alone_overrides_defaults(workdir):
    settings = load_settings(env={"PROSPECTING_HTTP_TIMEOUT_S": "12"})
    assert settings.http.timeout_s == 12.0
    assert settings.source is None


def test_prospecting_config_names_the_file(workdir):
    path = write(workdir / "elsewhere.toml", "[dns]\nport = 1053\n")
    settings = load_settings(env={"PROSPECTING_CONFIG": str(path)})
    assert settings.dns.port == 1053
    assert settings.source == path.absolute()


def test_explicit_path_beats_prospecting_config(workdir):
    explicit = write(workdir / "explicit.toml", "[dns]\nport = 1\n")
    named = write(workdir / "named.toml", "[dns]\nport = 2\n")
    settings = load_settings(explicit, env={"PROSPECTING_CONFIG": str(named)})
    assert settings.dns.port == 1


def test_prospecting_toml_in_working_directory_is_the_default(workdir):
    write(workdir / "prospecting.toml", "[dns]\nport = 3\n")
    assert load_settings(env={}).dns.port == 3
    named = write(workdir / "named.toml", "[dns]\nport = 4\n")
    assert load_settings(env={"PROSPECTING_CONFIG": str(named)}).dns.port == 4


def test_missing_explicit_file_names_the_path(workdir):
    with pytest.raises(ConfigError, match=r"nope\.toml: file not found"):
        load_settings(workdir / "nope.toml", env={})


def test_missing_prospecting_config_file_names_the_path(workdir):
    with pytest.raises(ConfigError, match=r"gone\.toml: file not found"):
        load_settings(env={"PROSPECTING_CONFIG": str(workdir / "gone.toml")})


def test_directory_instead_of_file(workdir):
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(workdir, env={})


# ---------------------------------------------------------------------------------------------
# Problems: key name and line


def test_unknown_key_suggests_the_close_one(workdir):
    path = write(
        workdir / "prospecting.toml",
        """
        # resolver
        [dns]
        nameserver = ["127.0.0.1"]
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert problems_of(excinfo) == [
        f"{path}:3: unknown key 'dns.nameserver' (did you mean 'nameservers'?)"
    ]
    assert str(excinfo.value) == problems_of(excinfo)[0]


def test_unknown_section_is_refused(workdir):
    path = write(workdir / "p.toml", "[dsn]\nport = 53\n")
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert problems_of(excinfo) == [f"{path}:1: unknown key 'dsn' (did you mean 'dns'?)"]


def test_wrong_type_names_the_expected_type(workdir):
    path = write(
        workdir / "p.toml",
        """
        [dns]
        timeout_s = 3.0
        port = "53"
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert problems_of(excinfo) == [
        f"{path}:3: key 'dns.port': expected an integer, got a string ('53')"
    ]


def test_wrong_type_inside_an_array_names_the_item(workdir):
    path = write(
        workdir / "p.toml",
        """
        [dns]
        nameservers = [
            "127.0.0.1",
            53,
        ]
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    (problem,) = problems_of(excinfo)
    assert problem == (
        f"{path}:2: key 'dns.nameservers[1]': expected a string, got an integer (53)"
    )


def test_boolean_is_not_an_integer(workdir):
    path = write(workdir / "p.toml", "[smtp]\nport = true\n")
    with pytest.raises(ConfigError, match=r"p\.toml:2: key 'smtp.port': expected an integer"):
        load_settings(path, env={})


def test_integer_is_accepted_where_a_float_is_declared(workdir):
    path = write(workdir / "p.toml", "[http]\ntimeout_s = 10\n")
    timeout = load_settings(path, env={}).http.timeout_s
    assert timeout == 10.0
    assert isinstance(timeout, float)


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("dns", "timeout_s", "-1.0", "must be greater than 0"),
        ("dns", "timeout_s", "0", "must be greater than 0"),
        ("smtp", "timeout_s", "-3", "must be greater than 0"),
        ("http", "requests_per_second", "0", "must be greater than 0"),
        ("http", "max_connections_per_host", "0", "must be at least 1"),
        ("dns", "port", "70000", "must be between 1 and 65535"),
        ("import", "batch_size", "0", "must be at least 1"),
        ("dns", "nameservers", '["localhost"]', "is not an IP address"),
        ("smtp", "mail_from", '"not-an-address"', "expected an address"),
        ("http", "user_agent", '"  "', "must not be empty"),
    ],
)
def test_bad_values_are_refused(workdir, section, key, value, message):
    path = write(workdir / "p.toml", f"# settings\n\n[{section}]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    (problem,) = problems_of(excinfo)
    assert problem.startswith(f"{path}:4: key '{section}.{key}': ")
    assert message in problem


def test_every_problem_is_gathered_into_one_error(workdir):
    path = write(
        workdir / "p.toml",
        """
        [dns]
        timeout_s = -1

        [smtp]
        port = "25"
        helo = "mail.example.com"

        [http]
        requests_per_second = 0
        user_agnet = "x"

        [connectors.sirene]
        base_url = "ftp://example.com"
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    problems = problems_of(excinfo)
    assert problems == [  # in file order
        f"{path}:2: key 'dns.timeout_s': must be greater than 0, got -1.0",
        f"{path}:5: key 'smtp.port': expected an integer, got a string ('25')",
        f"{path}:9: key 'http.requests_per_second': must be greater than 0, got 0.0",
        f"{path}:10: unknown key 'http.user_agnet' (did you mean 'user_agent'?)",
        f"{path}:13: key 'connectors.sirene.base_url': expected an http:// or https:// URL, "
        "got 'ftp://example.com'",
    ]
    message = str(excinfo.value)
    assert message.startswith(f"5 problems in the configuration in {path}:")
    assert all(problem in message for problem in problems)


def test_toml_syntax_error_gives_line_and_column(workdir):
    path = write(workdir / "p.toml", "[dns]\nport = 53\ntimeout_s = = 3\n")
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert str(excinfo.value).startswith(f"{path}:3:")
    assert "TOML syntax error" in str(excinfo.value)


def test_non_utf8_file_is_refused(workdir):
    path = workdir / "p.toml"
    path.write_bytes(b'[http]\nuser_agent = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path, env={})


def test_dotted_keys_and_quoted_tables_get_their_line(workdir):
    path = write(
        workdir / "p.toml",
        """
        dns.port = 53
        dns.timeout_s = "slow"

        [connectors."recherche_entreprises"]
        base_url = "nowhere"
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    problems = problems_of(excinfo)
    assert problems[0].startswith(f"{path}:2: key 'dns.timeout_s': expected a number")
    assert problems[1].startswith(f"{path}:5: key 'connectors.recherche_entreprises.base_url'")


# ---------------------------------------------------------------------------------------------
# Environment problems


def test_bad_environment_value_names_the_variable(workdir):
    with pytest.raises(ConfigError) as excinfo:
        load_settings(env={"PROSPECTING_DNS_PORT": "fifty", "PROSPECTING_DNS_TIMEOUT_S": "-2"})
    assert sorted(problems_of(excinfo)) == [
        "PROSPECTING_DNS_PORT: key 'dns.port': expected an integer, got 'fifty'",
        "PROSPECTING_DNS_TIMEOUT_S: key 'dns.timeout_s': must be greater than 0, got -2.0",
    ]


def test_unknown_environment_key_in_a_known_section(workdir):
    with pytest.raises(ConfigError) as excinfo:
        load_settings(env={"PROSPECTING_DNS_TIMEOUT": "2"})
    assert problems_of(excinfo) == [
        "PROSPECTING_DNS_TIMEOUT: unknown key 'dns.timeout' (did you mean 'timeout_s'?)"
    ]


def test_other_prospecting_variables_are_ignored(workdir):
    settings = load_settings(env={"PROSPECTING_DB": "x.db", "PROSPECTING_CONFIG": ""})
    assert settings == Settings()


# ---------------------------------------------------------------------------------------------
# Connectors, free tables, secrets


def test_connector_tables_keep_extra_keys(workdir):
    path = write(
        workdir / "p.toml",
        """
        [connectors.recherche_entreprises]
        base_url = "http://127.0.0.1:8080/"
        per_page = 25
        filters = { etat_administratif = "A" }
        """,
    )
    settings = load_settings(path, env={})
    connector = settings.connectors["recherche_entreprises"]
    assert connector == ConnectorSettings(
        name="recherche_entreprises",
        base_url="http://127.0.0.1:8080/",
        options={"per_page": 25, "filters": {"etat_administratif": "A"}},
    )
    assert settings.connector("recherche_entreprises") is connector
    assert settings.connector("sirene") == ConnectorSettings(name="sirene")


def test_extra_keys_are_refused_outside_connectors(workdir):
    path = write(workdir / "p.toml", "[smtp]\nport = 25\nverbose = true\n")
    with pytest.raises(ConfigError, match=r"p\.toml:3: unknown key 'smtp.verbose'"):
        load_settings(path, env={})


def test_connector_must_be_a_table(workdir):
    path = write(workdir / "p.toml", '[connectors]\nsirene = "https://api.example"\n')
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert problems_of(excinfo)[0].startswith(
        f"{path}:2: key 'connectors.sirene': expected a table, got a string"
    )


def test_enrichers_and_dedupe_accept_any_keys(workdir):
    path = write(
        workdir / "p.toml",
        """
        [enrichers]
        order = ["email_syntax", "email_dns"]

        [enrichers.email_smtp]
        enabled = false

        [dedupe]
        threshold = 0.9
        blocking = [{ field = "domain" }]
        """,
    )
    settings = load_settings(path, env={})
    assert settings.enrichers == {
        "order": ["email_syntax", "email_dns"],
        "email_smtp": {"enabled": False},
    }
    assert settings.dedupe == {"threshold": 0.9, "blocking": [{"field": "domain"}]}


def test_secret_is_read_from_the_environment_and_masked(workdir):
    path = write(
        workdir / "p.toml",
        """
        [connectors.sirene]
        base_url = "https://api.example.com/sirene/3.11"
        api_key = { env = "SIRENE_KEY" }
        token = "written-in-clear"
        """,
    )
    settings = load_settings(path, env={"SIRENE_KEY": "s3cr3t"})
    api_key = settings.connectors["sirene"].options["api_key"]
    assert api_key == "s3cr3t"
    assert isinstance(api_key, Secret)
    assert api_key.env == "SIRENE_KEY"
    assert "s3cr3t" not in repr(settings)
    dumped = settings.as_dict()
    assert dumped["connectors"]["sirene"] == {
        "base_url": "https://api.example.com/sirene/3.11",
        "api_key": "***",
        "token": "***",
    }
    assert "s3cr3t" not in json.dumps(dumped)
    assert pickle.loads(pickle.dumps(api_key)) == api_key


def test_unset_secret_variable_is_a_problem_with_its_line(workdir):
    path = write(
        workdir / "p.toml",
        """
        [connectors.sirene]
        base_url = "https://api.example.com"

        api_key = { env = "SIRENE_KEY" }
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    assert problems_of(excinfo) == [
        f"{path}:4: key 'connectors.sirene.api_key': environment variable SIRENE_KEY is not set"
    ]


def test_secret_reference_works_for_declared_string_settings(workdir):
    path = write(workdir / "p.toml", '[smtp]\nmail_from = { env = "MAIL_FROM" }\n')
    settings = load_settings(path, env={"MAIL_FROM": "verify@example.com"})
    assert settings.smtp.mail_from == "verify@example.com"
    assert settings.as_dict()["smtp"]["mail_from"] == "***"


def test_connector_settings_from_the_environment(workdir):
    path = write(workdir / "p.toml", '[connectors.insee_sirene]\nbase_url = "https://a.example"\n')
    env = {
        "PROSPECTING_CONNECTORS_INSEE_SIRENE_BASE_URL": "http://127.0.0.1:9000",
        "PROSPECTING_CONNECTORS_INSEE_SIRENE_API_KEY": "k",
        "PROSPECTING_CONNECTORS_GITHUB_BASE_URL": "http://127.0.0.1:9001",
    }
    settings = load_settings(path, env=env)
    sirene = settings.connectors["insee_sirene"]
    assert sirene.base_url == "http://127.0.0.1:9000"
    assert sirene.options == {"api_key": "k"}
    assert isinstance(sirene.options["api_key"], Secret)
    assert settings.connectors["github"].base_url == "http://127.0.0.1:9001"


def test_connector_option_for_an_undeclared_connector_is_a_problem(workdir):
    with pytest.raises(ConfigError, match="PROSPECTING_CONNECTORS_FOO_API_KEY: cannot tell"):
        load_settings(env={"PROSPECTING_CONNECTORS_FOO_API_KEY": "k"})


# ---------------------------------------------------------------------------------------------
# The enriched / non-enriched rule


def test_tags_rule_from_file(workdir):
    path = write(
        workdir / "p.toml",
        '[tags]\nenriched_min_extras = 1\nenriched_extras = ["company", "title"]\n',
    )
    tags = load_settings(path, env={}).tags
    assert tags.enriched_min_extras == 1
    assert tags.enriched_extras == ("company", "title")


def test_tags_rule_problems(workdir):
    path = write(
        workdir / "p.toml",
        """
        [tags]
        enriched_min_extras = 3
        enriched_extras = [
            "company",
            "job_title",
        ]
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path, env={})
    first, second = problems_of(excinfo)  # in file order
    assert first == (
        f"{path}:2: key 'tags.enriched_min_extras': asks for 3 extras but enriched_extras "
        "lists only 2"
    )
    assert second.startswith(f"{path}:5: key 'tags.enriched_extras': unknown extra 'job_title'")


# ---------------------------------------------------------------------------------------------
# Dumping and documenting


def test_as_dict_is_json_and_keyed_like_the_file(workdir):
    path = write(workdir / "p.toml", '[import]\nbatch_size = 10\n[dns]\nnameservers = ["::1"]\n')
    dumped = load_settings(path, env={}).as_dict()
    assert json.loads(json.dumps(dumped)) == dumped
    assert dumped["import"] == {"batch_size": 10, "workers": 2}
    assert dumped["dns"]["nameservers"] == ["::1"]
    assert "source" not in dumped


def test_as_dict_round_trips_through_a_file(workdir):
    original = Settings()
    dumped = original.as_dict()
    lines = []
    for section, values in dumped.items():
        lines.append(f"[{section}]")
        lines.extend(
            f"{key} = {json.dumps(value)}" for key, value in values.items() if value is not None
        )
    path = write(workdir / "p.toml", "\n".join(lines) + "\n")
    assert load_settings(path, env={}).as_dict() == dumped


def test_every_setting_has_help():
    infos = describe_settings()
    keys = [info.key for info in infos]
    assert "dns.timeout_s" in keys
    assert "import.batch_size" in keys
    assert "connectors.NAME.base_url" in keys
    assert all(info.help for info in infos)
    timeout = next(info for info in infos if info.key == "dns.timeout_s")
    assert (timeout.type, timeout.default) == ("float", 3.0)


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.dns = None  # type: ignore[misc]


@pytest.fixture(scope="module")
def empty_config(tmp_path_factory):
    path = tmp_path_factory.mktemp("conf") / "empty.toml"
    path.write_text("", encoding="utf-8")
    return path


@given(timeout=st.floats(min_value=0.001, max_value=1e6, allow_nan=False))
def test_any_positive_timeout_from_the_environment_round_trips(empty_config, timeout):
    loaded = load_settings(empty_config, env={"PROSPECTING_SMTP_TIMEOUT_S": repr(timeout)})
    assert loaded.smtp.timeout_s == timeout
