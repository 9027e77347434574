"""The config file: typed settings read once, checked when set and when read, and
``kpotui config set`` keeping the user's comments."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpotui import config
from kpotui.cli import main
from kpotui.tui.names import binding_ids, theme_names

COMMENTED = """\
# my kpotui settings
theme = "nord"  # easier on the eyes

[keys.app]
# F-keys, as in the old tool
contracts = "f2"
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_config_set_keeps_comments_order_and_other_settings() -> None:
    path = config.config_file()
    path.write_text(COMMENTED)
    assert run("config", "set", "theme", "dracula")[0] == 0
    assert run("config", "set", "keys.app.notes", "f3")[0] == 0
    assert run("config", "set", "db", "/srv/kpo.db")[0] == 0
    text = path.read_text()
    assert text.startswith('# my kpotui settings\ntheme = "dracula"  # easier on the eyes\n')
    assert '# F-keys, as in the old tool\ncontracts = "f2"\nnotes = "f3"\n' in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config.reload()
    assert config.current().keys == {"app.contracts": "f2", "app.notes": "f3"}
    assert (config.get("theme"), config.get("db")) == ("dracula", "/srv/kpo.db")


def test_a_theme_the_app_lacks_is_refused_with_the_themes_it_has() -> None:
    code, out = run("config", "set", "theme", "nope")
    assert code == 1
    assert out == f"kpotui: theme: no theme 'nope' (known: {', '.join(theme_names())})\n"
    assert not config.config_file().exists()


def test_an_unknown_binding_id_is_refused_with_the_known_ones() -> None:
    code, out = run("config", "set", "keys.app.contrcts", "f2")
    assert code == 1
    assert out.startswith("kpotui: keys.app.contrcts: no key binding 'app.contrcts' (known: ")
    assert "app.contracts" in out and "list.filter" in out and len(out.splitlines()) == 1
    assert run("config", "set", "keys.app.contracts", "f2")[0] == 0
    assert run("config", "get", "keys.app.contracts") == (0, "f2\n")


def test_config_get_names_the_file_holding_a_theme_the_app_lacks() -> None:
    path = config.config_file()
    path.write_text('theme = "nope"\n')
    code, out = run("config", "get", "theme")
    assert code == 1 and out.startswith(f"kpotui: {path}: theme: no theme 'nope' (known: ")


def test_the_binding_ids_are_the_apps() -> None:
    ids = binding_ids()
    assert {"app.dashboard", "list.sort", "form.save", "table.page_down"} <= set(ids)
    assert all(binding_id.count(".") == 1 for binding_id in ids)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('allow_network_fs = "yes"', "allow_network_fs: expected true or false, got 'yes'"),
        ("theme = 3", "theme: expected a non-empty string, got 3"),
        ('currency = "EUR"', "currency is a firm setting now, the same for everyone on the"),
        ('colour = "blue"', "unknown setting 'colour' (known: "),
        ("[keys]\napp.quit = true", 'keys.app.quit: expected a key name such as "f2"'),
        ('[keys.app.deep]\nx = "f2"', "keys.app.deep.x: a binding id is <screen>.<action>"),
        ("theme = ", "not valid TOML: Invalid value (at line 1, column 9)"),
    ],
)
def test_a_bad_value_in_the_file_is_one_line_naming_file_and_key(line: str, why: str) -> None:
    path = config.config_file()
    path.write_text(line + "\n")
    code, out = run("--db", str(path.with_name("x.db")), "init")
    assert code == 1
    assert out.startswith(f"kpotui: {path}: {why}")
    assert len(out.splitlines()) == 1 and "Traceback" not in out
    assert not path.with_name("x.db").exists()


def test_a_bad_value_is_refused_when_set_and_the_file_is_left_alone() -> None:
    path = config.config_file()
    path.write_text(COMMENTED)
    for args, why in [
        (("currency", "USD"), "currency is a firm setting now"),
        (("allow_network_fs", "perhaps"), "allow_network_fs: expected true or false"),
        (("db", " "), "db: expected a non-empty string"),
        (("keys.", "f2"), "keys.: no key binding ''"),
    ]:
        code, out = run("config", "set", *args)
        assert (code, out.startswith(f"kpotui: {why}")) == (1, True), out
    assert path.read_text() == COMMENTED


def test_config_set_fixes_a_bad_value_but_not_around_another(tmp_path: Path) -> None:
    path = config.config_file()
    path.write_text("# mine\ntheme = 3\n")
    assert run("config", "set", "theme", "nord")[0] == 0
    assert path.read_text() == '# mine\ntheme = "nord"\n'
    path.write_text('theme = "nord"\nallow_network_fs = "yes"\n')
    code, out = run("config", "set", "theme", "dracula")
    assert (code, out) == (
        1,
        f"kpotui: {path}: allow_network_fs: expected true or false, got 'yes'\n",
    )
    assert 'theme = "nord"' in path.read_text()


def test_shared_server_settings_are_checked_when_set(tmp_path: Path) -> None:
    code, out = run("config", "set", "db", "team/kpotui.db")
    assert code == 1 and out.startswith("kpotui: db: expected an absolute path or a database URL")
    code, out = run("config", "set", "shared_group", "no-such-group-kpotui")
    assert (code, out) == (
        1,
        "kpotui: shared_group: 'no-such-group-kpotui' is not a group on this machine\n",
    )
    assert not config.config_file().exists()
    for target in ("~/kpotui.db", str(tmp_path / "k.db"), "postgresql+psycopg://kpo@db/kpo"):
        assert run("config", "set", "db", target)[0] == 0
        assert run("config", "get", "db") == (0, f"{target}\n")


def test_settings_are_read_once_per_process_until_reloaded() -> None:
    path = config.config_file()
    path.write_text('theme = "nord"\n')
    assert config.get("theme") == "nord"
    path.write_text('theme = "dracula"\n')
    assert config.get("theme") == "nord"
    config.reload()
    assert config.get("theme") == "dracula"


def test_a_setting_written_is_what_is_read_next(tmp_path: Path) -> None:
    config.set_value("theme", " nord ")
    assert config.get("theme") == "nord"
    assert config.config_file().read_text() == 'theme = "nord"\n'
