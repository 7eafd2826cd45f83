"""crmkit.paths: the package's own files through importlib.resources; the project's
folders under a project root that is found, not assumed, so an installed package
works outside a checkout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crmkit import paths

PACKAGE = Path(paths.__file__).resolve().parent


def test_the_checkout_is_the_root_here():
    assert paths.ROOT == PACKAGE.parent
    assert (paths.ROOT / "pyproject.toml").is_file()


def test_the_environment_names_the_root(tmp_path):
    assert paths.find_root(env={"CRMKIT_PROJECT": str(tmp_path)}) == tmp_path.resolve()
    # without it the checkout wins over the current folder
    assert paths.find_root(env={}, cwd=tmp_path) == PACKAGE.parent


def test_package_files_are_found_inside_the_package():
    assert paths.package_dir("site", "templates").is_dir()
    assert paths.package_dir("workshop", "share", "hub", "package.json").is_file()
    assert paths.package_dir() == PACKAGE


def test_a_missing_project_folder_says_how_to_point_at_it(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    with pytest.raises(FileNotFoundError) as err:
        paths.project_dir("notebooks", what="crmkit build", option="--notebooks DIR")
    message = str(err.value)
    for part in ("notebooks/", str(tmp_path), "CRMKIT_PROJECT", "--notebooks DIR"):
        assert part in message


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A copy of the package alone (as pip would install it), and an empty work folder."""
    base = tmp_path_factory.mktemp("installed")
    shutil.copytree(PACKAGE, base / "lib" / "crmkit",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (base / "work").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CRMKIT_PROJECT"}
    env["PYTHONPATH"] = str(base / "lib")
    return base, env


def _run(installed, code):
    base, env = installed
    return subprocess.run([sys.executable, "-c", code], cwd=base / "work", env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_an_installed_package_outside_a_checkout(installed):
    base, _ = installed
    out = _run(installed, (
        "import crmkit, crmkit.paths as p, crmkit.site.notebook as n, crmkit.workshop.server as s\n"
        "print(p.ROOT); print(crmkit.__file__); print(n.TEMPLATES.is_dir()); "
        "print(s.TEMPLATE_ROOT.is_dir())\n"
        "print(len(crmkit.load_dataset().customers))\n"
    ))
    assert out.returncode == 0, out.stderr
    root, module, templates, voila, customers = out.stdout.split()
    assert Path(root) == (base / "work").resolve()  # the current folder, not a checkout
    assert Path(module).is_relative_to(base / "lib")
    assert templates == voila == "True"
    assert customers == "3000"  # regenerated from its recipe: no datasets/ folder here


def test_build_outside_a_project_explains_instead_of_failing_later(installed):
    out = _run(installed, "from crmkit.cli import main; raise SystemExit(main(['build']))")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    for part in ("notebooks/", "CRMKIT_PROJECT", "--notebooks DIR"):
        assert part in out.stderr + out.stdout
