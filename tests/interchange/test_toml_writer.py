"""The TOML writer's values read back, with the standard library's reader, as they were."""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpotui.interchange.document import toml_string, toml_value

# Cheap examples, so many of them; the same ones on every run (no flaky CI).
MANY = settings(max_examples=500, derandomize=True, database=None)


def _read(spelling: str) -> Any:
    return tomllib.loads(f"v = {spelling}\n")["v"]


@MANY
@given(st.text())
def test_any_text_reads_back_exactly(text: str) -> None:
    spelling = toml_string(text)
    assert _read(spelling) == text
    assert "\r" not in spelling  # a reader may turn a bare CRLF into LF
    assert ("\n" in spelling) == ("\n" in text)  # one line unless the text has several


@pytest.mark.parametrize(
    "text",
    [
        "a\r\nb",
        "\r",
        "line\r",
        '"',
        '""',
        'ends with a quote"',
        'multi\nends with quotes"""',
        'multi\n""""""',
        "back\\\nslash at a line end\\",
        "\n",
        "\n\nleading line feeds",
        "\t\x00\x1b[31m\x7f\x85\x9b",
        "\u2028\u2029\ufeff🤝🏽",
    ],
)
def test_awkward_text_reads_back_exactly(text: str) -> None:
    assert _read(toml_string(text)) == text


def test_controls_are_escaped_and_tab_is_kept() -> None:
    assert toml_string("\x1b\x7f\x85\t") == '"\\u001b\\u007f\\u0085\t"'
    assert toml_string("\u202e\ufeff") == '"\\u202e\\ufeff"'
    assert toml_string("a\r\nb") == '"""\na\\r\nb"""'


@MANY
@given(
    st.one_of(
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.dates(),
        st.lists(st.text(), max_size=4),
    )
)
def test_values_read_back_exactly(value: bool | int | float | date | list[str]) -> None:
    read = _read(toml_value(value))
    assert read == value and type(read) is type(value)


def test_nan_reads_back_as_nan() -> None:
    assert math.isnan(_read(toml_value(math.nan)))


def test_a_date_time_or_other_type_has_no_spelling() -> None:
    for value in (datetime(2025, 1, 1), Decimal("1.00"), {"a": 1}, None):
        with pytest.raises(TypeError):
            toml_value(value)
