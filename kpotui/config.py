"""Your personal settings: the TOML config file, read once per process into :class:`Config`.

Every setting is declared, documented and checked in :class:`Config`; the file is read
with tomllib (fast) and written with tomlkit, which keeps your comments and order. Names
only the TUI knows (its themes and key-binding ids) are checked by the front ends with
:func:`check_known`, so that reading the config never imports Textual.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kpotui import paths


class ConfigError(Exception):
    """The config file or a value given for it is not valid."""


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value.strip()


def _database(value: Any) -> str:
    target = _text(value)
    if "://" not in target and not Path(target).expanduser().is_absolute():
        raise ValueError(
            f"expected an absolute path or a database URL, got {target!r} (a relative "
            "path would mean another file in each directory kpotui starts in)"
        )
    return target


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _setting(default: Any, check: Callable[[Any], Any], help: str) -> Any:
    return field(default=default, metadata={"check": check, "help": help})


@dataclass(frozen=True)
class Config:
    """The settings of one person; the file holds only those changed from the default."""

    db: str | None = _setting(
        None, _database, "Database path or SQLAlchemy URL (overridden by KPOTUI_DB and --db)."
    )
    theme: str = _setting(
        "textual-dark", _text, "TUI colour theme (also chosen from the command palette)."
    )
    shared_group: str | None = _setting(
        None, _text, "Unix group that may share the database (its files become 0660)."
    )
    allow_network_fs: bool = _setting(
        False,
        _flag,
        "Open a SQLite database on NFS/CIFS anyway (SQLite locking is unreliable there).",
    )
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """``[keys]``: binding id -> key(s), e.g. ``app.contracts = "f2"`` (ids: TUI help)."""


SETTINGS: dict[str, str] = {f.name: f.metadata["help"] for f in fields(Config) if f.metadata}
"""Setting name -> what it does (``keys.<binding id>`` aside)."""
FLAGS = frozenset(f.name for f in fields(Config) if isinstance(f.default, bool))
"""The settings that are true or false."""
KEYS_PREFIX = "keys."
MOVED = {
    "currency": "currency is a firm setting now, the same for everyone on the database: "
    "remove it from this file and run 'kpotui setting set currency CODE'",
}
"""Settings that moved into the database (:mod:`kpotui.services.settings`)."""


def _check(name: str, value: Any) -> Any:
    """``value`` as the setting ``name`` holds it; raises ValueError saying why not."""
    metadata = next((f.metadata for f in fields(Config) if f.name == name and f.metadata), None)
    if name in MOVED:
        raise ConfigError(MOVED[name])
    if metadata is None:
        raise ConfigError(_unknown(name))
    return metadata["check"](value)


def _unknown(name: str) -> str:
    return f"unknown setting {name!r} (known: {known_names()})"


def known_names() -> str:
    return ", ".join([*sorted(SETTINGS), f"{KEYS_PREFIX}<binding id>"])


def _key(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f'expected a key name such as "f2", got {value!r}')
    return value.strip()


def _keymap(table: Any, prefix: str = "") -> dict[str, str]:
    """``[keys]`` as binding id -> keys; nested tables join with dots (``[keys.app]
    contracts = "f2"`` is ``app.contracts``). Raises ValueError naming the key."""
    if not isinstance(table, dict):
        raise ValueError("keys: expected a table of binding id = key")
    keymap: dict[str, str] = {}
    for name, value in table.items():
        binding_id = f"{prefix}{name}"
        if isinstance(value, dict):
            keymap.update(_keymap(value, f"{binding_id}."))
            continue
        try:
            keymap[binding_id] = _key(value)
            _binding_id(binding_id)
        except ValueError as exc:
            raise ValueError(f"{KEYS_PREFIX}{binding_id}: {exc}") from None
    return keymap


def _binding_id(binding_id: str) -> str:
    """The shape of a binding id (which ids exist only the TUI knows: see tui.names)."""
    if not re.fullmatch(r"[\w-]+\.[\w-]+", binding_id):
        raise ValueError("a binding id is <screen>.<action>, e.g. app.contracts")
    return binding_id


def from_table(data: Mapping[str, Any]) -> Config:
    """The settings a parsed config file holds; raises ValueError naming the bad key."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "keys":
            values["keys"] = MappingProxyType(_keymap(value))
            continue
        try:
            values[name] = _check(name, value)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return Config(**values)


def config_file() -> Path:
    override = os.environ.get("KPOTUI_CONFIG")
    return Path(override) if override else paths.config_path()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def _parse(path: Path, text: str) -> Config:
    try:
        return from_table(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (ValueError, ConfigError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


_loaded: Config | None = None


def current() -> Config:
    """The settings of this process: the config file is read and checked on first use."""
    global _loaded
    if _loaded is None:
        path = config_file()
        _loaded = _parse(path, _read(path))
    return _loaded


def reload() -> None:
    """Forget the settings read: the next :func:`current` reads the file again (tests,
    or after another program changed the file)."""
    global _loaded
    _loaded = None


def get(name: str) -> Any:
    """A setting's value (its default when the file does not set it); ``keys.<id>`` is
    the key(s) bound to a binding id, or None."""
    config = current()
    if name.startswith(KEYS_PREFIX):
        return config.keys.get(name.removeprefix(KEYS_PREFIX))
    if name not in SETTINGS and name != "keys":
        raise ConfigError(_unknown(name))
    return getattr(config, name)


def check_known(name: str, value: str, known: Collection[str], what: str) -> None:
    """Refuse a ``value`` of setting ``name`` that is not one of the ``known`` names of
    ``what`` (e.g. a theme the TUI does not have)."""
    if value not in known:
        raise ConfigError(f"{name}: no {what} {value!r} (known: {', '.join(sorted(known))})")


def set_value(name: str, value: Any) -> Path:
    """Check ``value`` and write it into the config file (``keys.<id>`` into ``[keys]``),
    keeping the file's comments, order and other settings; returns the file's path.

    The file as it would be is checked whole: a wrong value elsewhere is refused (it
    is named), while a wrong value of ``name`` itself is what this call can fix.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from kpotui.files import atomic_text

    try:
        if name.startswith(KEYS_PREFIX):
            _binding_id(name.removeprefix(KEYS_PREFIX))
            checked = _key(value)
        else:
            checked = _check(name, value)
            if name == "shared_group":
                _existing_group(checked)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    path = config_file()
    try:
        document = tomlkit.parse(_read(path))
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        _put(document, name.split("."), checked)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: cannot set {name}: {exc}") from None
    text = tomlkit.dumps(document)
    after = _parse(path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(path) as out:
        out.write(text)
    global _loaded
    _loaded = after
    return path


def _existing_group(name: str) -> None:
    """Refuse a Unix group this machine does not have (checked when set; at use, the
    store refuses it too, saying how to fix it)."""
    try:
        import grp
    except ImportError:  # not a Unix system: no groups to share files with
        return
    try:
        grp.getgrnam(name)
    except KeyError:
        raise ValueError(f"{name!r} is not a group on this machine") from None


def _put(table: Any, parts: list[str], value: Any) -> None:
    """Set a dotted name in a tomlkit document, creating the tables on the way."""
    import tomlkit

    head, *rest = parts
    if not rest:
        table[head] = value
        return
    if head not in table:
        table[head] = tomlkit.table(is_super_table=len(rest) > 1)
    inner = table[head]
    if not isinstance(inner, dict):
        raise ConfigError(f"{'.'.join(parts)}: {head} is not a table in the config file")
    _put(inner, rest, value)
