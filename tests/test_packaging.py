"""The packaging stays consistent: pins, the two README commands, CI, notebooks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIRS = ("notebooks", "exercises")
NOTEBOOK_NAME = re.compile(r"^\d\d-[a-z0-9-]+\.ipynb$")
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def _normalise(name: str) -> str:
    """PEP 503 name: 'Faker' and 'faker', 'nest_asyncio' and 'nest-asyncio' are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_requirement(text: str) -> tuple[str, str]:
    """Split 'numpy >= 2.0' into ('numpy', '>=2.0'); markers and extras are not used here."""
    match = REQUIREMENT.match(text)
    assert match, f"cannot parse requirement {text!r}"
    name, spec = match.groups()
    return _normalise(name), spec.replace(" ", "")


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _pyproject_requirements(*extras: str) -> dict[str, str]:
    project = _pyproject()["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    parsed = [_parse_requirement(t) for t in texts]
    names = [name for name, _ in parsed]
    assert len(names) == len(set(names)), f"pyproject.toml lists a package twice: {names}"
    return dict(parsed)


def _environment_conda_dependencies() -> list[str]:
    """The conda dependencies of environment.yml (not the pip section)."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    try:
        import yaml  # PyYAML comes with jupyter-events; fall back to a line parser.
    except ImportError:
        yaml = None
    if yaml is not None:
        deps = yaml.safe_load(text)["dependencies"]
        return [d for d in deps if isinstance(d, str)]
    deps, inside = [], False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        if not line.startswith((" ", "\t")):
            inside = stripped == "dependencies:"
            continue
        item = stripped.strip()
        # Top-level items of the list are indented by two; the pip section deeper.
        if inside and item.startswith("- ") and len(line) - len(line.lstrip()) <= 2:
            if not item.endswith(":"):
                deps.append(item[2:].strip())
    return deps


def _environment_requirements() -> dict[str, str]:
    deps = _environment_conda_dependencies()
    parsed = [_parse_requirement(d) for d in deps]
    names = [name for name, _ in parsed]
    assert len(names) == len(set(names)), f"environment.yml lists a package twice: {names}"
    return {name: spec for name, spec in parsed if name not in {"python", "pip"}}


def _faker_pin_in_constraints() -> str:
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and _parse_requirement(line)[0] == "faker":
            return _parse_requirement(line)[1]
    raise AssertionError("constraints.txt does not pin Faker")


def _notebooks() -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        found += [
            p
            for p in sorted((ROOT / folder).rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts
        ]
    return found


# ---------------------------------------------------------------- dependencies


def test_environment_yml_matches_pyproject():
    expected = _pyproject_requirements("test", "workshop", "hub")
    got = _environment_requirements()
    differ = sorted(
        f"{name}: pyproject {expected.get(name, '(absent)')!r}, environment.yml "
        f"{got.get(name, '(absent)')!r}"
        for name in expected.keys() | got.keys()
        if expected.get(name) != got.get(name)
    )
    assert not differ, (
        "environment.yml and pyproject.toml (dependencies + the 'test' extra) must list the "
        "same packages with the same specs: " + "; ".join(differ)
    )


def test_environment_yml_is_conda_forge_python_311_with_editable_install():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*-\s*conda-forge\s*$", text, re.M)
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-e\s+\.\s*$", text, re.M), "environment.yml: pip section '-e .'"


def test_faker_is_pinned_exactly_and_the_same_everywhere():
    pin = _pyproject_requirements()["faker"]
    assert re.fullmatch(r"==\d+(\.\d+)*", pin), f"pyproject pins Faker exactly, got {pin!r}"
    assert _environment_requirements()["faker"] == pin, "environment.yml: same Faker pin"
    assert _faker_pin_in_constraints() == pin, "constraints.txt: same Faker pin"


def test_installed_faker_is_the_pinned_one():
    pin = _pyproject_requirements()["faker"].removeprefix("==")
    assert version("faker") == pin, (
        f"installed Faker {version('faker')} but the kit pins {pin}: the datasets would "
        "differ. Reinstall with: make install"
    )


def test_console_script_and_package():
    pyproject = _pyproject()
    assert pyproject["project"]["scripts"]["crmkit"] == "crmkit.cli:main"
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert (ROOT / "crmkit" / "__main__.py").is_file()


# ---------------------------------------------------------------- the two commands


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make playbook" in readme
    assert "make test" in readme


def test_makefile_has_the_readme_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("help", "playbook", "test", "lab", "data", "bench", "clean"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no '{target}' target"


def test_ci_runs_make_test():
    run = ROOT / ".ci" / "run"
    text = run.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert re.search(r"^\s*make test\b", text, re.M), ".ci/run must call 'make test'"


def test_ci_run_is_executable():
    run = ROOT / ".ci" / "run"
    try:
        staged = subprocess.run(
            ["git", "ls-files", "-s", ".ci/run"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except FileNotFoundError:  # no git
        staged = ""
    if staged:
        assert staged.split()[0] == "100755", (
            f".ci/run is tracked without the executable bit ({staged.split()[0]}); "
            "fix with: git update-index --chmod=+x .ci/run"
        )
    else:
        assert os.access(run, os.X_OK), ".ci/run is not executable; fix with: chmod +x .ci/run"


# ---------------------------------------------------------------- notebooks


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_name_shows_the_order(path):
    assert NOTEBOOK_NAME.match(path.name), (
        f"{path.name}: notebook names are NN-words-with-dashes.ipynb, "
        "e.g. 01-what-is-a-customer-relationship.ipynb"
    )


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_clean_with_stable_ids(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if not cell.get("id"):
            problems.append(f"cell {i} has no id")
        if cell.get("outputs"):
            problems.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} has an execution count")
    assert not problems, (
        f"{path.relative_to(ROOT)}: {'; '.join(problems)}. Notebooks are committed without "
        "outputs and with cell ids (nbformat >= 4.5): clear the outputs before committing, "
        "e.g. jupyter nbconvert --clear-output --inplace " + str(path.relative_to(ROOT))
    )
