"""Tests for the command line: ``crmkit`` and ``python -m crmkit``.

A few tests run the real commands in a subprocess (exit status, stderr, no
traceback, the console script installed by pip); the others call
``crmkit.cli.main(argv)`` in the test process, which is faster.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmkit import datasets
from crmkit.cli import main
from crmkit.people import SUPPORTED_LOCALES
from crmkit.schema import TABLES, data_dictionary
from crmkit.synth import make_world
from crmkit.world import load_world

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("crmkit")


def run(*args, module=True, cwd=None):
    """Run the command line in a fresh process."""
    cmd = [sys.executable, "-m", "crmkit", *args] if module else [str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_one_line_error(result, *needles):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# =============================================================================== subprocesses


def test_help_from_the_module_and_the_console_script():
    assert SCRIPT.exists(), f"the console script {SCRIPT} is not installed (pip install -e .)"
    for module in (True, False):
        r = run("--help", module=module)
        assert r.returncode == 0, r.stderr
        assert "generate" in r.stdout and "datasets" in r.stdout
        assert "crmkit generate --customers" in r.stdout  # an example to copy


def test_generate_writes_a_persian_world(tmp_path):
    out = tmp_path / "w"
    r = run("generate", "--customers", "300", "--seed", "3", "--locale", "fa_IR", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "customers=300" in r.stdout
    for table in TABLES:
        assert (out / f"{table}.csv").is_file(), table
    w = load_world(out)
    assert w.meta["locale"] == "fa_IR" and w.meta["random_state"] == 3
    assert w.customers["first_name"].str.contains(r"[\u0600-\u06FF]").all()
    expected = make_world(300, locale="fa_IR", random_state=3)
    pd.testing.assert_frame_equal(w.customers, expected.customers)
    # the same seed again, through the console script: the same bytes
    again = tmp_path / "again"
    args = ("generate", "--customers", "300", "--seed", "3", "--locale", "fa", "--out", str(again))
    r = run(*args, module=False)
    assert r.returncode == 0, r.stderr
    for table in TABLES:
        assert (again / f"{table}.csv").read_bytes() == (out / f"{table}.csv").read_bytes()


def test_generate_refuses_a_non_empty_folder(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")
    r = run("generate", "--customers", "50", "--seed", "1", "--out", str(out))
    assert_one_line_error(r, "--out", "not empty", "--force")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    r = run("generate", "--customers", "50", "--seed", "1", "--out", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert (out / "customers.csv").is_file()
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "years of work"


def test_bad_arguments_give_one_line_errors():
    line = assert_one_line_error(run("generate", "--customers", "0", "--out", "x"), "--customers")
    assert "got 0" in line
    line = assert_one_line_error(
        run("generate", "--locale", "xx", "--out", "x"), "--locale", "'xx'"
    )
    for loc in SUPPORTED_LOCALES:
        assert loc in line
    assert_one_line_error(run("generate", "--seed", "abc", "--out", "x"), "--seed", "'abc'")
    assert not Path("x").exists()


def test_datasets_check_passes_on_the_committed_dataset():
    r = run("datasets", "check", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "equals its regeneration" in r.stdout


# =============================================================================== in process


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "generate" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["--customers", "0"], ["--customers", "at least 1", "got 0"]),
        (["--customers", "-5"], ["--customers", "got -5"]),
        (["--seed", "-1"], ["--seed", ">= 0", "got -1"]),
        (["--locale", "de_DE"], ["--locale", "'de_DE'", "en_US", "fi_FI"]),
        (["--start", "2024-06-01", "--end", "2024-01-01"], ["--end", "--start", "2024-01-01"]),
        (["--start", "someday"], ["--start", "'someday'", "YYYY-MM-DD"]),
    ],
)
def test_generate_checks_every_option(tmp_path, capsys, argv, needles):
    out = tmp_path / "out"
    assert main(["generate", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmkit generate: error: ")
    assert len(err.strip().splitlines()) == 1
    for needle in needles:
        assert needle in err, (needle, err)
    assert not out.exists()  # nothing written


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["generate", "--customers", "2.5", "--out", "x"], "--customers"),
        (["generate", "--customers", "10"], "--out"),
        (["datasets", "show"], "invalid choice"),
        (["explode"], "invalid choice"),
    ],
)
def test_argparse_errors_are_one_line(capsys, argv, needle):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and needle in err, err
    assert "--help" in err


def test_generate_into_a_file_path(tmp_path, capsys):
    file = tmp_path / "world.txt"
    file.write_text("keep", encoding="utf-8")
    assert main(["generate", "--customers", "20", "--out", str(file)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert file.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("out", ["", "  "])
def test_generate_with_an_empty_out(tmp_path, monkeypatch, capsys, out):
    """Issue 11: `--out ''` said "folder '' is not empty" (it meant the current folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    assert main(["generate", "--customers", "20", "--out", out]) == 2
    err = capsys.readouterr().err
    assert "`--out` is empty: give a folder name, e.g. --out mydata" in err
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_generate_onto_an_empty_mount_point(tmp_path, mount_point, capsys):
    """Issue 11: onto a mount point, --out failed with [Errno 18] Invalid cross-device link."""
    mount = mount_point
    assert main(["generate", "--customers", "40", "--seed", "5", "--out", str(mount)]) == 0
    assert str(mount) in capsys.readouterr().out
    pd.testing.assert_frame_equal(
        load_world(mount).transactions, make_world(40, random_state=5).transactions
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnt"]  # nothing beside it


def test_generate_in_process(tmp_path, capsys):
    out = tmp_path / "w"
    assert main(["generate", "--customers", "40", "--seed", "5", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    pd.testing.assert_frame_equal(
        load_world(out).transactions, make_world(40, random_state=5).transactions
    )


def test_datasets_dictionary_prints_the_schema(capsys):
    assert main(["datasets", "dictionary"]) == 0
    assert capsys.readouterr().out.strip() == data_dictionary().strip()


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A copy of datasets/ in a fake source checkout, as crmkit.datasets sees it."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    monkeypatch.setattr(datasets, "DATASETS_DIR", tmp_path / "datasets")
    return tmp_path / "datasets"


def test_datasets_dictionary_write(checkout, capsys):
    readme = checkout / "README.md"
    text = readme.read_text(encoding="utf-8")
    stale = text.replace("| `customer_id` |", "| `client_id` |", 1)
    readme.write_text(stale, encoding="utf-8")
    assert main(["datasets", "check"]) == 1
    assert "dictionary --write" in capsys.readouterr().err
    assert main(["datasets", "dictionary", "--write"]) == 0
    assert "Rewrote" in capsys.readouterr().out
    assert readme.read_text(encoding="utf-8") == text
    assert main(["datasets", "check"]) == 0


def test_datasets_regenerate_keeps_edited_files_without_force(checkout, capsys):
    """``make data`` (no --force) must not overwrite an edited customers.csv (issue 11)."""
    customers = checkout / "default" / "customers.csv"
    committed = customers.read_bytes()
    assert main(["datasets", "regenerate"]) == 0  # nothing differs: fine without --force
    assert "Regenerated" in capsys.readouterr().out
    edited = committed.replace(b"\n", b"\r\n", 3)
    customers.write_bytes(edited)
    assert main(["datasets", "check"]) == 1
    err = capsys.readouterr().err
    assert "customers.csv: differs" in err and "make data FORCE=1" in err
    assert main(["datasets", "regenerate"]) == 2
    err = capsys.readouterr().err
    assert "customers.csv" in err and "--force" in err and "Nothing was written" in err
    assert customers.read_bytes() == edited
    assert main(["datasets", "regenerate", "--force"]) == 0
    assert customers.read_bytes() == committed
    assert main(["datasets", "check"]) == 0


def test_write_goes_with_dictionary_only(capsys):
    assert main(["datasets", "check", "--write"]) == 2
    assert "dictionary --write" in capsys.readouterr().err
