"""Where kpotui keeps its files by default (one place, so docs and code agree)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "kpotui"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The user's own database: ``kpotui.db`` in the platform's user data directory."""
    return data_dir() / "kpotui.db"


def demo_db_path() -> Path:
    """The demo database, kept apart from the user's real one."""
    return data_dir() / "demo.db"


def config_path() -> Path:
    return config_dir() / "config.toml"
