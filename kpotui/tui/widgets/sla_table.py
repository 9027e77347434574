"""A contract's service levels per period, targets against figures, as a Rich table."""

from __future__ import annotations

from rich.table import Table

from kpotui.reports.catalogue import SLA_NAMES, sla_cell, sla_figure
from kpotui.services.sla import ContractSla


def sla_table(trend: ContractSla) -> Table:
    """One row per period, newest first; ``!`` marks a breach, ``~`` a target missed with
    too few deliverables due to count."""
    targets = trend.targets
    title = (
        f"Targets per {targets.period}: on time ≥ {_target(targets.on_time_pct, '%')}, "
        f"quality ≥ {_target(targets.min_quality)}, rework ≤ {_target(targets.max_rework)}"
    )
    table = Table(title=title, title_justify="left", box=None, expand=True, pad_edge=False)
    for name in ("Period", "Due", "Deliv.", "On time", "Quality", "Rework", "1st OK"):
        table.add_column(name, no_wrap=True, justify="left" if name == "Period" else "right")
    table.add_column("Breach", min_width=7)
    for shown in reversed(trend.periods):
        f, checks = shown.figures, {c.target: c for c in shown.checks}
        breach = ", ".join(SLA_NAMES[c.target] for c in shown.breaches)
        table.add_row(
            shown.period.label,
            str(f.due),
            str(f.delivered),
            sla_cell(checks, "on_time", f.on_time_pct),
            sla_cell(checks, "quality", f.average_quality),
            sla_cell(checks, "rework", f.average_rework),
            sla_figure("on_time", f.first_time_right_pct),
            f"[bold red]{breach}[/]" if breach else "",
        )
    return table


def _target(value: float | None, unit: str = "") -> str:
    if value is None:
        return "none"
    return f"{value:g}{unit}"
