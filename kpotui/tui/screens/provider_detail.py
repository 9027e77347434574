"""A provider: the record screen of :mod:`kpotui.tui.screens.record_detail`, and last a
Trend tab charting its on-time % and average quality over the last eight quarters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from kpotui.services import sla
from kpotui.services.clock import today
from kpotui.services.records import Record
from kpotui.tui.screens.record_detail import RecordDetailScreen


class ProviderDetailScreen(RecordDetailScreen):
    """One provider, its contracts and notes, and how its service has gone."""

    HELP = (
        f"{RecordDetailScreen.HELP} Trend charts the provider's on-time % (of the work due "
        "in each quarter, delivered or past due) and average quality (accepted work, 1-5) "
        "over the last eight quarters, over all its contracts."
    )

    def __init__(self, record_id: int | None = None, key: Mapping[str, Any] | None = None) -> None:
        super().__init__("provider", record_id, key)
        self.on_time_plot = PlotextPlot(classes="trend-plot")
        self.quality_plot = PlotextPlot(classes="trend-plot")
        """Kept here: the figures may arrive before their tab is mounted."""

    def on_mount(self) -> None:
        super().on_mount()
        body = Vertical(Static(id="trend-note"), self.on_time_plot, self.quality_plot)
        self.query_one(TabbedContent).add_pane(TabPane("Trend", body, id="tab-trend"))

    def _show(self, record: Record, *args: Any) -> None:
        super()._show(record, *args)
        self._load_trend(record["name"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="trend")
    def _load_trend(self, name: str) -> None:
        trend = sla.provider_trend(self.database.store(), name, today())
        self.app.call_from_thread(self._show_trend, trend)

    def _show_trend(self, trend: list[sla.PeriodSla]) -> None:
        labels = [p.period.label for p in trend]
        plot(self.on_time_plot, "On time %", labels, [p.figures.on_time_pct for p in trend], 100)
        quality = [p.figures.average_quality for p in trend]
        plot(self.quality_plot, "Average quality", labels, quality, 5, low=1)
        due = sum(p.figures.due for p in trend)
        self.query_one("#trend-note", Static).update(
            f"{due} deliverables due in the last {len(trend)} quarters"
        )


def plot(
    widget: PlotextPlot,
    title: str,
    labels: list[str],
    values: list[float | None],
    high: float,
    low: float = 0,
) -> None:
    """A line of ``values`` over the periods ``labels``; a period without a figure is
    left out of the line (its label stays on the axis)."""
    plt = widget.plt
    plt.clear_data()
    plt.clear_figure()
    shown = [(i, v) for i, v in enumerate(values, 1) if v is not None]
    if shown:
        plt.plot([i for i, _ in shown], [v for _, v in shown], marker="braille")
        plt.scatter([i for i, _ in shown], [v for _, v in shown], marker="dot")
    plt.title(title)
    plt.xticks(list(range(1, len(labels) + 1)), [label[2:] for label in labels])
    plt.xlim(0.5, len(labels) + 0.5)
    plt.ylim(low, high)
    plt.yticks([low, (low + high) / 2, high])  # few rows (80x24): only ticks that fit
    widget.refresh()
