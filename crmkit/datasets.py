"""The default datasets: committed under ``datasets/``, regenerated when absent.

``load_dataset()`` reads ``datasets/default`` from a source checkout; from a
plain ``pip install`` (no ``datasets/`` folder) it builds the same world with
:func:`crmkit.make_world` and the recipe below, so lessons run either way. A
test keeps the committed files byte-for-byte equal to the regeneration.

``datasets/README.md`` introduces the data by hand and then holds the data
dictionary, generated from :mod:`crmkit.schema` between two markers;
:func:`write_dictionary` refreshes it and :func:`check_dictionary` says whether
it is current.
"""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

from crmkit.paths import ROOT
from crmkit.world import World, load_world

__all__ = [
    "DATASETS",
    "load_dataset",
    "dataset_path",
    "regenerate_dataset",
    "check_dataset",
    "write_dictionary",
    "check_dictionary",
]

#: Recipes of the named datasets (keyword arguments of :func:`crmkit.make_world`).
DATASETS: dict[str, dict] = {
    "default": {
        "n_customers": 3000,
        "locale": "en_US",
        "start": "2023-01-01",
        "end": "2024-12-31",
        "random_state": 2024,
    },
}

#: Where the committed datasets live in a source checkout.
DATASETS_DIR = ROOT / "datasets"

#: The markers around the generated data dictionary in datasets/README.md.
DICTIONARY_START = "<!-- dictionary:start -->"
DICTIONARY_END = "<!-- dictionary:end -->"


def _check_name(name, func):
    if not isinstance(name, str):
        raise TypeError(
            f"{func}: `name` must be a dataset name (str) such as 'default'; got "
            f"{type(name).__name__}. To load a folder of CSVs use crmkit.load_world."
        )
    if name not in DATASETS:
        raise ValueError(
            f"{func}: unknown dataset {name!r}; known datasets: "
            f"{', '.join(repr(k) for k in DATASETS)}."
        )
    return name


def dataset_path(name: str = "default") -> Path:
    """Folder of a committed dataset (it may not exist in a pip install)."""
    return DATASETS_DIR / _check_name(name, "dataset_path")


def load_dataset(name: str = "default") -> World:
    """Load a named dataset: the committed CSVs, or a fresh regeneration if absent.

    Parameters
    ----------
    name : {"default"}, default="default"
        The dataset: 3,000 customers (en_US) over 2023-2024, seed 2024.

    Returns
    -------
    World

    Examples
    --------
    >>> w = load_dataset()
    >>> len(w.customers)
    3000
    """
    from crmkit.synth import make_world

    path = DATASETS_DIR / _check_name(name, "load_dataset")
    if (path / "customers.csv").exists():
        return load_world(path)
    return make_world(**DATASETS[name])


def regenerate_dataset(name: str = "default", *, out=None, force: bool = False) -> Path:
    """Write a named dataset from its recipe (to ``datasets/<name>`` unless ``out``).

    Without ``out`` this needs a source checkout (``datasets/`` beside
    ``pyproject.toml``). Files already in the folder that equal the
    regeneration are fine; if any would be replaced by different content (a
    ``customers.csv`` edited by hand, or a changed generator) nothing is
    written unless ``force=True``.

    Raises
    ------
    FileExistsError
        Listing the files that differ, when ``force`` is False.
    """
    from crmkit.synth import make_world

    _check_name(name, "regenerate_dataset")
    if out is None and not (DATASETS_DIR.parent / "pyproject.toml").is_file():
        raise FileNotFoundError(
            f"regenerate_dataset: {DATASETS_DIR} is not the datasets/ folder of a crmkit "
            "source checkout; pass out= (command line: crmkit generate --out DIR) to "
            "write the dataset elsewhere."
        )
    path = Path(out) if out is not None else DATASETS_DIR / name
    world = make_world(**DATASETS[name])
    if not force and path.is_dir() and any(path.iterdir()):
        with tempfile.TemporaryDirectory() as tmp:
            fresh = world.save(Path(tmp) / name)
            changed = _compare(path, fresh)[2]
        if changed:
            listed = "\n".join(f"  - {rel}" for rel in changed)
            raise FileExistsError(
                f"regenerate_dataset: {len(changed)} file(s) in {path} differ from the "
                f"regeneration of {name!r} and would be overwritten:\n{listed}\n"
                "Nothing was written. If they were edited on purpose, save your copy "
                "elsewhere; to replace them, pass force=True (command line: crmkit "
                "datasets regenerate --force, or make data FORCE=1)."
            )
    return world.save(path, force=True)


def _compare(ours: Path, fresh: Path) -> tuple[list, list, list]:
    """Files only in ``fresh``, only in ``ours``, and in both but different (relative paths)."""
    mine = {p.relative_to(ours) for p in ours.rglob("*") if p.is_file()}
    theirs = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    differ = [
        rel
        for rel in sorted(mine & theirs)
        if not filecmp.cmp(ours / rel, fresh / rel, shallow=False)
    ]
    return sorted(theirs - mine), sorted(mine - theirs), differ


def check_dataset(name: str = "default") -> list[str]:
    """Regenerate a dataset in a temporary folder and list the files that differ.

    An empty list means the committed files equal the regeneration.
    """
    path = DATASETS_DIR / _check_name(name, "check_dataset")
    if not path.is_dir():
        return [f"{path} is missing (run: crmkit datasets regenerate)"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate_dataset(name, out=Path(tmp) / name)
        missing, extra, differ = _compare(path, fresh)
    problems = [f"{rel}: missing from {path}" for rel in missing]
    problems += [f"{rel}: not produced by the generator" for rel in extra]
    problems += [f"{rel}: differs from the regeneration" for rel in differ]
    return problems


def _readme(readme) -> Path:
    return Path(readme) if readme is not None else DATASETS_DIR / "README.md"


def _dictionary_span(text: str, path: Path, func: str) -> tuple[int, int]:
    """Where the generated section starts and ends (inside the markers)."""
    start, end = text.find(DICTIONARY_START), text.find(DICTIONARY_END)
    if start < 0 or end < start or text.count(DICTIONARY_START) != 1:
        raise ValueError(
            f"{func}: {path} needs exactly one line {DICTIONARY_START!r} followed, "
            f"further down, by a line {DICTIONARY_END!r}; the data dictionary is "
            "written between them. Add the two lines and run again."
        )
    return start + len(DICTIONARY_START), end


def _render_dictionary() -> str:
    from crmkit.schema import data_dictionary

    return "\n\n" + data_dictionary().strip() + "\n\n"


def write_dictionary(readme=None) -> bool:
    """Rewrite the data dictionary in ``datasets/README.md`` from :mod:`crmkit.schema`.

    Only the text between ``<!-- dictionary:start -->`` and
    ``<!-- dictionary:end -->`` changes. Returns True if the file changed.
    """
    path = _readme(readme)
    if not path.is_file():
        raise FileNotFoundError(
            f"write_dictionary: {path} does not exist; the data dictionary lives in "
            "datasets/README.md of a source checkout (git clone the repository)."
        )
    text = path.read_text(encoding="utf-8")
    a, b = _dictionary_span(text, path, "write_dictionary")
    new = text[:a] + _render_dictionary() + text[b:]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def check_dictionary(readme=None) -> list[str]:
    """List problems of the README's data dictionary ([] if it equals ``data_dictionary()``)."""
    path = _readme(readme)
    if not path.is_file():
        return [f"{path} is missing"]
    text = path.read_text(encoding="utf-8")
    try:
        a, b = _dictionary_span(text, path, "check_dictionary")
    except ValueError as e:
        return [str(e)]
    if text[a:b] != _render_dictionary():
        return [
            f"{path}: the data dictionary differs from crmkit.schema "
            "(run: crmkit datasets dictionary --write)"
        ]
    return []
