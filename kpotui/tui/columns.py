"""The columns of every kind's table: label, declared width, how a record fills the cell.

Widths are declared here, never measured from the data, so a table of any size draws at
once. Columns sort by the field they show; derived columns name the field they sort by,
or none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from kpotui.services import insights, sla
from kpotui.services.fields import FieldType, kind_spec
from kpotui.services.flags import Flag, row_flags
from kpotui.services.horizons import DEFAULT_HORIZONS, Horizons
from kpotui.services.listing import TEXT_TYPES
from kpotui.services.records import Record
from kpotui.services.statuses import OPEN_DELIVERABLE
from kpotui.tui import formatting as fmt
from kpotui.tui.sparkline import sparkline
from kpotui.tui.widgets.virtual_table import Column

if TYPE_CHECKING:
    from kpotui.store import Store


@dataclass(frozen=True)
class RowContext:
    """What a cell may need besides its record."""

    today: date
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Per-kind figures computed once per query (a provider's on-time rate, say)."""
    horizons: Horizons = DEFAULT_HORIZONS
    """How far ahead the firm's warnings look (the row flags')."""


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    width: int
    cell: Callable[[Record, RowContext], str]
    align: Literal["left", "right"] = "left"
    sort: str | None = None
    """The field this column sorts by; None: not sortable."""
    priority: int = 0
    """0: always shown; when a table is too narrow, the highest number drops first."""
    group: str = ""
    """Columns of one group show or drop together (an amount and its currency)."""
    grow: bool = False
    """Widens into the room the others leave (``width`` is its least)."""
    shows: tuple[str, ...] = ()
    """The fields a derived column shows (a plain column shows the field it is named
    after): what the list's typed filter looks in."""

    @property
    def column(self) -> Column:
        return Column(
            self.key, self.label, self.width, self.align, self.priority, self.group, self.grow
        )


Align = Literal["left", "right"]


def plain(
    name: str,
    label: str,
    width: int,
    align: Align = "left",
    *,
    priority: int = 0,
    group: str = "",
    grow: bool = False,
) -> Col:
    """A column showing one field as it is (dates ISO, lists joined)."""
    return Col(
        name,
        label,
        width,
        lambda r, _: fmt.value_text(r[name]),
        align,
        sort=name,
        priority=priority,
        group=group,
        grow=grow,
    )


def amount(name: str, label: str, width: int, *, priority: int = 0, group: str = "") -> Col:
    """A money field, right-aligned with thousands separators."""
    return Col(
        name,
        label,
        width,
        lambda r, _: fmt.money(r[name]),
        "right",
        sort=name,
        priority=priority,
        group=group,
    )


def _when(record: Record, ctx: RowContext) -> str:
    if record["status"] not in OPEN_DELIVERABLE:
        return ""
    return fmt.lateness(record["due_date"], ctx.today)


def _review_flag(record: Record, ctx: RowContext) -> str:
    return "⚑" if Flag.REVIEW_OVERDUE in row_flags("note", record, ctx.today, ctx.horizons) else ""


def _about(record: Record, _: RowContext) -> str:
    return record["contract"] or record["task"] or record["provider"] or ""


def _stat(name: str) -> Callable[[Record, RowContext], str]:
    def cell(record: Record, ctx: RowContext) -> str:
        stats = ctx.extra.get(record["name"]) or {}
        return str(stats.get(name, fmt.NONE))  # no spend: a provider without contracts

    return cell


COLUMNS: dict[str, list[Col]] = {
    "contract": [
        plain("code", "Code", 12),
        plain("title", "Title", 20, grow=True),
        plain("status", "Status", 10),
        plain("end_date", "Ends", 10),
        plain("provider", "Provider", 16, priority=1),
        amount("value", "Value", 12, priority=2, group="value"),
        plain("currency", "Cur", 3, priority=2, group="value"),
        plain("owner", "Owner", 14, priority=3),
        plain("service_line", "Service line", 16, priority=4),
    ],
    "deliverable": [
        plain("due_date", "Due", 10),
        Col("when", "When", 9, _when, "right", sort="due_date"),
        plain("status", "Status", 11),
        plain("title", "Title", 24, grow=True),
        plain("contract", "Contract", 12, priority=1),
        plain("quality_score", "Q", 2, "right", priority=2),
        plain("reviewer", "Reviewer", 14, priority=3),
        amount("amount", "Amount", 12, priority=4),
        plain("submitted_date", "Submitted", 10, priority=5),
        plain("accepted_date", "Accepted", 10, priority=6),
    ],
    "task": [
        plain("name", "Activity", 20, grow=True),
        plain("classification", "Class", 8),
        plain("sourcing", "Sourcing", 10),
        plain("knowledge_risk", "Risk", 6, priority=1),
        amount("in_house_monthly_cost", "In-house/mo", 11, priority=2, group="cost"),
        amount("outsourced_monthly_cost", "Outsourced/mo", 13, priority=2, group="cost"),
        plain("currency", "Cur", 3, priority=2, group="cost"),
        plain("owner", "Owner", 14, priority=3),
        plain("contract", "Contract", 12, priority=4),
        plain("area", "Area", 16, priority=5),
    ],
    "note": [
        Col("flag", "!", 1, _review_flag),
        plain("title", "Title", 20, grow=True),
        plain("kind", "Kind", 9),
        plain("review_by", "Review by", 10, priority=1),
        Col("about", "About", 12, _about, priority=2, shows=("contract", "task", "provider")),
        plain("tags", "Tags", 16, priority=3),
        plain("author", "Author", 12, priority=4),
    ],
    "provider": [
        plain("name", "Provider", 20, grow=True),
        Col("on_time", "On time", 7, _stat("on_time"), "right", priority=1),
        Col("quality", "Quality", 7, _stat("quality"), "right", priority=1),
        plain("country", "Country", 12, priority=2),
        Col("trend", "Trend", 8, _stat("trend"), priority=3),
        Col("spend", "Spend", 14, _stat("spend"), "right", priority=2),
        plain("delivery_model", "Model", 9, priority=3),
        plain("certification_expiry", "Cert. expiry", 12, priority=4),
        Col(
            "review_age",
            "Sec. review",
            11,
            lambda r, ctx: fmt.age(r["security_review_date"], ctx.today),
            "right",
            sort="security_review_date",
            priority=5,
        ),
    ],
    "decision": [
        plain("date", "Date", 10),
        plain("summary", "Summary", 20, grow=True),
        Col(
            "reversible",
            "Undo?",
            5,
            lambda r, _: "yes" if r["reversible"] else "NO",
            sort="reversible",
            priority=1,
        ),
        plain("status", "Status", 9, priority=1),
        plain("contract", "Contract", 12, priority=2),
        plain("impact", "Impact", 6, priority=2),
        plain("made_by", "Made by", 8, priority=3),
        plain("decided_by", "Decided by", 14, priority=4),
    ],
    "rate": [
        plain("currency", "Currency", 10),  # room for the sort mark: "Currency ▲"
        plain("date", "From", 10),
        plain("rate", "Rate", 20, "right"),
    ],
}
"""Every kind's columns in display order. A table shows those that fit its width: priority
0 always, then the lowest numbers; a ``grow`` column takes the room left (see
:func:`kpotui.tui.widgets.virtual_table.fit_columns`). One more column is one more entry."""


FLAG_STYLES: dict[Flag, str] = {
    Flag.OVERDUE: "red",
    Flag.CERTIFICATE_EXPIRED: "red",
    Flag.DUE_SOON: "yellow",
    Flag.INSIDE_NOTICE: "yellow",
    Flag.NOTICE_SOON: "yellow",
    Flag.LAPSED: "red",
    Flag.CERTIFICATE_EXPIRING: "yellow",
    Flag.REVIEW_OVERDUE: "yellow",
    Flag.CORE_WITHOUT_OWNER: "yellow",
    Flag.IRREVERSIBLE: "bold",
}
"""How a row with a flag looks: red is late, yellow needs attention soon."""
STYLE_ORDER = ("red", "yellow", "bold")
"""The style a row with several flags takes: the first of these."""


def row_style(flags: frozenset[Flag]) -> str:
    """The style of a whole row with ``flags`` (no flag: none)."""
    styles = {FLAG_STYLES[flag] for flag in flags}
    return next((style for style in STYLE_ORDER if style in styles), "")


def provider_stats(store: Store) -> dict[str, dict[str, str]]:
    """Provider name -> on-time rate, quality and spend, formatted (one query each)."""
    stats: dict[str, dict[str, str]] = {}
    for r in insights.reliability(store):
        stats[r.provider] = {
            "on_time": fmt.percent(r.on_time_rate),
            "quality": fmt.quality(r.average_quality),
        }
    for name, series in sla.on_time_series(store).items():  # on time per quarter
        stats.setdefault(name, {"on_time": fmt.NONE, "quality": fmt.NONE})
        stats[name]["trend"] = sparkline(series)
    spend: dict[str, list[str]] = {}
    # one line per provider and currency: currencies are never added
    for cost in insights.contract_spend(store):
        amount_text = fmt.money(cost.contract_value, cost.currency)
        spend.setdefault(cost.provider, []).append(amount_text)
    for name, amounts in spend.items():
        entry = stats.setdefault(name, {"on_time": fmt.NONE, "quality": fmt.NONE})
        entry["spend"] = amounts[0] + (f" +{len(amounts) - 1}" if len(amounts) > 1 else "")
    return stats


def filtered_fields(kind: str, columns: Sequence[Col]) -> tuple[str, ...]:
    """The fields of ``kind`` that ``columns`` show as text, names of referenced records
    included: what a typed filter over the table matches."""
    spec = kind_spec(kind)
    names = [name for col in columns for name in (col.shows or (col.key,))]
    return tuple(
        name
        for name in names
        if name in spec.by_name
        and (spec.field(name).type in TEXT_TYPES or spec.field(name).type is FieldType.REF)
    )


EXTRAS: dict[str, Callable[[Store], Mapping[str, Any]]] = {"provider": provider_stats}
"""Per-kind figures a table needs besides the records, loaded once per query."""
EXTRAS_READ = {"provider": frozenset({"contract", "deliverable"})}
"""The kinds of record each of ``EXTRAS`` is worked out from."""


def drawn_from(kind: str) -> frozenset[str]:
    """The kinds whose changes a table of ``kind`` shows: its own, those its fields name
    (a contract's provider), and those its extras read."""
    named = {field.ref for field in kind_spec(kind).refs if field.ref}
    return frozenset({kind, *named}) | EXTRAS_READ.get(kind, frozenset())
