"""Firm settings: values that must be the same for everyone on a shared database.

They live in the database (table ``setting``), not in anyone's config file, and every
change is audited (kind ``setting``) and can be undone like any other change. Personal
preferences (theme, keys, which database to open) stay in :mod:`kpotui.config`.

:data:`REGISTRY` declares each setting once: key, type, default, validator and a one-line
description. A later setting is one more entry. Reading all of them is one query
(:func:`load`); callers that need several values read them once per request.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import Connection, exists, insert, select, update
from sqlalchemy.exc import IntegrityError

from kpotui.models import AuditAction, Rate, Setting, utcnow
from kpotui.services import audit
from kpotui.services.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    UndoError,
    ValidationError,
)
from kpotui.store import Store

T = TypeVar("T", str, int)
TABLE = Setting.__table__  # type: ignore[attr-defined]
KIND = "setting"
"""The ``kind`` of a setting's audit events."""


class StoredValueError(ServiceError):
    """A value in the database no longer passes its setting's validator."""


@cache
def currency_codes() -> dict[str, str]:
    """ISO 4217 code -> English name, from the list shipped with the package."""
    text = resources.files(__package__).joinpath("iso4217.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name for code, name in rows}


def iso_currency(value: str) -> str:
    """An active ISO 4217 currency code, upper-cased."""
    code = value.strip().upper()
    if code not in currency_codes():
        raise ValueError(f"{value!r} is not an active ISO 4217 currency code (e.g. EUR, USD)")
    return code


def whole_number(low: int, high: int, what: str = "a whole number") -> Callable[[int], int]:
    """A validator for ``what`` (a count, a number of days) from ``low`` to ``high``."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"{value} is out of range: {what} from {low} to {high}")
        return value

    return check


def whole_days(low: int, high: int) -> Callable[[int], int]:
    """A validator for a number of days from ``low`` to ``high``."""
    return whole_number(low, high, "a number of days")


@dataclass(frozen=True)
class FirmSetting(Generic[T]):
    """One firm setting as declared in :data:`REGISTRY`."""

    key: str
    type: type[T]
    default: T
    validate: Callable[[T], T]
    """Returns the value (normalised) or raises ValueError with a one-line reason."""
    description: str

    def coerce(self, raw: object) -> T:
        """``raw`` (typed, text from a command line, or JSON from the database) as this
        setting's value; raises ValueError with the reason it is not one."""
        if self.type is int:
            if isinstance(raw, str):
                try:
                    raw = int(raw.strip())
                except ValueError:
                    raise ValueError(f"{raw!r} is not a whole number") from None
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError(f"{raw!r} is not a whole number")
        elif not isinstance(raw, str):
            raise ValueError(f"{raw!r} is not text")
        return self.validate(raw)  # type: ignore[arg-type]


CURRENCY = FirmSetting(
    "currency",
    str,
    "EUR",
    iso_currency,
    "The firm's reporting currency (an active ISO 4217 code).",
)
DUE_SOON_DAYS = FirmSetting(
    "due_soon_days",
    int,
    14,
    whole_days(1, 365),
    "Deliverables due within this many days are due soon.",
)
NOTICE_WARNING_DAYS = FirmSetting(
    "notice_warning_days",
    int,
    30,
    whole_days(1, 365),
    "Contracts whose notice deadline is within this many days are flagged.",
)


def day_list(value: str) -> str:
    """A comma list of whole days from 1 to 3650 (``90,60,30,7``), normalised: largest
    first, no repeats."""
    days = set()
    for part in value.split(","):
        text = part.strip()
        if not text.isdigit() or not 1 <= int(text) <= 3650:
            raise ValueError(f"{text!r} is not a number of days from 1 to 3650 (e.g. 90,60,30,7)")
        days.add(int(text))
    return ",".join(str(day) for day in sorted(days, reverse=True))


AGENDA_REVIEW_DAYS = FirmSetting(
    "agenda_review_days",
    int,
    5,
    whole_days(1, 365),
    "A submitted deliverable is due for review this many days after submission.",
)
AGENDA_LEAD_TIMES = FirmSetting(
    "agenda_lead_times",
    str,
    "90,60,30,7",
    day_list,
    "Days before a notice deadline that the agenda announces it (and calendars remind).",
)
SECURITY_REVIEW_RESTRICTED_DAYS = FirmSetting(
    "security_review_restricted_days",
    int,
    180,
    whole_days(1, 3650),
    "A provider holding restricted data is reviewed again this many days after the last.",
)
SECURITY_REVIEW_CONFIDENTIAL_DAYS = FirmSetting(
    "security_review_confidential_days",
    int,
    365,
    whole_days(1, 3650),
    "The same, for a provider holding confidential data at most.",
)
SECURITY_REVIEW_INTERNAL_DAYS = FirmSetting(
    "security_review_internal_days",
    int,
    730,
    whole_days(1, 3650),
    "The same, for a provider holding internal data at most.",
)
PROPOSED_DECISION_DAYS = FirmSetting(
    "proposed_decision_days",
    int,
    14,
    whole_days(1, 365),
    "A decision still proposed this many days after its date is due for ratification.",
)


SLA_MIN_DELIVERABLES = FirmSetting(
    "sla_min_deliverables",
    int,
    3,
    whole_number(1, 1000),
    "A missed SLA target is a breach only when at least this many deliverables were due.",
)

REGISTRY: dict[str, FirmSetting[Any]] = {
    s.key: s
    for s in (
        CURRENCY,
        DUE_SOON_DAYS,
        NOTICE_WARNING_DAYS,
        AGENDA_REVIEW_DAYS,
        AGENDA_LEAD_TIMES,
        SECURITY_REVIEW_RESTRICTED_DAYS,
        SECURITY_REVIEW_CONFIDENTIAL_DAYS,
        SECURITY_REVIEW_INTERNAL_DAYS,
        PROPOSED_DECISION_DAYS,
        SLA_MIN_DELIVERABLES,
    )
}
"""Every firm setting by key, in the order lists show them."""


def lookup(key: str) -> FirmSetting[Any]:
    """The setting named ``key``; an unknown key is refused naming the closest one."""
    if key in REGISTRY:
        return REGISTRY[key]
    close = difflib.get_close_matches(key, REGISTRY, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(REGISTRY)}"
    raise NotFoundError(f"unknown firm setting {key!r} ({hint})")


@dataclass(frozen=True)
class SettingState:
    """A setting as it stands: its value, and whether and when someone set it."""

    key: str
    value: Any
    """The value in force: the stored one when set (and valid), else the default."""
    default: Any
    is_set: bool
    version: int
    """0 before the setting was ever stored; pass it back to :func:`set_value`."""
    updated_by: str | None
    updated_at: datetime | None
    description: str
    problem: str | None = None
    """Why the stored value is not valid any more (``value`` is then the stored one)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "default": self.default,
            "set": self.is_set,
            "version": self.version,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "description": self.description,
            "problem": self.problem,
        }


def _state(setting: FirmSetting[Any], row: Mapping[str, Any] | None) -> SettingState:
    stored = None if row is None else row["value"]
    value, problem = setting.default, None
    if stored is not None:
        try:
            value = setting.coerce(stored)
        except ValueError as exc:
            value, problem = stored, str(exc)
    return SettingState(
        key=setting.key,
        value=value,
        default=setting.default,
        is_set=stored is not None,
        version=0 if row is None else row["version"],
        updated_by=None if row is None else row["updated_by"],
        updated_at=None if row is None else row["updated_at"],
        description=setting.description,
        problem=problem,
    )


def _rows(conn: Connection, key: str | None = None) -> dict[str, dict[str, Any]]:
    query = select(TABLE)
    if key is not None:
        query = query.where(TABLE.c.key == key)
    return {row.key: dict(row._mapping) for row in conn.execute(query)}


def _read(source: Store | Connection) -> dict[str, dict[str, Any]]:
    if isinstance(source, Store):
        with source.read() as conn:
            return _rows(conn)
    return _rows(source)


def load(source: Store | Connection) -> dict[str, SettingState]:
    """Every firm setting by key, in registry order, read with one query."""
    rows = _read(source)
    return {key: _state(setting, rows.get(key)) for key, setting in REGISTRY.items()}


def list_settings(source: Store | Connection) -> list[SettingState]:
    """Every firm setting, with value, default, whether set, and who changed it when."""
    return list(load(source).values())


def value_of(state: SettingState) -> Any:
    """The state's value; a stored value that no longer validates is refused, saying how
    to fix it."""
    if state.problem is not None:
        raise StoredValueError(
            f"firm setting {state.key} holds {state.value!r}, which is no longer valid "
            f"({state.problem}); set it again or reset it to the default"
        )
    return state.value


@overload
def get(source: Store | Connection, key: FirmSetting[T]) -> T: ...
@overload
def get(source: Store | Connection, key: str) -> Any: ...
def get(source: Store | Connection, key: FirmSetting[Any] | str) -> Any:
    """A setting's value, typed: the stored one, or the default when it was never set."""
    setting = lookup(key) if isinstance(key, str) else key
    return value_of(load(source)[setting.key])


def parse(key: str, raw: object) -> Any:
    """``raw`` validated as the value of setting ``key``; refused with the reason."""
    setting = lookup(key)
    try:
        return setting.coerce(raw)
    except ValueError as exc:
        raise ValidationError({key: str(exc)}, labelled=False) from None


def _raced(setting: FirmSetting[Any]) -> ConflictError:
    """PostgreSQL: someone stored the setting between this transaction's read and write."""
    return ConflictError(
        f"firm setting {setting.key} was changed by someone else at the same time; "
        "nothing was saved",
        None,
    )


def _write(
    conn: Connection,
    setting: FirmSetting[Any],
    value: Any,
    *,
    version: int | None,
    batch: str | None,
) -> SettingState:
    """Store ``value`` (None: back to the default) and audit the change, unless nothing
    changes. ``version`` is the one the caller read (0: never set); None skips the check."""
    row = _rows(conn, setting.key).get(setting.key)
    current = _state(setting, row)
    if version is not None and version != current.version:
        raise ConflictError(
            f"firm setting {setting.key} was changed by someone else (version "
            f"{current.version}, you read {version}); nothing was saved",
            current.as_json(),
        )
    old = None if row is None else row["value"]
    if old == value:  # also a reset of a setting never set
        return current
    if setting is CURRENCY:
        _refuse_with_rates(conn, current.value, setting.default if value is None else value)
    values = {"value": value, "updated_at": utcnow(), "updated_by": audit.current_actor()}
    if row is None:
        try:
            setting_id = conn.execute(
                insert(TABLE).values(key=setting.key, **values).returning(TABLE.c.id)
            ).scalar_one()
        except IntegrityError:
            raise _raced(setting) from None
    else:
        setting_id = row["id"]
        changed = conn.execute(
            update(TABLE)
            .where(TABLE.c.id == setting_id, TABLE.c.version == current.version)
            .values(version=TABLE.c.version + 1, **values)
        )
        if changed.rowcount != 1:
            raise _raced(setting)
    audit.append(
        conn,
        action=AuditAction.UPDATE.value,
        kind=KIND,
        record_id=setting_id,
        key=setting.key,
        changes={"value": [old, value]},
        batch=batch,
    )
    return _state(setting, _rows(conn, setting.key)[setting.key])


def _refuse_with_rates(conn: Connection, old: str, new: str) -> None:
    """Rates are in units of the reporting currency: another one would make them all wrong."""
    if old != new and conn.execute(select(exists().select_from(Rate))).scalar():
        raise ValidationError(
            {
                CURRENCY.key: f"cannot change the reporting currency from {old} to {new} "
                f"while exchange rates exist: every rate is in {old}; delete the rates first"
            },
            labelled=False,
        )


def set_value(store: Store, key: str, raw: object, *, version: int | None = None) -> SettingState:
    """Validate and store a setting's value, audited; returns the setting as stored.

    With ``version`` (from :func:`list_settings`), refused with :class:`ConflictError`
    when someone changed the setting since it was read.
    """
    setting = lookup(key)
    value = parse(key, raw)
    with store.write() as conn:
        return _write(conn, setting, value, version=version, batch=None)


def reset(store: Store, key: str, *, version: int | None = None) -> SettingState:
    """Put a setting back to its default, audited (nothing happens when it is not set)."""
    setting = lookup(key)
    with store.write() as conn:
        return _write(conn, setting, None, version=version, batch=None)


def revert_event(conn: Connection, event: Mapping[str, Any], *, batch: str | None) -> None:
    """Undo one audited setting change (for :mod:`kpotui.services.undo`): put the old
    value back, as a new change in ``batch``, if the setting still holds the new one."""
    old, new = event["changes"]["value"]
    row = conn.execute(select(TABLE).where(TABLE.c.id == event["record_id"])).first()
    if row is None or row.value != new:
        raise UndoError(
            f"cannot undo: firm setting {event['key']} was changed since; nothing was undone"
        )
    setting = lookup(row.key)
    if old is not None:
        try:
            setting.coerce(old)
        except ValueError as exc:
            raise UndoError(f"cannot undo: firm setting {row.key} {exc}") from None
    _write(conn, setting, old, version=None, batch=batch)
