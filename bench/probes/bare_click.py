"""Baseline of ``kpotui --help``: a bare click app with one command."""

import click


@click.group()
def main() -> None:
    """A bare click app."""


@main.command()
def hello() -> None:
    """Say hello."""
    click.echo("hello")


if __name__ == "__main__":
    main()
