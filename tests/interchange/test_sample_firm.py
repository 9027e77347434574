"""The sample firm: the same data in all three encodings, and the right figures.

``sample_data/firm.toml`` is the source (written by hand, with comments); ``firm.json``
and the CSV files are what the exporter writes from it. After editing firm.toml, run
``python tests/interchange/test_sample_firm.py`` to write them again.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path

from kpotui.interchange import demo, document
from kpotui.interchange.exporter import export_csv, export_document
from kpotui.interchange.importer import import_sources
from kpotui.interchange.problems import Problems
from kpotui.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
KINDS = ["providers", "contracts", "deliverables", "tasks", "notes", "decisions"]


def exported_sample(workdir: Path) -> dict[str, bytes]:
    """File name -> bytes of firm.json and the CSV files, exported from firm.toml."""
    problems = Problems()
    source = document.parse((SAMPLE_DIR / "firm.toml").read_bytes(), "toml", "firm", problems)
    assert source is not None and not problems, problems.lines()
    store = open_store(str(workdir / "sample.db"))
    try:
        import_sources(store, [source])
        out = io.StringIO()
        export_document(store, "json", out, reference_date=source.reference_date)
        files = {"firm.json": out.getvalue().encode()}
        for path in export_csv(store, workdir / "csv").values():
            files[path.name] = path.read_bytes()
    finally:
        store.close()
    return files


def test_json_and_csv_are_the_toml_exported(tmp_path: Path) -> None:
    for name, content in exported_sample(tmp_path).items():
        assert (SAMPLE_DIR / name).read_bytes() == content, f"{name}: run {__file__}"


def test_the_packaged_copy_is_the_sample() -> None:
    assert demo.SAMPLE.read_bytes() == (SAMPLE_DIR / "firm.toml").read_bytes()


def test_sample_size_and_reference_date() -> None:
    sample = json.loads((SAMPLE_DIR / "firm.json").read_text(encoding="utf-8"))
    assert sample["reference_date"] == "2025-06-30"
    assert {kind: len(sample[kind]) for kind in KINDS} == {
        "providers": 5,
        "contracts": 10,
        "deliverables": 64,
        "tasks": 30,
        "notes": 25,
        "decisions": 20,
    }


def write_samples() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        for name, content in exported_sample(Path(workdir)).items():
            (SAMPLE_DIR / name).write_bytes(content)
            print(f"wrote {SAMPLE_DIR / name}")


if __name__ == "__main__":
    sys.exit(write_samples())
