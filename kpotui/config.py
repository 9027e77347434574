"""The TOML configuration file: read with tomllib, written with tomli-w.

Every setting is documented where it is declared, in :data:`SETTINGS`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpotui import paths


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "db", str, None, "Database path or SQLAlchemy URL (overridden by KPOTUI_DB and --db)."
        ),
        Setting("currency", str, "EUR", "Default ISO 4217 currency for new contracts."),
        Setting(
            "theme", str, "textual-dark", "TUI colour theme (chosen from the command palette)."
        ),
        Setting(
            "shared_group", str, None, "Unix group that may share the database (files become 0660)."
        ),
        Setting(
            "allow_network_fs",
            bool,
            False,
            "Open a SQLite database on NFS/CIFS anyway (SQLite locking is unreliable there).",
        ),
    )
}
"""Top-level settings. The ``[keys]`` table maps binding ids to keys (see the TUI help)."""


class ConfigError(Exception):
    """The config file or a value given for it is not valid."""


def config_file() -> Path:
    override = os.environ.get("KPOTUI_CONFIG")
    return Path(override) if override else paths.config_path()


def load() -> dict[str, Any]:
    """The config file's contents, or an empty dict when there is none."""
    path = config_file()
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def get(name: str) -> Any:
    """A setting's value: from the file when set there, else its default.

    Dotted names reach into tables, e.g. ``keys.app.dashboard``.
    """
    value: Any = load()
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            setting = SETTINGS.get(name)
            return setting.default if setting else None
        value = value[part]
    return value


def parse_value(name: str, text: str) -> Any:
    """Turn the text given on the command line into the setting's type."""
    setting = SETTINGS.get(name)
    if setting is None:
        if name.startswith("keys."):
            return text
        known = ", ".join(sorted(SETTINGS))
        raise ConfigError(f"unknown setting {name!r} (known: {known}, keys.<binding id>)")
    if setting.kind is bool:
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "1", "on"}:
            return True
        if lowered in {"false", "no", "0", "off"}:
            return False
        raise ConfigError(f"{name}: expected true or false, got {text!r}")
    return text


def set_value(name: str, value: Any) -> Path:
    """Write one setting (dotted names create tables), keeping the rest of the file."""
    import tomli_w

    data = load()
    table = data
    *parents, leaf = name.split(".")
    for part in parents:
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{name}: {part} is not a table in the config file")
    table[leaf] = value
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)
    return path
