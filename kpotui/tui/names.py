"""The names a config file may use for the TUI: its themes and its key-binding ids.

Asked only when a setting naming one is set or used (``kpotui config set``, the app's
start): the binding ids are collected from every TUI module, which imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil


def theme_names() -> list[str]:
    """The themes the app offers (Textual's built-in ones; kpotui registers none)."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def binding_ids() -> list[str]:
    """Every id a ``[keys]`` table can remap: those of the bindings of the TUI's classes."""
    import kpotui.tui

    found: set[str] = set()
    for module_info in pkgutil.walk_packages(kpotui.tui.__path__, "kpotui.tui."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                found.update(
                    binding.id
                    for binding in value.__dict__.get("BINDINGS", [])
                    if getattr(binding, "id", None)
                )
    return sorted(found)


def check_setting(name: str, value: str) -> None:
    """Raise ConfigError when setting ``name`` (``theme`` or ``keys.<id>``) names a theme
    or a key binding the app does not have; other settings pass."""
    from kpotui import config

    if name == "theme":
        config.check_known(name, value, theme_names(), "theme")
    elif name.startswith(config.KEYS_PREFIX):
        binding_id = name.removeprefix(config.KEYS_PREFIX)
        config.check_known(name, binding_id, binding_ids(), "key binding")
