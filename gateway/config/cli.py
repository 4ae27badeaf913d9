"""``edi-gateway config check [--config FILE] [--show] [--json]``.

Exit codes: 0 the configuration is valid, 2 it is not (every problem listed, each with its file and key).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .configuration import Configuration
from .errors import ConfigProblem, ConfigurationProblems, source_name
from .loader import load_configuration
from .render import effective_configuration, render_toml

__all__ = ["config"]

EXIT_VALID, EXIT_INVALID = 0, 2


@click.group("config")
def config() -> None:
    """Check the configuration and show what is in force."""


@config.command("check")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gateway file (default: $EDIGW_CONFIG, else <home>/config/gateway.toml when it exists).",
)
@click.option(
    "--show", is_flag=True, help="Print the effective configuration and where each value comes from."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(config_file: Path | None, show: bool, as_json: bool) -> None:
    """Read the gateway file, the EDIGW_* environment and every partner file; report every problem at once.

    Secrets are checked too: referenced environment variables must be set and secret files must have
    mode 0600. Their values are never printed.
    """
    configuration: Configuration | None
    try:
        configuration = load_configuration(config_file=config_file)
        problems = configuration.secret_problems()
    except ConfigurationProblems as error:
        configuration, problems = None, error.problems
    if as_json:
        click.echo(json.dumps(_report(configuration, problems, show), indent=2, ensure_ascii=False))
    else:
        _print_text(configuration, problems, show)
    sys.exit(EXIT_INVALID if problems else EXIT_VALID)


def _summary(configuration: Configuration) -> dict[str, Any]:
    settings = configuration.settings
    return {
        "gateway_file": str(configuration.gateway_file) if configuration.gateway_file else None,
        "partners": sorted(configuration.partners),
        "database_url": settings.database_url_masked,
        "folders": [str(folder) for folder in configuration.local_folders()],
    }


def _report(configuration: Configuration | None, problems: list[ConfigProblem], show: bool) -> dict[str, Any]:
    report: dict[str, Any] = {"ok": not problems}
    if configuration is not None:
        report |= _summary(configuration)
        if show:
            report["configuration"] = effective_configuration(configuration)
            report["sources"] = dict(configuration.value_sources)
    report["problems"] = [problem.to_json() for problem in problems]
    return report


def _print_text(configuration: Configuration | None, problems: list[ConfigProblem], show: bool) -> None:
    if configuration is not None and show:
        click.echo(render_toml(configuration))
    if problems:
        count = len(problems)
        click.secho(f"configuration invalid: {count} problem{'s' if count != 1 else ''}", fg="red", bold=True)
        for problem in problems:
            click.echo(f"  {problem}")
        return
    assert configuration is not None
    summary = _summary(configuration)
    where = (
        f"gateway file {source_name(configuration.gateway_file)}"
        if configuration.gateway_file
        else "no gateway file (the embedded default)"
    )
    count = len(summary["partners"])
    click.secho(
        f"configuration OK: {count} partner{'s' if count != 1 else ''}, database {summary['database_url']}, "
        f"folders {', '.join(summary['folders'])}",
        fg="green",
    )
    click.echo(f"  {where}; partners: {', '.join(summary['partners']) or 'none'}")
