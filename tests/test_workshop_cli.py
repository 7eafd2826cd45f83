"""crmkit.workshop.cli: ``crmkit workshop`` prints or runs the Voila command."""

from __future__ import annotations

import argparse

import pytest

from crmkit.workshop import cli


def _args(*argv):
    p = argparse.ArgumentParser(prog="crmkit")
    cli.add_subparser(p.add_subparsers(dest="command"))
    return p.parse_args(["workshop", *argv])


def test_cli_dry_run_prints_the_voila_command(capsys):
    assert cli.run(_args("--dry-run", "--port", "8900", "--pool-size", "0")) == 0
    out = capsys.readouterr().out
    assert "-m voila" in out and "--Voila.ip=127.0.0.1" in out and "--port=8900" in out
    assert "--preheat_kernel" not in out
    cli.run(_args("--dry-run", "--host", "0.0.0.0", "--dashboard", "strategy-scorecard"))
    out = capsys.readouterr().out
    assert "--Voila.ip=0.0.0.0" in out and "3-strategy-scorecard.ipynb" in out


def test_cli_refuses_wrong_values_with_a_clear_message():
    with pytest.raises(ValueError, match="--pool-size must be 0 or more"):
        cli.run(_args("--pool-size", "-2", "--dry-run"))
    with pytest.raises(ValueError, match="--cull-after must be at least 10"):
        cli.run(_args("--cull-after", "1", "--dry-run"))
    with pytest.raises(ValueError, match="--data .* is not a folder"):
        cli.run(_args("--data", "no/such/folder", "--dry-run"))
    with pytest.raises(SystemExit):
        _args("--dashboard", "nope")
