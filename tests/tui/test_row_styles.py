"""How a row's flags (kpotui.services.flags) look: the most urgent flag's style."""

from __future__ import annotations

from kpotui.services.flags import Flag
from kpotui.tui.columns import FLAG_STYLES, drawn_from, row_style


def test_every_flag_has_a_style() -> None:
    assert set(FLAG_STYLES) == set(Flag)


def test_a_row_takes_the_style_of_its_most_urgent_flag() -> None:
    assert row_style(frozenset()) == ""
    assert row_style(frozenset({Flag.OVERDUE})) == "red"
    assert row_style(frozenset({Flag.CERTIFICATE_EXPIRING})) == "yellow"
    assert row_style(frozenset({Flag.IRREVERSIBLE, Flag.NOTICE_SOON})) == "yellow"
    assert row_style(frozenset({Flag.DUE_SOON, Flag.CERTIFICATE_EXPIRED})) == "red"


def test_a_table_shows_the_kinds_its_cells_come_from() -> None:
    assert drawn_from("contract") == {"contract", "provider"}
    assert drawn_from("note") == {"note", "contract", "task", "provider"}
    assert drawn_from("provider") == {"provider", "contract", "deliverable"}
