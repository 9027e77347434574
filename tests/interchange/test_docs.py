"""docs/format.md describes every field as kpotui/services/fields.py defines it."""

from __future__ import annotations

from kpotui.cli import options
from kpotui.reports import catalogue as reports
from kpotui.services.fields import KINDS, FieldType, KindSpec
from tests.interchange.conftest import ROOT

FORMAT_DOC = ROOT / "docs" / "format.md"


def _value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def field_table(spec: KindSpec) -> str:
    """The Markdown table of a kind's fields, as docs/format.md must show it."""
    lines = ["| field | type | required | allowed values and notes |", "| --- | --- | --- | --- |"]
    for f in spec.fields:
        notes = []
        if f.name in spec.key:
            notes.append("the key" if len(spec.key) == 1 else "part of the key")
        if f.choices is not None:
            values = ", ".join(f"`{v}`" for v in f.allowed)
            notes.append(values if f.type is FieldType.ENUM else f"each item one of {values}")
        if f.ref:
            notes.append(f"a {f.ref}'s `{KINDS[f.ref].key[0]}`")
        if f.minimum is not None and f.maximum is not None:
            notes.append(f"{f.minimum} to {f.maximum:,}")
        if f.default is not None:
            notes.append(f"default `{_value(f.default)}`")
        if f.help:
            notes.append(f.help)
        required = "yes" if f.required else ""
        lines.append(f"| `{f.name}` | {f.type.value} | {required} | {'; '.join(notes)} |")
    return "\n".join(lines)


def test_format_doc_lists_every_field_of_every_kind() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    for spec in KINDS.values():
        assert f"### {spec.plural}\n\n{field_table(spec)}\n" in text, spec.plural


def test_every_field_type_is_explained() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    for kind in FieldType:
        assert f"\n| {kind.value} |" in text, kind.value


def test_the_cli_spells_the_kinds_and_reports_as_the_code_does() -> None:
    assert list(options.KINDS.items()) == [(spec.name, spec.plural) for spec in KINDS.values()]
    assert options.REPORTS == reports.REPORTS == tuple(reports.BUILDERS)
