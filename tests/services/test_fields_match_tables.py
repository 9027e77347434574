"""``services/fields.py`` describes each kind once for validation, the file format and the
screens; the tables in ``models.py`` must agree with it, or a rule would be checked on one
side only (a required field the database lets be empty, a default only one side knows)."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Integer, String, Text
from sqlalchemy.types import TypeDecorator, TypeEngine

from kpotui.services.fields import KINDS, FieldSpec, FieldType, KindSpec
from kpotui.services.records import META, table_of
from kpotui.services.writes import FIRM_DEFAULTS

COLUMN_TYPES: dict[FieldType, type[TypeEngine]] = {
    FieldType.TEXT: String,
    FieldType.LONG_TEXT: Text,
    FieldType.DATE: Date,
    FieldType.ENUM: String,
    FieldType.MONEY: BigInteger,
    FieldType.INT: Integer,
    FieldType.FLOAT: Float,
    FieldType.BOOL: Boolean,
    FieldType.LIST: JSON,
    FieldType.REF: Integer,
    FieldType.EMAIL: String,
    FieldType.CURRENCY: String,
    FieldType.RATE: String,
}

SPECS = list(KINDS.values())


def _fields(spec: KindSpec) -> list[tuple[KindSpec, FieldSpec]]:
    return [(spec, f) for f in (*spec.fields, *spec.derived)]


FIELDS = [pair for spec in SPECS for pair in _fields(spec)]
IDS = [f"{spec.name}.{f.name}" for spec, f in FIELDS]


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_column_is_a_field_and_every_field_a_column(spec: KindSpec) -> None:
    columns = {c.name for c in table_of(spec).columns} - set(META)
    assert columns == {f.column for f in (*spec.fields, *spec.derived)}


@pytest.mark.parametrize(("spec", "field"), FIELDS, ids=IDS)
def test_the_column_type_holds_the_field_type(spec: KindSpec, field: FieldSpec) -> None:
    stored = table_of(spec).c[field.column].type
    if isinstance(stored, TypeDecorator):  # SQLModel's AutoString is a String underneath
        stored = stored.impl_instance
    assert isinstance(stored, COLUMN_TYPES[field.type])


@pytest.mark.parametrize(("spec", "field"), FIELDS, ids=IDS)
def test_required_means_not_null_and_not_null_means_a_value_always(
    spec: KindSpec, field: FieldSpec
) -> None:
    column = table_of(spec).c[field.column]
    if field.required:
        assert not column.nullable
    elif not column.nullable:  # a new record that leaves it out still gets a value
        given = field.default is not None or field.type is FieldType.LIST
        assert given or (spec.name, field.name) in FIRM_DEFAULTS


@pytest.mark.parametrize(("spec", "field"), FIELDS, ids=IDS)
def test_a_column_default_is_the_field_default(spec: KindSpec, field: FieldSpec) -> None:
    column = table_of(spec).c[field.column]
    default = column.default.arg if column.default is not None else None
    if default is None or callable(default):
        assert field.default is None or field.type is FieldType.LIST
    else:
        assert default == field.default


def test_a_reference_column_is_a_foreign_key_to_the_kind_it_names() -> None:
    for spec, field in FIELDS:
        if field.type is FieldType.REF:
            (foreign,) = table_of(spec).c[field.column].foreign_keys
            assert foreign.column.table is table_of(KINDS[field.ref or ""])
            assert foreign.column.name == "id"
