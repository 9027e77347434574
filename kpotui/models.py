"""SQLModel tables and enumerations: the shape of the data, nothing else.

Conventions shared by every table:

* a surrogate integer ``id`` and a unique natural key (how files and the CLI name a record),
  unique ignoring case too, by indexes migration 0011 creates (their SQL differs per
  database, so they are not declared here; see :mod:`kpotui.store.keys`);
* ``created_at`` / ``updated_at`` in UTC and a ``version`` counter for optimistic locking;
* money as integer minor units (hundredths) in ``*_minor`` columns, never floats;
* enumerations stored as their canonical lowercase hyphenated value (plain strings, so the
  same schema works on SQLite and PostgreSQL);
* lists stored as JSON arrays of strings.

Validation lives in :mod:`kpotui.services`; these classes only describe columns.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


class DeliveryModel(StrEnum):
    OFFSHORE = "offshore"
    NEARSHORE = "nearshore"
    ONSHORE = "onshore"
    CAPTIVE = "captive"


class ServiceLine(StrEnum):
    MARKET_RESEARCH = "market-research"
    FINANCIAL_ANALYSIS = "financial-analysis"
    INVESTMENT_RESEARCH = "investment-research"
    LEGAL = "legal"
    IP_RESEARCH = "ip-research"
    DATA_ANALYTICS = "data-analytics"
    CLINICAL_DATA = "clinical-data"
    ENGINEERING_DESIGN = "engineering-design"
    CONTENT = "content"
    OTHER = "other"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class EngagementModel(StrEnum):
    PROJECT = "project"
    RETAINER = "retainer"


class BillingModel(StrEnum):
    FIXED = "fixed"
    TIME_AND_MATERIALS = "time-and-materials"
    RETAINER = "retainer"


class DataSensitivity(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"


class DeliverableStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REWORK = "rework"
    CANCELLED = "cancelled"


class SlaPeriod(StrEnum):
    """The period a contract's service levels are measured over."""

    MONTH = "month"
    QUARTER = "quarter"


class Classification(StrEnum):
    CORE = "core"
    NON_CORE = "non-core"


class Sourcing(StrEnum):
    IN_HOUSE = "in-house"
    OUTSOURCED = "outsourced"
    HYBRID = "hybrid"


class Level(StrEnum):
    """Used for knowledge risk and decision impact."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class NoteKind(StrEnum):
    RUNBOOK = "runbook"
    LESSON = "lesson"
    HANDOVER = "handover"
    RATIONALE = "rationale"
    REFERENCE = "reference"


class DecisionMaker(StrEnum):
    PROVIDER = "provider"
    IN_HOUSE = "in-house"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    RATIFIED = "ratified"
    REVERSED = "reversed"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


MONEY = BigInteger().with_variant(Integer(), "sqlite")
"""Minor units need 64 bits: PostgreSQL's INTEGER stops at 21,474,836.47. SQLite's
INTEGER is 64-bit already, so it keeps that name there."""


SLA_SET = "sla_on_time_pct IS NOT NULL OR sla_min_quality IS NOT NULL OR sla_max_rework IS NOT NULL"
"""Contracts with an SLA target: the rows of the partial index ix_contract_sla (0015)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class Tracked(SQLModel):
    """Columns every record table has."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    version: int = Field(default=1, nullable=False)


class Provider(Tracked, table=True):
    __tablename__ = "provider"

    name: str = Field(unique=True, nullable=False)
    country: str | None = None
    delivery_model: str | None = None
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    certifications: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    certification_expiry: dt.date | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    security_review_date: dt.date | None = None
    notes: str | None = Field(default=None, sa_type=Text)


class Contract(Tracked, table=True):
    __tablename__ = "contract"
    __table_args__ = (
        # Indexes that hold every column their queries read (see migration 0003).
        Index(
            "ix_contract_provider",
            "provider_id",
            "status",
            "currency",
            "value_minor",
            "in_house_estimate_minor",
        ),
        Index("ix_contract_status_end", "status", "end_date", "notice_days"),
        Index(
            "ix_contract_sla",
            *("code", "id", "provider_id", "owner", "title"),
            *("sla_on_time_pct", "sla_min_quality", "sla_max_rework", "sla_period"),
            sqlite_where=text(SLA_SET),
            postgresql_where=text(SLA_SET),
        ),
    )

    code: str = Field(unique=True, nullable=False)
    title: str = Field(nullable=False)
    provider_id: int = Field(foreign_key="provider.id", nullable=False)
    service_line: str = Field(nullable=False)
    status: str = Field(default=ContractStatus.DRAFT.value, nullable=False)
    start_date: dt.date = Field(nullable=False)
    end_date: dt.date | None = None
    engagement_model: str | None = None
    billing_model: str | None = None
    value_minor: int | None = Field(default=None, sa_type=MONEY)
    currency: str = Field(nullable=False)
    in_house_estimate_minor: int | None = Field(default=None, sa_type=MONEY)
    notice_days: int | None = None
    auto_renew: bool = Field(default=False, nullable=False)
    renewal_term_months: int | None = None
    data_sensitivity: str | None = None
    nda_signed: bool = Field(default=False, nullable=False)
    compliance: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    owner: str | None = None
    description: str | None = Field(default=None, sa_type=Text)
    exit_assets: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
    )
    """What must come back on exit (migration 0014)."""
    exit_alternative: str | None = None
    """Who takes the work over: a provider's name or ``in-house``."""
    exit_transition_weeks: int | None = None
    exit_plan_reviewed: dt.date | None = None
    sla_on_time_pct: int | None = None
    """Service levels (migration 0015): each empty means no target."""
    sla_min_quality: float | None = None
    sla_max_rework: float | None = None
    sla_period: str = Field(
        default=SlaPeriod.QUARTER.value,
        nullable=False,
        sa_column_kwargs={"server_default": SlaPeriod.QUARTER.value},
    )


class Deliverable(Tracked, table=True):
    __tablename__ = "deliverable"
    __table_args__ = (
        UniqueConstraint("contract_id", "title", name="uq_deliverable_contract_title"),
        Index("ix_deliverable_status_due", "status", "due_date", "contract_id"),
        Index("ix_deliverable_due", "due_date"),
        Index("ix_deliverable_status_submitted", "status", "submitted_date"),
    )

    contract_id: int = Field(foreign_key="contract.id", nullable=False)
    title: str = Field(nullable=False)
    due_date: dt.date = Field(nullable=False)
    status: str = Field(default=DeliverableStatus.PLANNED.value, nullable=False)
    submitted_date: dt.date | None = None
    accepted_date: dt.date | None = None
    quality_score: int | None = None
    amount_minor: int | None = Field(default=None, sa_type=MONEY)
    reviewer: str | None = None
    description: str | None = Field(default=None, sa_type=Text)
    first_submitted_date: dt.date | None = None
    """The date of the first submission, kept once it was sent back (migration 0010)."""
    rework_rounds: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    """How many times it was sent back for rework; kept after a later acceptance."""


class ProviderReliability(SQLModel, table=True):
    """Per provider, the reliability counts that do not depend on the day.

    Kept exact by database triggers on provider, contract and deliverable (migrations
    0005, 0006, 0010); nothing else writes it. Read by :func:`kpotui.services.insights.reliability`.
    """

    __tablename__ = "provider_reliability"

    provider_id: int = Field(
        sa_column=Column(Integer, ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True)
    )
    deliverables: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    delivered: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """With a submitted date."""
    on_time: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Delivered, and first submitted no later than due."""
    quality_sum: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    quality_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    accepted: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    first_time_right: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Accepted and never sent back."""
    rework_rounds: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Times sent back, summed."""


class Task(Tracked, table=True):
    """One activity of the firm's inventory."""

    __tablename__ = "task"
    __table_args__ = (
        Index(
            "ix_task_matrix",
            "sourcing",
            "classification",
            "currency",
            "owner",
            "in_house_monthly_cost_minor",
            "outsourced_monthly_cost_minor",
            "knowledge_risk",
        ),
        Index(
            "ix_task_contract",
            "contract_id",
            "in_house_monthly_cost_minor",
            "outsourced_monthly_cost_minor",
            "currency",
        ),
    )

    name: str = Field(unique=True, nullable=False)
    area: str | None = None
    classification: str = Field(nullable=False)
    sourcing: str = Field(nullable=False)
    contract_id: int | None = Field(default=None, foreign_key="contract.id")
    owner: str | None = None
    hours_per_month: float | None = None
    in_house_monthly_cost_minor: int | None = Field(default=None, sa_type=MONEY)
    outsourced_monthly_cost_minor: int | None = Field(default=None, sa_type=MONEY)
    currency: str = Field(nullable=False)
    """Of both monthly costs (migration 0009)."""
    knowledge_risk: str | None = None
    notes: str | None = Field(default=None, sa_type=Text)


class Rate(Tracked, table=True):
    """An exchange rate: ``rate`` units of the reporting currency buy one of ``currency``
    from ``date`` on (until the next rate of that currency).

    ``rate`` is the canonical decimal text (``0.9``, never a binary float), so it is
    stored and read back exactly on SQLite and PostgreSQL alike.
    """

    __tablename__ = "rate"
    __table_args__ = (UniqueConstraint("currency", "date", name="uq_rate_currency_date"),)

    currency: str = Field(nullable=False)
    date: dt.date = Field(nullable=False)
    rate: str = Field(nullable=False)


class Note(Tracked, table=True):
    """A knowledge-retention note (Markdown)."""

    __tablename__ = "note"
    __table_args__ = (
        Index("ix_note_task", "task_id", "review_by"),
        Index("ix_note_contract", "contract_id"),
        Index("ix_note_provider", "provider_id"),
        Index("ix_note_review", "review_by", "task_id"),
    )

    title: str = Field(unique=True, nullable=False)
    body: str = Field(sa_type=Text, nullable=False)
    kind: str = Field(default=NoteKind.REFERENCE.value, nullable=False)
    contract_id: int | None = Field(default=None, foreign_key="contract.id")
    task_id: int | None = Field(default=None, foreign_key="task.id")
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    author: str | None = None
    review_by: dt.date | None = None


class Decision(Tracked, table=True):
    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint(
            "contract_id", "date", "summary", name="uq_decision_contract_date_summary"
        ),
        Index("ix_decision_date", "date", "made_by", "reversible"),
        Index("ix_decision_status_date", "status", "date", "contract_id"),
    )

    contract_id: int = Field(foreign_key="contract.id", nullable=False)
    date: dt.date = Field(nullable=False)
    summary: str = Field(nullable=False)
    made_by: str = Field(nullable=False)
    decided_by: str | None = None
    reversible: bool = Field(default=True, nullable=False)
    impact: str | None = None
    status: str = Field(default=DecisionStatus.PROPOSED.value, nullable=False)
    rationale: str | None = Field(default=None, sa_type=Text)


class AuditEvent(SQLModel, table=True):
    """One append-only line of the audit trail (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_record", "kind", "record_id"),
        Index("ix_audit_actor", "actor", "id"),
        Index("ix_audit_batch", "batch"),
        Index("ix_audit_kind", "kind", "id"),
        Index("ix_audit_key", "key", "id"),
        Index("ix_audit_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    actor: str = Field(nullable=False)
    action: str = Field(nullable=False)
    kind: str = Field(nullable=False)
    record_id: int = Field(nullable=False)
    key: str = Field(nullable=False)
    changes: dict[str, list[object]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    """Field name -> [old, new] in the interchange representation (JSON-safe)."""
    batch: str | None = None
    """Groups the events of one import or one undo."""


class Setting(SQLModel, table=True):
    """A firm setting's stored value (see :mod:`kpotui.services.settings`).

    A row exists once a setting has been set; ``value`` NULL means it was reset and the
    registry's default applies. The integer ``id`` names the setting in the audit trail.
    """

    __tablename__ = "setting"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, nullable=False)
    value: object | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """The value as JSON (a string or a number); NULL: the default applies."""
    version: int = Field(default=1, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_by: str = Field(nullable=False)
    """The OS account that last set or reset it."""


class AgendaAck(SQLModel, table=True):
    """An agenda item someone acknowledged (see :mod:`kpotui.services.agenda`).

    The item stays off the agenda while its record keeps the version it had then; the
    item's id holds its date, so a new date is a new item (migration 0013).
    """

    __tablename__ = "agenda_ack"
    __table_args__ = (
        UniqueConstraint("item_id", "record_version", name="uq_agenda_ack_item_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: str = Field(nullable=False)
    """The item's stable id, e.g. ``deliverable-due:4711:2026-12-10``."""
    item_date: dt.date = Field(nullable=False)
    record_kind: str = Field(nullable=False)
    record_id: int = Field(nullable=False)
    record_version: int = Field(nullable=False)
    """The version of the item's record when it was acknowledged."""
    acked_by: str = Field(nullable=False)
    acked_at: datetime = Field(default_factory=utcnow, nullable=False)
