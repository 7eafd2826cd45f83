"""The default datasets: committed under ``datasets/``, regenerated when absent.

``load_dataset()`` reads ``datasets/default`` from a source checkout; from a
plain ``pip install`` (no ``datasets/`` folder) it builds the same world with
:func:`crmkit.make_world` and the recipe below, so lessons run either way. A
test keeps the committed files byte-for-byte equal to the regeneration.
"""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

from crmkit.world import World, load_world

__all__ = ["DATASETS", "load_dataset", "dataset_path", "regenerate_dataset", "check_dataset"]

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
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"


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

    path = dataset_path(name)
    if (path / "customers.csv").exists():
        return load_world(path)
    return make_world(**DATASETS[name])


def regenerate_dataset(name: str = "default", *, out=None, force: bool = False) -> Path:
    """Write a named dataset from its recipe (to ``datasets/<name>`` unless ``out``)."""
    from crmkit.synth import make_world

    path = Path(out) if out is not None else dataset_path(name)
    world = make_world(**DATASETS[_check_name(name, "regenerate_dataset")])
    return world.save(path, force=force)


def check_dataset(name: str = "default") -> list[str]:
    """Regenerate a dataset in a temporary folder and list the files that differ.

    An empty list means the committed files equal the regeneration.
    """
    path = dataset_path(name)
    if not path.is_dir():
        return [f"{path} is missing (run: crmkit datasets regenerate)"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate_dataset(name, out=Path(tmp) / name)
        ours = {p.relative_to(path) for p in path.rglob("*") if p.is_file()}
        theirs = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        problems = [f"{rel}: missing from {path}" for rel in sorted(theirs - ours)]
        problems += [f"{rel}: not produced by the generator" for rel in sorted(ours - theirs)]
        problems += [
            f"{rel}: differs from the regeneration"
            for rel in sorted(ours & theirs)
            if not filecmp.cmp(path / rel, fresh / rel, shallow=False)
        ]
    return problems
