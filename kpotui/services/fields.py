"""The public shape of every kind of record: fields, types, natural keys, references.

One table describes each kind once; validation, the services, the file format and the
screens all read it, so a field is added in one place. Field names are those of the file
format (``docs/format.md``); the database column is derived (``value`` -> ``value_minor``,
``contract`` -> ``contract_id``).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from enum import StrEnum

from kpotui import models as m


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long-text"
    DATE = "date"
    ENUM = "enum"
    MONEY = "money"
    INT = "integer"
    FLOAT = "number"
    BOOL = "boolean"
    LIST = "list"
    REF = "reference"
    EMAIL = "email"
    CURRENCY = "currency"
    RATE = "rate"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool = False
    choices: builtins.type[StrEnum] | None = None
    """Allowed values of an ENUM field, or of each item of a LIST field."""
    ref: str | None = None
    """The kind a REF field names (by that kind's natural key)."""
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""
    markdown: bool = False
    """A LONG_TEXT field whose text is Markdown (the app offers a preview)."""

    @property
    def multiline(self) -> bool:
        """Line breaks and tabs allowed; every other field is one line (see
        :mod:`kpotui.text`)."""
        return self.type is FieldType.LONG_TEXT

    @property
    def column(self) -> str:
        if self.type is FieldType.REF:
            return f"{self.name}_id"
        if self.type is FieldType.MONEY:
            return f"{self.name}_minor"
        return self.name

    @property
    def allowed(self) -> list[str]:
        return [c.value for c in self.choices] if self.choices else []


@dataclass(frozen=True)
class KindSpec:
    name: str
    plural: str
    table: type[m.Tracked]
    key: tuple[str, ...]
    """The natural key: the field(s) that name a record uniquely."""
    fields: tuple[FieldSpec, ...]
    search: tuple[str, ...] = ()
    """Text fields the incremental filter matches."""
    shown_as: tuple[str, str] | None = None
    """Singular and plural as people say them, where they differ from the name (a task
    is an activity on screen)."""
    derived: tuple[FieldSpec, ...] = ()
    """Columns the write path works out from a record's history (a deliverable's first
    submission): read with the record and audited, but not in files and not importable."""
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> FieldSpec:
        found = self.by_name.get(name)
        if found is None:
            found = {f.name: f for f in self.derived}[name]
        return found

    @property
    def noun(self) -> str:
        return self.shown_as[0] if self.shown_as else self.name

    @property
    def nouns(self) -> str:
        return self.shown_as[1] if self.shown_as else self.plural

    @property
    def refs(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.type is FieldType.REF)


T = FieldType
MAX_MONEY_MINOR = 10**15
"""Amounts must be below this (in minor units): ten trillion, far beyond any contract."""

PROVIDER = KindSpec(
    name="provider",
    plural="providers",
    table=m.Provider,
    key=("name",),
    search=("name", "country"),
    fields=(
        FieldSpec("name", T.TEXT, required=True),
        FieldSpec("country", T.TEXT),
        FieldSpec("delivery_model", T.ENUM, choices=m.DeliveryModel),
        FieldSpec("services", T.LIST, choices=m.ServiceLine, help="service lines offered"),
        FieldSpec("certifications", T.LIST, help='e.g. "ISO 27001", "SOC 2"'),
        FieldSpec("certification_expiry", T.DATE),
        FieldSpec("contact_name", T.TEXT),
        FieldSpec("contact_email", T.EMAIL),
        FieldSpec("security_review_date", T.DATE),
        FieldSpec("notes", T.LONG_TEXT),
    ),
)

CONTRACT = KindSpec(
    name="contract",
    plural="contracts",
    table=m.Contract,
    key=("code",),
    search=("code", "title"),
    fields=(
        FieldSpec("code", T.TEXT, required=True, help="unique, e.g. ENG-2025-003"),
        FieldSpec("title", T.TEXT, required=True),
        FieldSpec("provider", T.REF, required=True, ref="provider"),
        FieldSpec("service_line", T.ENUM, required=True, choices=m.ServiceLine),
        FieldSpec("status", T.ENUM, choices=m.ContractStatus, default="draft"),
        FieldSpec("start_date", T.DATE, required=True),
        FieldSpec("end_date", T.DATE, help="on or after start_date"),
        FieldSpec("engagement_model", T.ENUM, choices=m.EngagementModel),
        FieldSpec("billing_model", T.ENUM, choices=m.BillingModel),
        FieldSpec("value", T.MONEY, help="total contract value"),
        FieldSpec("currency", T.CURRENCY, help="ISO 4217; default from the config file"),
        FieldSpec("in_house_estimate", T.MONEY, help="what the same work would cost in-house"),
        FieldSpec("notice_days", T.INT, minimum=0, maximum=3650),
        FieldSpec("auto_renew", T.BOOL, default=False),
        FieldSpec(
            "renewal_term_months",
            T.INT,
            minimum=1,
            maximum=120,
            help="the term an auto-renewal adds; empty: 12",
        ),
        FieldSpec("data_sensitivity", T.ENUM, choices=m.DataSensitivity),
        FieldSpec("nda_signed", T.BOOL, default=False),
        FieldSpec("compliance", T.LIST, help="e.g. GDPR, SOX, HIPAA, ISO 27001"),
        FieldSpec("owner", T.TEXT, help="the person inside the firm accountable"),
        FieldSpec("description", T.LONG_TEXT),
    ),
)

DELIVERABLE = KindSpec(
    name="deliverable",
    plural="deliverables",
    table=m.Deliverable,
    key=("contract", "title"),
    search=("title",),
    fields=(
        FieldSpec("contract", T.REF, required=True, ref="contract"),
        FieldSpec("title", T.TEXT, required=True),
        FieldSpec("due_date", T.DATE, required=True),
        FieldSpec("status", T.ENUM, choices=m.DeliverableStatus, default="planned"),
        FieldSpec("submitted_date", T.DATE),
        FieldSpec("accepted_date", T.DATE),
        FieldSpec("quality_score", T.INT, minimum=1, maximum=5, help="1 (poor) to 5 (excellent)"),
        FieldSpec("amount", T.MONEY, help="in the contract's currency"),
        FieldSpec("reviewer", T.TEXT),
        FieldSpec("description", T.LONG_TEXT),
    ),
    derived=(
        FieldSpec("first_submitted_date", T.DATE, help="when it was first submitted"),
        FieldSpec("rework_rounds", T.INT, default=0, help="times sent back for rework"),
    ),
)

TASK = KindSpec(
    name="task",
    plural="tasks",
    shown_as=("activity", "activities"),
    table=m.Task,
    key=("name",),
    search=("name", "area", "owner"),
    fields=(
        FieldSpec("name", T.TEXT, required=True),
        FieldSpec("area", T.TEXT),
        FieldSpec("classification", T.ENUM, required=True, choices=m.Classification),
        FieldSpec("sourcing", T.ENUM, required=True, choices=m.Sourcing),
        FieldSpec("contract", T.REF, ref="contract", help="the contract covering it"),
        FieldSpec("owner", T.TEXT, help="the internal person who keeps the knowledge"),
        FieldSpec("hours_per_month", T.FLOAT, minimum=0, maximum=100_000),
        FieldSpec("in_house_monthly_cost", T.MONEY),
        FieldSpec("outsourced_monthly_cost", T.MONEY),
        FieldSpec(
            "currency", T.CURRENCY, help="of both monthly costs; default the reporting currency"
        ),
        FieldSpec("knowledge_risk", T.ENUM, choices=m.Level),
        FieldSpec("notes", T.LONG_TEXT),
    ),
)

NOTE = KindSpec(
    name="note",
    plural="notes",
    table=m.Note,
    key=("title",),
    search=("title",),
    fields=(
        FieldSpec("title", T.TEXT, required=True),
        FieldSpec("body", T.LONG_TEXT, required=True, help="Markdown", markdown=True),
        FieldSpec("kind", T.ENUM, choices=m.NoteKind, default="reference"),
        FieldSpec("contract", T.REF, ref="contract"),
        FieldSpec("task", T.REF, ref="task"),
        FieldSpec("provider", T.REF, ref="provider"),
        FieldSpec("tags", T.LIST),
        FieldSpec("author", T.TEXT),
        FieldSpec("review_by", T.DATE, help="when it must be reviewed again"),
    ),
)

DECISION = KindSpec(
    name="decision",
    plural="decisions",
    table=m.Decision,
    key=("contract", "date", "summary"),
    search=("summary", "decided_by"),
    fields=(
        FieldSpec("contract", T.REF, required=True, ref="contract"),
        FieldSpec("date", T.DATE, required=True),
        FieldSpec("summary", T.TEXT, required=True),
        FieldSpec("made_by", T.ENUM, required=True, choices=m.DecisionMaker),
        FieldSpec("decided_by", T.TEXT),
        FieldSpec("reversible", T.BOOL, default=True),
        FieldSpec("impact", T.ENUM, choices=m.Level),
        FieldSpec("status", T.ENUM, choices=m.DecisionStatus, default="proposed"),
        FieldSpec("rationale", T.LONG_TEXT),
    ),
)

RATE = KindSpec(
    name="rate",
    plural="rates",
    table=m.Rate,
    key=("currency", "date"),
    search=("currency",),
    fields=(
        FieldSpec("currency", T.CURRENCY, required=True, help="not the reporting currency"),
        FieldSpec("date", T.DATE, required=True, help="in force from this day on"),
        FieldSpec(
            "rate", T.RATE, required=True, help="units of the reporting currency for one unit"
        ),
    ),
)

KINDS: dict[str, KindSpec] = {
    spec.name: spec for spec in (PROVIDER, CONTRACT, DELIVERABLE, TASK, NOTE, DECISION, RATE)
}
"""Every kind, in dependency order: a kind references only kinds before it."""

BY_PLURAL: dict[str, KindSpec] = {spec.plural: spec for spec in KINDS.values()}


def kind_spec(name: str) -> KindSpec:
    """The spec for a kind given as singular or plural (``contract`` or ``contracts``)."""
    spec = KINDS.get(name) or BY_PLURAL.get(name)
    if spec is None:
        raise KeyError(name)
    return spec


def referencing(kind: str) -> list[tuple[KindSpec, FieldSpec]]:
    """Every (kind, field) that references ``kind``: what blocks deleting one of its records."""
    return [(spec, f) for spec in KINDS.values() for f in spec.refs if f.ref == kind]
