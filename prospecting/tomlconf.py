"""Read a TOML file into frozen dataclasses, reporting every problem at once.

A schema is a frozen dataclass whose fields are declared with :func:`setting` (type from the
annotation, default, help text, optional checks). :func:`build` walks a parsed TOML table
against it and records each problem in a :class:`Context` instead of stopping at the first;
:meth:`Context.raise_if_any` then raises one :class:`ConfigError` listing them all as
``FILE:LINE: key 'section.key': problem``, so a user fixes a file in one pass.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``X | None``,
``tuple[X, ...]``, a nested schema, ``dict[str, Schema]`` (one table per name) and
``dict[str, Any]`` (a free table, kept as read). A string may be written as a secret
reference, ``api_key = { env = "NAME" }``, read from the environment at load time.

Line numbers come from scanning the TOML text for the key inside its ``[table]``: best
effort, falling back to the enclosing key or table header.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, dataclass_transform

from prospecting.errors import ConfigError

__all__ = [
    "INVALID",
    "Context",
    "Secret",
    "SettingInfo",
    "at_least",
    "between",
    "build",
    "describe",
    "loads_toml",
    "non_empty",
    "parse_env_value",
    "positive",
    "read_toml",
    "schema",
    "setting",
    "to_dict",
]


class _Invalid:
    """Marks a value that failed validation; its problem is already recorded."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_T = TypeVar("_T")

Check = Callable[[Any], "str | None"]


class Secret(str):
    """A string read from an environment variable; masked in reprs and in ``as_dict()``.

    It is a ``str`` so that code using it (an HTTP header, a login) needs no unwrapping.
    """

    env: str

    def __new__(cls, value: str, env: str) -> Secret:
        obj = super().__new__(cls, value)
        obj.env = env
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.env)

    def __repr__(self) -> str:
        return f"Secret(env={self.env!r})"


# ---------------------------------------------------------------------------------------------
# Declaring a schema


def setting(
    default: Any = dataclasses.MISSING,
    *,
    help: str,
    key: str | None = None,
    check: Check | None = None,
    parse: Callable[[Any, str, Context], Any] | None = None,
    after: Callable[[Any, str, Context], Any] | None = None,
    factory: Callable[[], Any] | None = None,
    extra: bool = False,
    from_key: bool = False,
    skip: bool = False,
) -> Any:
    """Declare one schema field.

    ``key`` is the TOML name when it differs from the attribute (``import``). ``check`` returns
    a problem message or None. ``parse`` replaces type conversion for shapes the annotation
    cannot express; ``after`` normalises a converted value (both return ``INVALID`` after
    recording a problem). ``extra`` collects the table's undeclared keys instead of refusing
    them; ``from_key`` fills the field with the table's name inside ``dict[str, Schema]`` (it
    is not written in the table, nor dumped); ``skip`` keeps the field out of the file.
    """
    metadata = {
        "help": help,
        "key": key,
        "check": check,
        "parse": parse,
        "after": after,
        "extra": extra,
        "from_key": from_key,
        "skip": skip,
    }
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    if isinstance(default, dict | list):
        copy = default.copy
        return dataclasses.field(default_factory=copy, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, setting))
def schema(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a frozen dataclass whose fields may be declared with :func:`setting`."""
    return dataclasses.dataclass(frozen=True)(cls)


def positive(value: float) -> str | None:
    return None if value > 0 else f"must be greater than 0, got {value!r}"


def at_least(minimum: int) -> Check:
    def check(value: int) -> str | None:
        return None if value >= minimum else f"must be at least {minimum}, got {value!r}"

    return check


def between(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}, got {value!r}"

    return check


def non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


# ---------------------------------------------------------------------------------------------
# Reading a file


# Patterns are compiled on first use (re caches them), keeping the import cheap.
_DECODE_POSITION = r"\s*\(at line (\d+), column (\d+)\)\s*$"


def read_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file, returning the table and the text (kept for line numbers)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    return loads_toml(text, path), text


def loads_toml(text: str, source: str | Path) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes ConfigError at ``SOURCE:LINE:COLUMN``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(_DECODE_POSITION, message)
        if match:
            where = f"{source}:{match[1]}:{match[2]}"
            message = message[: match.start()]
        else:
            where = str(source)
        raise ConfigError(f"{where}: TOML syntax error: {message}") from None


# ---------------------------------------------------------------------------------------------
# Finding the line of a key


_HEADER = r"^\s*(\[\[?)([^\[\]]+)\]\]?\s*(?:#.*)?$"
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*="
_STRING = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''


def _split_key(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in re.findall(_KEY_PART, dotted)]


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rfind("[")]
    return path.rpartition(".")[0]


def _index_lines(text: str) -> tuple[dict[str, int], list[str], set[int]]:
    """Map each dotted path (``a.b[1].c``) to the line where it is first written."""
    paths: dict[str, int] = {}
    headers: set[int] = set()
    counts: dict[str, int] = {}
    table = ""
    depth = 0
    in_string: str | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if depth == 0:
            header = re.match(_HEADER, line)
            if header:
                headers.add(number)
                parts = _split_key(header[2])
                resolved: list[str] = []
                for position, part in enumerate(parts):
                    resolved.append(part)
                    joined = ".".join(resolved)
                    if position == len(parts) - 1 and header[1] == "[[":
                        paths.setdefault(joined, number)
                        counts[joined] = counts.get(joined, -1) + 1
                        resolved[-1] = f"{part}[{counts[joined]}]"
                    elif joined in counts:
                        resolved[-1] = f"{part}[{counts[joined]}]"
                table = ".".join(resolved)
                paths.setdefault(table, number)
                continue
            key = re.match(_KEY, line)
            if key:
                parts = _split_key(key[1])
                for stop in range(1, len(parts) + 1):
                    full = ".".join([table, *parts[:stop]] if table else parts[:stop])
                    paths.setdefault(full, number)
                line = line[key.end() :]
        for quote in ('"""', "'''"):
            if line.count(quote) % 2:
                in_string = quote
                line = line[: line.find(quote)]
        bare = re.sub(_STRING, "", _strip_comment(line))
        depth = max(
            0, depth + bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")
        )
    return paths, lines, headers


def _strip_comment(line: str) -> str:
    without_strings = re.sub(_STRING, lambda m: "x" * len(m[0]), line)
    cut = without_strings.find("#")
    return line if cut < 0 else line[:cut]


# ---------------------------------------------------------------------------------------------
# Gathering problems


class Context:
    """Collects the problems found while validating one file (plus environment overrides).

    ``overrides`` maps a dotted key to ``(value, origin)``: a value taken from elsewhere than
    the file (an environment variable named by ``origin``) that wins over the file's.
    """

    def __init__(
        self,
        source: str | Path | None,
        text: str = "",
        *,
        env: Mapping[str, str] | None = None,
        allow_secrets: bool = True,
    ) -> None:
        self.source = None if source is None else str(source)
        self.text = text
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.allow_secrets = allow_secrets
        self.overrides: dict[str, tuple[Any, str]] = {}
        self.problems: list[str] = []
        self._lines: list[int] = []
        self._index: tuple[dict[str, int], list[str], set[int]] | None = None

    def line_of(self, key: str, value: Any = None) -> int | None:
        """Best-effort line of ``key``; with a string ``value``, the line quoting it."""
        if not self.text:
            return None
        if self._index is None:
            self._index = _index_lines(self.text)
        paths, lines, headers = self._index
        path = key
        while path:
            if path in paths:
                line = paths[path]
                if isinstance(value, str) and value:
                    quoted = (f'"{value}"', f"'{value}'")
                    for number in range(line, len(lines) + 1):
                        if number != line and number in headers:
                            break
                        if any(q in lines[number - 1] for q in quoted):
                            return number
                return line
            path = _parent(path)
        return None

    def _locate(self, key: str, value: Any, origin: str | None) -> tuple[str, int]:
        if origin:
            return origin, 0
        if self.source is None:
            return "configuration", 0
        line = self.line_of(key, value)
        return (f"{self.source}:{line}", line) if line else (self.source, 0)

    def note(self, where: str, message: str, *, line: int = 0) -> None:
        """Record a problem that is about no single key (``where`` names its origin)."""
        self.problems.append(f"{where}: {message}")
        self._lines.append(line)

    def problem(self, key: str, message: str, *, value: Any = None, origin: str | None = None):
        """Record one problem about ``key`` (dotted; ``value`` helps find the line)."""
        where, line = self._locate(key, value, origin)
        self.note(where, f"key '{key}': {message}", line=line)

    def unknown_key(self, key: str, known: Iterable[str], *, origin: str | None = None) -> None:
        import difflib

        name = key.rpartition(".")[2]
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        where, line = self._locate(key, None, origin)
        self.note(where, f"unknown key '{key}'{hint}", line=line)

    def raise_if_any(self, what: str = "configuration") -> None:
        if not self.problems:
            return
        # File order first (by line), then problems from the environment.
        order = sorted(
            range(len(self.problems)), key=lambda i: (self._lines[i] == 0, self._lines[i], i)
        )
        problems = [self.problems[i] for i in order]
        if len(problems) == 1:
            raise ConfigError(problems[0], problems)
        where = f" in {self.source}" if self.source else ""
        lines = "\n  ".join(problems)
        raise ConfigError(f"{len(problems)} problems in the {what}{where}:\n  {lines}", problems)


# ---------------------------------------------------------------------------------------------
# Converting values


_TOML_TYPE_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    str: "a string",
    list: "an array",
    dict: "a table",
}

_EXPECTED = {
    bool: "a boolean (true or false)",
    int: "an integer",
    float: "a number",
    str: "a string",
}


def _describe_value(value: Any) -> str:
    for kind, name in _TOML_TYPE_NAMES.items():
        if isinstance(value, kind):
            shown = repr(value) if not isinstance(value, list | dict) else ""
            if len(shown) > 40:
                shown = shown[:37] + "..."
            return f"{name} ({shown})" if shown else name
    return f"a {type(value).__name__} ({value!r})"


def _type_problem(ctx: Context, key: str, expected: str, value: Any) -> Any:
    origin = ctx.overrides.get(_parent(key) if key.endswith("]") else key, (None, None))[1]
    hint = value if isinstance(value, str) else None
    ctx.problem(
        key, f"expected {expected}, got {_describe_value(value)}", value=hint, origin=origin
    )
    return INVALID


def _is_secret_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"env"} and isinstance(value["env"], str)


def _resolve_secret(value: dict[str, str], key: str, ctx: Context) -> Any:
    name = value["env"]
    if not ctx.allow_secrets:
        ctx.problem(key, "secret references ({ env = ... }) are not allowed here")
        return INVALID
    if name not in ctx.env:
        ctx.problem(key, f"environment variable {name} is not set")
        return INVALID
    return Secret(ctx.env[name], env=name)


def _free(value: Any, key: str, ctx: Context) -> Any:
    """A free table's value as read, with secret references resolved."""
    if _is_secret_ref(value):
        return _resolve_secret(value, key, ctx)
    if isinstance(value, dict):
        out = {k: _free(v, f"{key}.{k}", ctx) for k, v in value.items()}
        return INVALID if any(v is INVALID for v in out.values()) else out
    if isinstance(value, list):
        items = [_free(v, f"{key}[{i}]", ctx) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in items) else items
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _optional_inner(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return None


def convert(value: Any, tp: Any, key: str, ctx: Context) -> Any:
    """Check ``value`` against the annotation ``tp``; INVALID after recording a problem."""
    if tp is Any:
        return _free(value, key, ctx)
    inner = _optional_inner(tp)
    if inner is not None:
        return convert(value, inner, key, ctx)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            return _type_problem(ctx, key, "a table", value)
        return build(tp, value, key, ctx)  # type: ignore[arg-type]
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        if not isinstance(value, list | tuple):
            return _type_problem(ctx, key, "an array", value)
        (element, *_) = typing.get_args(tp)
        items = [convert(v, element, f"{key}[{i}]", ctx) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in items) else tuple(items)
    if origin is dict:
        if not isinstance(value, dict):
            return _type_problem(ctx, key, "a table", value)
        element = typing.get_args(tp)[1]
        out = {}
        for name, sub in value.items():
            sub_key = f"{key}.{name}"
            if dataclasses.is_dataclass(element):
                if not isinstance(sub, dict):
                    out[name] = _type_problem(ctx, sub_key, "a table", sub)
                else:
                    out[name] = build(element, sub, sub_key, ctx, name=name)  # type: ignore[arg-type]
            else:
                out[name] = convert(sub, element, sub_key, ctx)
        return INVALID if any(v is INVALID for v in out.values()) else out
    if tp is str:
        if isinstance(value, str):
            return value
        if _is_secret_ref(value):
            return _resolve_secret(value, key, ctx)
        return _type_problem(ctx, key, _EXPECTED[str], value)
    if tp is bool:
        return value if isinstance(value, bool) else _type_problem(ctx, key, _EXPECTED[bool], value)
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return _type_problem(ctx, key, _EXPECTED[int], value)
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return _type_problem(ctx, key, _EXPECTED[float], value)
    raise TypeError(f"unsupported schema type {tp!r} for {key}")


def _toml_key(field: dataclasses.Field[Any]) -> str:
    return field.metadata.get("key") or field.name


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def build(
    cls: type[Any], table: Mapping[str, Any], prefix: str, ctx: Context, *, name: str | None = None
) -> Any:
    """Build ``cls`` from ``table`` (found at dotted ``prefix``); INVALID if anything is wrong.

    A schema class may define ``_config_check(cls, values, prefix, ctx)`` to check fields
    against each other; it runs only once every field is valid and may edit ``values``.
    """
    hints = _hints(cls)
    before = len(ctx.problems)
    declared: dict[str, dataclasses.Field[Any]] = {}
    extra_field = None
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        meta = field.metadata
        if not field.init or meta.get("skip"):
            continue
        if meta.get("extra"):
            extra_field = field
        elif meta.get("from_key") and name is not None:
            values[field.name] = name
        else:
            declared[_toml_key(field)] = field
    extras: dict[str, Any] = {}
    for key in table:
        if key in declared:
            continue
        if extra_field is not None:
            extras[key] = _free(table[key], _join(prefix, key), ctx)
        else:
            ctx.unknown_key(_join(prefix, key), declared)
    for key, field in declared.items():
        if field.name in values:
            continue
        dotted = _join(prefix, key)
        override = ctx.overrides.get(dotted)
        tp = hints[field.name]
        if override is not None:
            raw, origin = override
        elif key in table:
            raw, origin = table[key], None
        elif dataclasses.is_dataclass(tp) and _has_override_under(ctx, dotted):
            raw, origin = {}, None
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            ctx.problem(dotted, "missing (this key is required)")
            continue
        else:
            continue
        meta = field.metadata
        if meta.get("parse"):
            value = meta["parse"](raw, dotted, ctx)
        else:
            value = convert(raw, tp, dotted, ctx)
        if value is INVALID:
            continue
        if meta.get("after"):
            value = meta["after"](value, dotted, ctx)
            if value is INVALID:
                continue
        check = meta.get("check")
        message = check(value) if check and value is not None else None
        if message:
            ctx.problem(dotted, message, value=raw if isinstance(raw, str) else None, origin=origin)
            continue
        values[field.name] = value
    if extra_field is not None:
        values[extra_field.name] = {k: v for k, v in extras.items() if v is not INVALID}
    if len(ctx.problems) > before:
        return INVALID
    checker = getattr(cls, "_config_check", None)
    if checker is not None:
        checker(values, prefix, ctx)
        if len(ctx.problems) > before:
            return INVALID
    return cls(**values)


def _has_override_under(ctx: Context, prefix: str) -> bool:
    return any(key.startswith(prefix + ".") for key in ctx.overrides)


# ---------------------------------------------------------------------------------------------
# Environment values, documentation, dumping


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_env_value(text: str, tp: Any) -> Any:
    """Parse an environment variable's text to ``tp``; ValueError names what was expected.

    Arrays are comma-separated: ``PROSPECTING_DNS_NAMESERVERS=10.0.0.1,10.0.0.2``.
    """
    inner = _optional_inner(tp)
    if inner is not None:
        return parse_env_value(text, inner)
    if typing.get_origin(tp) in (tuple, list):
        (element, *_) = typing.get_args(tp)
        return [parse_env_value(part.strip(), element) for part in text.split(",") if part.strip()]
    text = text.strip() if tp is not str else text
    if tp is str:
        return text
    if tp is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"expected true or false, got {text!r}")
    if tp is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"expected an integer, got {text!r}") from None
    if tp is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
    raise ValueError(f"cannot be set from the environment (type {tp!r})")


@dataclasses.dataclass(frozen=True)
class SettingInfo:
    """One declared setting, for documentation and ``config`` listings."""

    key: str
    type: str
    default: Any
    help: str


def _type_name(tp: Any) -> str:
    inner = _optional_inner(tp)
    if inner is not None:
        return f"{_type_name(inner)} (optional)"
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict or tp is Any:
        return "table"
    return getattr(tp, "__name__", str(tp))


def describe(cls: type[Any], prefix: str = "") -> Iterator[SettingInfo]:
    """Every leaf setting of a schema with its TOML key, type, default and help."""
    hints = _hints(cls)
    for field in dataclasses.fields(cls):
        meta = field.metadata
        if meta.get("skip") or meta.get("from_key") or not field.init:
            continue
        key = "*" if meta.get("extra") else _toml_key(field)
        dotted = _join(prefix, key)
        tp = hints[field.name]
        if dataclasses.is_dataclass(tp):
            yield from describe(tp, dotted)  # type: ignore[arg-type]
            continue
        if typing.get_origin(tp) is dict and dataclasses.is_dataclass(typing.get_args(tp)[1]):
            yield from describe(typing.get_args(tp)[1], f"{dotted}.NAME")
            continue
        if field.default is not dataclasses.MISSING:
            default = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = None
        yield SettingInfo(dotted, _type_name(tp), to_dict(default), meta.get("help", ""))


def to_dict(value: Any, *, mask: Callable[[str], bool] | None = None) -> Any:
    """A JSON-able copy shaped like the file: dataclasses by TOML key, tuples as lists,
    secrets as ``"***"``.

    ``mask`` names further keys whose values are hidden even when written in clear.
    """
    if isinstance(value, Secret):
        return "***"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            if field.metadata.get("skip") or field.metadata.get("from_key"):
                continue
            item = getattr(value, field.name)
            if field.metadata.get("extra"):
                out.update(to_dict(item, mask=mask))
            else:
                out[_toml_key(field)] = _masked(_toml_key(field), item, mask)
        return out
    if isinstance(value, Mapping):
        return {str(k): _masked(str(k), v, mask) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dict(v, mask=mask) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _masked(key: str, value: Any, mask: Callable[[str], bool] | None) -> Any:
    if mask is not None and mask(key) and isinstance(value, str) and value:
        return "***"
    return to_dict(value, mask=mask)
