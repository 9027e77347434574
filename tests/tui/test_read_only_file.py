"""The app on a database file this account may not write: read-only from the first frame."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.confirm import ConfirmDialog
from tests.tui.conftest import settle
from tests.tui.helpers import notices


@pytest.fixture
def unwritable(firm_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``firm_db`` made 0440; as root (who may write any file) os.access says so too."""
    firm_db.chmod(0o440)
    if os.geteuid() == 0:
        access = os.access

        def refuse_writing(path: object, mode: int, **kwargs: object) -> bool:
            if mode & os.W_OK and Path(str(path)) == firm_db:
                return False
            return access(path, mode, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "access", refuse_writing)
    return firm_db


async def test_a_file_you_may_not_write_opens_read_only_and_says_why(
    make_app: Callable[..., KpoApp], unwritable: Path
) -> None:
    app = make_app()  # no --read-only
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("NavBar")
        assert str(bar.render()).rstrip().endswith("firm.db · read-only")
        await pilot.press("2")
        await settle(pilot)
        offered = [key.description for key in app.screen.query("FooterKey")]
        assert "Filter" in offered and not {"New", "Edit", "Delete"} & set(offered)
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert f"Read-only: opened read-only: you may not write to {unwritable}" in notices(app)
        assert app.database.store().read_only
    assert sorted(p.name for p in unwritable.parent.iterdir()) == ["firm.db"]
