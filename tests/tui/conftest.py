"""Fixtures for the app's tests: the sample firm in a database, the clock pinned, an app.

Tests run on the sample firm; those marked ``@AT_SCALE`` (the pilot tests issue 4 asks
for) run again on the sample firm grown to 200,000 deliverables (``tests/tui/large_firm.py``),
where the same keys must give the same answers.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.notifications import Notification, Notifications
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerState

from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.database import AppDatabase
from tests.tui import large_firm, sample_firm
from tests.tui.firm_cache import cached_database
from tests.tui.large_firm import add_archive
from tests.tui.sample_firm import REFERENCE_DATE, SAMPLE, load_sample_firm


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app test runs on the sample's reference date."""
    monkeypatch.setenv("KPOTUI_TODAY", REFERENCE_DATE)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make screenshots differ from run to run."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


RAISED = "_raised_in_test"
"""Where :func:`keep_raised_notifications` keeps every notification an app raised."""


@pytest.fixture(autouse=True)
def keep_raised_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each notification for ``helpers.notices`` after its toast times out: on a busy
    machine a test can take longer than a toast's five seconds to reach its assertion."""
    add = Notifications.add

    def add_and_keep(self: Notifications, notification: Notification) -> Notifications:
        self.__dict__.setdefault(RAISED, []).append(notification)
        return add(self, notification)

    monkeypatch.setattr(Notifications, "add", add_and_keep)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample firm, built once per test session."""
    path = tmp_path_factory.mktemp("sample") / "template.db"
    store = open_store(str(path))
    try:
        load_sample_firm(store)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def large_template(
    sample_template: Path, pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The sample firm plus 200,000 old deliverables, built only when a test asks for it
    and then kept in pytest's cache directory for later runs (``tests/tui/firm_cache.py``)."""

    def build(path: Path) -> None:
        shutil.copyfile(sample_template, path)
        store = open_store(str(path))
        try:
            add_archive(store)
        finally:
            store.close()

    cache = getattr(pytestconfig, "cache", None)  # none under -p no:cacheprovider: this run only
    directory = cache.mkdir("kpotui-large-firm") if cache else tmp_path_factory.mktemp("large")
    sources = [Path(large_firm.__file__), Path(sample_firm.__file__), SAMPLE]
    return cached_database(directory, "large", sources, build)


@pytest.fixture
def firm_template(request: pytest.FixtureRequest) -> Path:
    """The firm a test runs on: the sample, or the one ``AT_SCALE`` gives it."""
    template: Path = request.getfixturevalue(f"{getattr(request, 'param', 'sample')}_template")
    return template


AT_SCALE = pytest.mark.parametrize(
    "firm_template",
    ["sample", pytest.param("large", marks=pytest.mark.xdist_group("large-firm"))],
    indirect=True,
)
"""Run a test on the sample firm and on the sample firm with 200,000 more deliverables
(under xdist, every large case on one worker: the others never wait for the large firm)."""


@pytest.fixture
def firm_db(firm_template: Path, tmp_path: Path) -> Path:
    """A private copy of the test's firm (named firm.db: it shows in the app)."""
    path = tmp_path / "firm.db"
    shutil.copyfile(firm_template, path)
    path.chmod(0o600)  # as kpotui makes it; a copy under umask 022 would warn in every test
    return path


@pytest.fixture
def make_app(firm_db: Path) -> Callable[..., KpoApp]:
    """Builds the app on the test's copy of the sample firm."""

    def make(*, read_only: bool = False, db: Path | None = None) -> KpoApp:
        return KpoApp(AppDatabase(str(db or firm_db), read_only=read_only))

    return make


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no worker is pending or running and the screen has caught up.

    Finishing a worker can start another (a table fetches its count, then its page), and
    an exclusive worker cancels the one it replaces, so this polls until the app stays idle
    for a few rounds rather than awaiting particular workers.
    """
    app = pilot.app
    idle_rounds = 0
    for _ in range(1000):
        await pilot.pause(0.01)
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        idle_rounds = 0 if busy else idle_rounds + 1
        if idle_rounds >= 3:
            return
    raise AssertionError("the app did not settle")
