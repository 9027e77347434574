"""The sample firm of ``sample_data/firm.toml`` in a database, built through the services."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kpotui.services import records
from kpotui.services.fields import KINDS
from kpotui.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "firm.toml"
REFERENCE_DATE = "2025-06-30"
"""The sample's "today" (its top-level ``reference_date``)."""


def load_sample_firm(store: Store) -> None:
    """Create every record of the sample, kinds in dependency order."""
    with SAMPLE.open("rb") as handle:
        data = tomllib.load(handle)
    for spec in KINDS.values():
        for raw in data.get(spec.plural, []):
            records.create(store, spec.name, raw)
