"""The Makefile's helpers do what the README's table says: `make data`, `make clean`.

`make clean` runs for real, on a copy of the Makefile in a temporary folder
with a fake checkout: it must remove exactly the build output and caches, in
the repository's own folders, and nothing of a trainer's that lives inside.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

#: Files of a fake checkout that `make clean` removes (their folders go with them).
REMOVED = [
    "build/notebooks/01.ipynb",
    "site/index.html",
    ".pytest_cache/v/cache/lastfailed",
    ".ruff_cache/0.1/x",
    ".hypothesis/examples/x",
    "__pycache__/setup.cpython-311.pyc",
    "crmkit.egg-info/PKG-INFO",
    "crmkit/__pycache__/world.cpython-311.pyc",
    "crmkit/site/__pycache__/builder.cpython-311.pyc",
    "tests/__pycache__/conftest.cpython-311.pyc",
    "tests/.hypothesis/examples/x",
    "benchmarks/__pycache__/bench_generate.cpython-311.pyc",
    "tools/__pycache__/nbwrite.cpython-311.pyc",
    "notebooks/.ipynb_checkpoints/01-what-is-a-customer-relationship-checkpoint.ipynb",
    "exercises/.ipynb_checkpoints/01-relationships-and-types-checkpoint.ipynb",
]

#: Files that `make clean` keeps.
KEPT = [
    "Makefile",
    "README.md",
    "crmkit/world.py",
    "crmkit/site/builder.py",  # crmkit/site/ is the site's code, not the built site/
    "crmkit/site/static/vendor/minisearch/minisearch.js",
    "tests/test_world.py",
    "notebooks/01-what-is-a-customer-relationship.ipynb",
    "exercises/01-relationships-and-types.ipynb",
    "datasets/default/customers.csv",
    ".venv/bin/python",
    ".venv/lib/python3.11/site-packages/x/__pycache__/x.cpython-311.pyc",
    ".git/HEAD",
    # a trainer's folders inside the checkout (issue 11): never touched
    "course/a.ipynb",
    "course/.ipynb_checkpoints/a-checkpoint.ipynb",
    "course/students/anna/__pycache__/x.pyc",
    "course/build/x.txt",
    "dist/crmkit-0.1.0-py3-none-any.whl",  # pip's output, or a trainer's handouts
    "handouts/.ipynb_checkpoints/x",
]


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_make_clean_removes_exactly_what_the_readme_says(tmp_path):
    for rel in REMOVED + KEPT[1:]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    r = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert _files(tmp_path) == set(KEPT)
    for folder in ("build", "site", ".pytest_cache", "crmkit.egg-info", "crmkit/__pycache__"):
        assert not (tmp_path / folder).exists(), folder
    assert (tmp_path / "crmkit/site").is_dir()
    # and on a clean tree it is a no-op that still succeeds
    r = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert _files(tmp_path) == set(KEPT)


def test_readme_and_makefile_agree_on_clean():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(x for x in readme.splitlines() if x.startswith("| `make clean` |"))
    for name in (
        "build/",
        "site/",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "*.egg-info",
        ".ipynb_checkpoints",
    ):
        assert f"`{name}`" in row, name
    for kept in ("datasets/", ".venv/", "dist/", "crmkit exercises build"):
        assert kept in row.split("never", 1)[1], kept
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nclean:", 1)[1].split("\n\n", 1)[0]
    assert "dist" not in recipe
    code_dirs = re.search(r"^CODE_DIRS\s*:=\s*(.+)$", makefile, re.M).group(1).split()
    notebook_dirs = re.search(r"^NOTEBOOK_DIRS\s*:=\s*(.+)$", makefile, re.M).group(1).split()
    assert all(f"`{d}/`" in row for d in code_dirs + notebook_dirs)


def _dry_run_data(*extra) -> str:
    r = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "data", *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stdout.splitlines() if "datasets regenerate" in x]
    assert len(lines) == 1, r.stdout
    return lines[0].split("crmkit ", 1)[1]


def test_make_data_passes_force_only_when_asked():
    """Issue 11: `make data` overwrote an edited customers.csv: it passed --force."""
    assert _dry_run_data() == "datasets regenerate"
    assert _dry_run_data("FORCE=0") == "datasets regenerate"
    assert _dry_run_data("FORCE=1") == "datasets regenerate --force"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(x for x in readme.splitlines() if x.startswith("| `make data` |"))
    assert "FORCE=1" in row and "writes nothing" in row
