"""Where things are: the package's own files, and the project's folders.

Two kinds of places, found in two ways:

- **Files that ship inside the package** (site templates, vendored scripts,
  workshop dashboards): :func:`package_dir`, through :mod:`importlib.resources`,
  so an installed crmkit finds them wherever pip put it.
- **The project's folders** (``notebooks/``, ``exercises/``, ``datasets/``,
  ``build/``, ``site/``): under :data:`ROOT`, the project folder. It is
  ``$CRMKIT_PROJECT`` when set; else the source checkout that holds this
  package (a ``pyproject.toml`` naming crmkit beside it); else the current
  folder. Every command also takes its folders as options;
  :func:`project_dir` says what to do when one is missing.

Examples
--------
>>> (package_dir("site") / "templates").is_dir()
True
>>> find_root(env={"CRMKIT_PROJECT": "/srv/course"})
PosixPath('/srv/course')
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["ROOT", "find_root", "package_dir", "project_dir"]

#: The environment variable that names the project folder.
PROJECT_ENV = "CRMKIT_PROJECT"


def package_dir(*parts: str) -> Path:
    """A folder (or file) shipped inside the crmkit package, wherever it is installed."""
    return Path(str(resources.files("crmkit").joinpath(*parts)))


def _is_checkout(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    try:
        return pyproject.is_file() and 'name = "crmkit"' in pyproject.read_text(encoding="utf-8")
    except OSError:
        return False


def find_root(env=None, cwd=None) -> Path:
    """The project folder: ``$CRMKIT_PROJECT``, else the checkout holding crmkit, else ``cwd``."""
    env = os.environ if env is None else env
    if env.get(PROJECT_ENV):
        return Path(env[PROJECT_ENV]).expanduser().resolve()
    checkout = package_dir().resolve().parent
    if _is_checkout(checkout):
        return checkout
    return Path(cwd if cwd is not None else os.getcwd()).resolve()


#: The project folder (see :func:`find_root`), found once when crmkit is imported.
ROOT = find_root()


def project_dir(name: str, *, what: str, option: str) -> Path:
    """``ROOT / name``, which must exist: else an error saying how to point at it.

    ``what`` names the caller in the message and ``option`` the command-line
    option (or argument) that gives the folder directly.
    """
    folder = ROOT / name
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{what}: there is no {name}/ folder in {str(ROOT)!r}, the crmkit project folder. "
            f"Run it inside a crmkit checkout, set {PROJECT_ENV}=/path/to/checkout, "
            f"or pass {option}."
        )
    return folder
