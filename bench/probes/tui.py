"""The TUI under a Textual pilot, in a process of its own, for ``bench/run.py``.

    python bench/probes/tui.py dashboard DB      prints "ready" once every figure is drawn
    python bench/probes/tui.py keys DB RUNS      prints seconds per key press as JSON
    python bench/probes/tui.py scroll DB         pages through every deliverable (memory)
    python bench/probes/tui.py agenda DB         prints seconds from key 8 to the agenda drawn

The app runs headless (``App.run_test``): it lays out and renders every frame as in a
terminal, only the bytes go nowhere. A frame counts when the compositor has rendered it
(``App._display`` is called with it). Keys are sent the way the terminal driver sends
them: the pilot's own ``press`` sleeps until the process is idle (20-70 ms a key) and
would measure itself. A key's time runs from sending it to the first frame rendered with
the key handled and every visible row fetched; the next key waits until the table is
quiet (its prefetch of the next screen done), as a reader's eyes would.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot

from kpotui.tui.app import build_app
from kpotui.tui.screens import dashboard
from kpotui.tui.widgets.virtual_table import VirtualTable

SIZE = (120, 40)
TIMEOUT = 120.0


class Frames:
    """Watches the frames an app renders (a probe may look inside the app)."""

    def __init__(self, app: App[Any]) -> None:
        self.rendered: list[float] = []
        self.goal: Callable[[], bool] | None = None
        """Checked at every frame; the first frame for which it holds is ``reached``."""
        self.reached: float | None = None
        display = app._display

        def watched(screen: Any, update: Any) -> None:
            display(screen, update)
            now = time.perf_counter()
            self.rendered.append(now)
            if self.goal is not None and self.reached is None and self.goal():
                self.reached = now

        app._display = watched  # type: ignore[method-assign,assignment]

    async def first(self, goal: Callable[[], bool]) -> float:
        """The time of the first frame from now on rendered while ``goal()`` holds."""
        self.goal, self.reached = goal, None
        await until(lambda: self.reached is not None)
        assert self.reached is not None
        self.goal = None
        return self.reached

    async def after(self, moment: float) -> float:
        """The time of the first frame rendered at or after ``moment``."""
        await until(lambda: any(t >= moment for t in self.rendered))
        return next(t for t in self.rendered if t >= moment)


async def until(done: Callable[[], bool]) -> None:
    """Let the app run until ``done()``."""
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > TIMEOUT:
            raise TimeoutError("the app never got there")
        await asyncio.sleep(0.0005)


def shows_all_rows(table: VirtualTable) -> bool:
    """Every row in view is fetched for the current query (no placeholder, no stale row).

    The rows may be drawn while the table still counts them (the status says so)."""
    if not table._count_known and not table._pages:
        return False
    top, height = table._viewport()
    visible = range(top, min(table.row_count, top + height))
    return all(table._find(index, table._pages) is not None for index in visible)


def quiet(table: VirtualTable) -> bool:
    return shows_all_rows(table) and table._inflight is None and table._missing_index() is None


def watch_dashboard(app: App[Any]) -> tuple[list[Any], list[float]]:
    """The dashboard's loading workers as they start, and when each figure was shown."""
    started: list[Any] = []
    shown: list[float] = []
    load = dashboard.DashboardScreen._load

    def watched_load(screen: dashboard.DashboardScreen) -> Any:
        started.append(load(screen))
        return started[-1]

    dashboard.DashboardScreen._load = watched_load  # type: ignore[method-assign]
    call_from_thread = app.call_from_thread

    def watched_call(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def show(*inner: Any, **named: Any) -> Any:
            result = callback(*inner, **named)
            shown.append(time.perf_counter())
            return result

        return call_from_thread(show, *args, **kwargs)

    app.call_from_thread = watched_call  # type: ignore[method-assign]
    return started, shown


async def dashboard_drawn(
    app: App[Any], frames: Frames, watched: tuple[list[Any], list[float]]
) -> None:
    """Until the frame that shows the dashboard's last figure."""
    started, shown = watched
    await until(lambda: bool(started) and started[-1].is_finished)
    if started[-1].error is not None:
        raise started[-1].error
    await frames.after(shown[-1])


def send(app: App[Any], key: str) -> None:
    """Deliver ``key`` as the terminal driver does."""
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


class Session:
    """The app on the deliverables screen, all 200,000 (not only open work) in view."""

    def __init__(self, pilot: Pilot[Any], frames: Frames, table: VirtualTable) -> None:
        self.pilot, self.frames, self.table = pilot, frames, table

    @classmethod
    async def open(cls, pilot: Pilot[Any], frames: Frames, watched: Any) -> Session:
        await dashboard_drawn(pilot.app, frames, watched)  # the first screen, loaded
        await pilot.press("3")
        await until(lambda: bool(pilot.app.screen.query(VirtualTable)))
        pilot.app.screen.choose({"view": "all"})  # type: ignore[attr-defined]
        table = pilot.app.screen.query_one(VirtualTable)
        from kpotui.services import listing  # as late as the app imports it: SQLAlchemy

        everything = listing.count(pilot.app.database.store(), "deliverable")  # type: ignore[attr-defined]
        await until(lambda: quiet(table) and table.row_count == everything)
        return cls(pilot, frames, table)

    async def key(self, key: str, handled: Callable[[], bool]) -> float:
        """Seconds from sending ``key`` to the first frame showing its outcome."""
        start = time.perf_counter()
        send(self.pilot.app, key)
        drawn = await self.frames.first(lambda: handled() and shows_all_rows(self.table))
        await until(lambda: quiet(self.table))
        return drawn - start

    async def page_down(self) -> float:
        was = self.table.cursor_index
        return await self.key("pagedown", lambda: self.table.cursor_index != was)


async def show_dashboard(db: str) -> None:
    app = build_app(db, read_only=False, demo=False)
    frames, watched = Frames(app), watch_dashboard(app)
    async with app.run_test(size=SIZE):
        await dashboard_drawn(app, frames, watched)
        print("ready", flush=True)


async def press_keys(db: str, runs: int) -> None:
    app = build_app(db, read_only=False, demo=False)
    frames, watched = Frames(app), watch_dashboard(app)
    found: dict[str, list[float]] = {"pagedown": [], "end": [], "filter": []}
    async with app.run_test(size=SIZE) as pilot:
        s = await Session.open(pilot, frames, watched)
        table, last = s.table, s.table.row_count - 1
        for _ in range(max(runs, 20)):  # from the top, page after page
            found["pagedown"].append(await s.page_down())
        for _ in range(runs):  # from the top, only the first pages fetched
            await pilot.press("home")
            table.refresh_data()
            await until(lambda: quiet(table))
            found["end"].append(await s.key("end", lambda: table.cursor_index == last))
        await pilot.press("home", "slash")
        for _ in range(runs):
            found["filter"].append(await s.key("a", lambda: table.current_query.filter == "a"))
            await s.key("backspace", lambda: not table.current_query.filter)
        print(json.dumps({"rows": table.row_count, **found}), flush=True)


async def scroll_all(db: str) -> None:
    app = build_app(db, read_only=False, demo=False)
    frames, watched = Frames(app), watch_dashboard(app)
    async with app.run_test(size=SIZE) as pilot:
        s = await Session.open(pilot, frames, watched)
        presses, table = 0, s.table
        while table.cursor_index < table.row_count - 1:  # every page fetched and shown
            was = table.cursor_index
            send(app, "pagedown")
            await until(lambda: table.cursor_index != was and quiet(table))  # noqa: B023
            presses += 1
        print(json.dumps({"rows": s.table.row_count, "presses": presses}), flush=True)


async def open_agenda(db: str) -> None:
    """Seconds from key 8, once the dashboard is drawn, to the first frame showing the
    agenda's items and its counts (the screen loads when first shown)."""
    from textual.widgets import Static

    from kpotui.tui.widgets.panel_table import PanelTable

    app = build_app(db, read_only=False, demo=False)
    frames, watched = Frames(app), watch_dashboard(app)
    async with app.run_test(size=SIZE):
        await dashboard_drawn(app, frames, watched)
        start = time.perf_counter()
        send(app, "8")

        def drawn() -> bool:
            screen = app.screen
            if type(screen).__name__ != "AgendaScreen" or not screen.query(PanelTable):
                return False
            status = str(screen.query_one("#agenda-status", Static).render())
            return "overdue" in status and screen.query_one(PanelTable).row_count > 0

        print(json.dumps({"open": await frames.first(drawn) - start}), flush=True)


def main() -> None:
    mode, db = sys.argv[1], sys.argv[2]
    if mode == "dashboard":
        asyncio.run(show_dashboard(db))
    elif mode == "keys":
        asyncio.run(press_keys(db, int(sys.argv[3])))
    elif mode == "scroll":
        asyncio.run(scroll_all(db))
    elif mode == "agenda":
        asyncio.run(open_agenda(db))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
