"""``import``, ``export``, ``list``, ``report``: the commands scripts use.

The work is done by :mod:`kpotui.interchange`; these commands parse options, open the
store and print. Only click is imported until a command runs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from kpotui.cli.common import AppContext, UserError, opened_store, pass_app, user_errors
from kpotui.cli.options import (
    DAY,
    REPORTS,
    KindChoice,
    format_option,
    quiet_option,
    today_option,
)
from kpotui.text import visible, visible_lines

if TYPE_CHECKING:
    from pathlib import Path

    from kpotui.reports.render import Report


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--kind",
    type=KindChoice(),
    help="The kind of CSV input (singular or plural); default: the file's name, "
    "e.g. contracts.csv.",
)
@format_option(
    "toml",
    "json",
    "csv",
    help="The encoding (default: the file's extension; needed for '-' as TOML/JSON).",
)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option(
    "--on-conflict",
    type=click.Choice(["error", "skip", "update"]),
    default="error",
    show_default=True,
    help="When a record's key exists already: report it, keep the existing record, "
    "or update it with the fields the file gives.",
)
@quiet_option
@pass_app
@user_errors
def import_command(
    app: AppContext,
    files: tuple[str, ...],
    kind: str | None,
    fmt: str | None,
    dry_run: bool,
    on_conflict: str,
    quiet: bool,
) -> None:
    """Import records from TOML, JSON or CSV files ('-' reads standard input).

    All files are one transaction: every record is written, or none. On any problem,
    every problem is printed (file, line or path, field) and nothing is written.
    """
    from kpotui.cli.progress import ImportProgress, interactive
    from kpotui.interchange.importer import import_sources
    from kpotui.interchange.inputs import CsvSource, close_all, open_sources
    from kpotui.interchange.problems import InputError, Problems

    problems = Problems()
    stdin = sys.stdin.buffer
    sources = open_sources(list(files), kind=kind, encoding=fmt, stdin=stdin, problems=problems)
    streams = [s.stream for s in sources if isinstance(s, CsvSource) and s.stream is not stdin]
    progress = ImportProgress(streams, enabled=interactive(quiet))
    try:
        if not sources:
            raise InputError(problems)
        with opened_store(app, changes=True) as store:
            summary = import_sources(
                store,
                sources,
                on_conflict=on_conflict,
                dry_run=dry_run,
                problems=problems,
                progress=progress,
            )
            target = store.display_name
    except InputError as exc:
        progress.close()  # before the problems, so that they are not drawn over
        for line in exc.problems.lines():
            click.echo(line, err=True)
        raise UserError(str(exc)) from exc
    finally:
        progress.close()
        close_all(sources)
    for name, counts in summary.counts.items():
        click.echo(
            f"{name}s: {counts.added} added, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.skipped} skipped"
        )
    if dry_run:
        click.echo("dry run: no problems found, nothing written")
    else:
        click.echo(f"{summary.written:,} records written to {visible(target)}")


@contextmanager
def _utf8_output(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to ``path`` (written aside, then renamed into place) or to stdout."""
    if path is None:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield out
        finally:
            out.flush()
            out.detach()
        return
    from kpotui.files import atomic_text

    with atomic_text(path) as file:
        yield file


EXPORT_NAME = "kpotui-export"
"""The file name a TOML/JSON export takes inside a directory given as -o."""


@click.command("export")
@format_option("toml", "json", "csv", help="Default: from the output's extension, else toml.")
@click.option(
    "-o",
    "--output",
    "output_name",
    type=click.Path(),
    help="A file (TOML/JSON; default: standard output) or a directory: CSV writes a file "
    f"per kind into it, TOML/JSON write {EXPORT_NAME}.toml or .json into it.",
)
@quiet_option
@pass_app
@user_errors
def export_command(app: AppContext, fmt: str | None, output_name: str | None, quiet: bool) -> None:
    """Export the whole database, canonically (export, import, export: same bytes)."""
    from pathlib import Path

    from kpotui.cli.progress import CountingWriter, Spinner, interactive
    from kpotui.interchange.exporter import export_csv, export_document

    output = Path(output_name) if output_name else None
    encoding = fmt
    if encoding is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        encoding = (
            suffix
            if suffix in ("toml", "json")
            else "csv"
            if output and output.is_dir()
            else "toml"
        )
    if encoding != "csv" and output is not None and output.is_dir():
        output = output / f"{EXPORT_NAME}.{encoding}"
    if encoding == "csv" and output is None:
        raise UserError("CSV export writes one file per kind: give a directory with -o")
    with opened_store(app, create=False) as store:
        if encoding == "csv":
            assert output is not None
            spinner = Spinner(f"exporting CSV to {output}", enabled=interactive(quiet))
            try:
                written = export_csv(store, output)
            finally:
                spinner.close()
            click.echo(f"{len(written)} files written to {visible(str(output))}", err=True)
            return
        with _utf8_output(output) as out:
            counting = CountingWriter(
                out, enabled=interactive(quiet), label=f"exporting {encoding}"
            )
            try:
                export_document(store, encoding, cast(TextIO, counting))
            finally:
                counting.close()


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command("list")
@click.argument("kind", type=KindChoice(), metavar="KIND")
@click.option("--status", help="contracts, deliverables, decisions; a,b matches either")
@click.option("--provider", help="by name; also the provider of a record's contract")
@click.option("--contract", help="by code")
@click.option("--classification", help="tasks: core or non-core")
@click.option("--sourcing", help="tasks: in-house, outsourced or hybrid; a,b matches either")
@click.option("--tag", help="notes")
@click.option("--due-before", type=DAY, help="the kind's main date, strictly before")
@click.option("--due-after", type=DAY, help="the kind's main date, strictly after")
@click.option("--search", "text", default="", help="text in the kind's searchable fields")
@click.option("--sort", metavar="[-]FIELD", help="a field; a leading '-' sorts descending")
@click.option("--limit", type=click.IntRange(min=1), help="at most this many records")
@format_option(
    "table", "json", "csv", default="table", help="json is a kpotui/1 document: input for import"
)
@today_option
@pass_app
@user_errors
def list_command(
    app: AppContext,
    kind: str,
    due_before: datetime | None,
    due_after: datetime | None,
    tag: str | None,
    text: str,
    sort: str | None,
    limit: int | None,
    fmt: str,
    today: datetime | None,  # only what relative dates count from: DAY has read it
    **equals: str | None,
) -> None:
    """List the records of KIND (providers, contracts, deliverables, tasks, notes,
    decisions; singular or plural) that match every filter given.

    The main date of --due-before/--due-after: a deliverable's due_date, a contract's
    end_date, a decision's date, a note's review_by, a provider's certification_expiry.
    """
    from kpotui.cli.selection import build_filter, check_names, check_sort, matching
    from kpotui.interchange import csv_codec, document
    from kpotui.services.fields import kind_spec

    spec = kind_spec(kind)
    sort_field = sort.lstrip("-") if sort else None
    try:
        flt = build_filter(
            spec,
            equals={name: value for name, value in equals.items() if value is not None},
            due_before=_day(due_before),
            due_after=_day(due_after),
            tag=tag,
            text=text,
        )
        if sort_field:
            check_sort(spec, sort_field)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    descending = sort.startswith("-") if sort else None
    with opened_store(app, create=False) as store:
        try:
            check_names(store, spec, flt)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        records = matching(
            store, spec.name, flt, sort=sort_field, descending=descending, limit=limit
        )
        if fmt == "table":
            _print_table(spec, records, _figures(store) if spec.name == "provider" else None)
            return
        if fmt == "csv" and sys.stdout.isatty():  # a person reads it: show, don't send
            buffer = io.StringIO()
            csv_codec.write_csv(buffer, spec, records)
            click.echo(visible_lines(buffer.getvalue()), nl=False)
            return
        with _utf8_output(None) as out:
            if fmt == "json":
                document.write_json(out, [(spec, records)])
            else:
                csv_codec.write_csv(out, spec, records)


FIGURES = ("on_time", "first_time_right", "rework_rounds")
"""The reliability figures a table of providers ends with."""


def _figures(store: Any) -> dict[str, list[str]]:
    """Provider name -> its on-time and first-time-right rates and rounds of rework."""
    from kpotui.services import insights

    def rate(value: float | None) -> str:
        return "" if value is None else f"{value:.0%}"

    return {
        r.provider: [rate(r.on_time_rate), rate(r.first_time_right_rate), str(r.rework_rounds)]
        for r in insights.reliability(store)
    }


def _print_table(spec: Any, records: Any, figures: dict[str, list[str]] | None = None) -> None:
    from kpotui.reports.render import Section, aligned_lines, record_table

    if figures is not None:
        records = list(records)
    columns, rows = record_table(spec, records)
    if figures is not None:
        columns = [*columns, *FIGURES]
        blank = ["" for _ in FIGURES]
        rows = [
            [*row, *figures.get(record["name"], blank)]
            for row, record in zip(rows, records, strict=True)
        ]
    if not sys.stdout.isatty():
        click.echo("\n".join(aligned_lines(columns, rows)))
        return
    _rich_sections([Section("", columns, rows)])
    click.echo(f"{len(rows)} {spec.plural if len(rows) != 1 else spec.name}")


def _rich_sections(sections: list[Any], title: str = "") -> None:
    """Tables for a terminal: every cell plain text (never Rich markup), made visible."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if title:
        console.print(Text(visible(title), style="bold"), soft_wrap=True)
    for section in sections:
        if section.title:  # a line of its own (a table's title is padded to its width),
            console.print(Text(visible(section.title)), soft_wrap=True)  # the terminal wraps
        table = Table()
        for name in section.columns:
            table.add_column(name, overflow="fold")
        for row in section.rows:
            table.add_row(*(Text(visible(cell)) for cell in row))
        console.print(table)


REPORT_OPTIONS: dict[str, tuple[str, ...]] = {name: () for name in REPORTS} | {
    "impact": ("provider", "country"),
    "exit": ("contract",),
    "knowledge": ("by",),
    "sla": ("period", "provider", "fail_on"),
}
"""The options that scope a report; the others take none."""


@click.command("report")
@click.argument("name", type=click.Choice(REPORTS), default="summary")
@format_option("text", "json", "md", default="text", help="md is Markdown.")
@click.option(
    "--provider", help="impact: the provider (by name) that would go; sla: its contracts alone."
)
@click.option("--country", help="impact: every provider in this country.")
@click.option("--contract", help="exit: one contract (by code): its exit plan.")
@click.option(
    "--by", type=click.Choice(["activity", "person"]), help="knowledge: by activity (default)."
)
@today_option
@click.option("--period", help="sla: a quarter (2026Q3) or a month (2026-09); default: now.")
@click.option(
    "--fail-on",
    type=click.Choice(["breach"]),
    help="sla: exit with status 1 when any breach is listed (for cron).",
)
@pass_app
@user_errors
def report_command(
    app: AppContext, name: str, fmt: str, today: datetime | None, **scope: str | None
) -> None:
    """Print a report: summary, overdue (and due soon), risk, costs, providers
    (reliability), decisions (taken by providers this quarter), impact (if a provider or a
    country goes), exit (readiness; one contract's exit plan), knowledge (who holds it) or
    sla (service levels per contract against their targets)."""
    from kpotui.reports import catalogue, render
    from kpotui.services.clock import today as clock_today
    from kpotui.services.periods import parse_period

    options = {key: value for key, value in scope.items() if value is not None}
    for key in options:
        if key not in REPORT_OPTIONS[name]:
            raise UserError(f"--{key.replace('_', '-')}: not an option of 'report {name}'")
    try:
        as_of = today.date() if today else clock_today()
    except ValueError:
        raise UserError("KPOTUI_TODAY: not a date in YYYY-MM-DD form") from None
    with opened_store(app, create=False) as store:
        if name == "sla":
            span = parse_period(options["period"]) if "period" in options else None
            report: Report = catalogue.sla_report(store, as_of, span, options.get("provider"))
        else:
            report = catalogue.build(store, name, as_of, **options)
    if fmt == "json":
        click.echo(render.render_json(report), nl=False)
    elif fmt == "md":
        click.echo(render.render_markdown(report))
    elif sys.stdout.isatty():
        _rich_sections(report.sections, report.title)
    else:
        click.echo(render.render_text(report))
    if options.get("fail_on") == "breach" and report.data.get("breaches"):
        raise SystemExit(1)
