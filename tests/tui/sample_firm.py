"""The sample firm of ``sample_data/firm.toml`` in a database, through the importer."""

from __future__ import annotations

from pathlib import Path

from kpotui.interchange import document
from kpotui.interchange.importer import import_sources
from kpotui.interchange.problems import InputError, Problems
from kpotui.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "firm.toml"
REFERENCE_DATE = "2025-06-30"
"""The sample's "today" (its top-level ``reference_date``)."""


def load_sample_firm(store: Store) -> None:
    """Import every record of the sample, as ``kpotui import`` would."""
    problems = Problems()
    sample = document.parse(SAMPLE.read_bytes(), "toml", str(SAMPLE), problems)
    if sample is None or problems:
        raise InputError(problems)
    import_sources(store, [sample])
