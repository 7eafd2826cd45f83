"""Execute the lessons: ``crmkit build``.

Every notebook in ``notebooks/`` runs top to bottom in a fresh kernel
(nbclient) and is written, with its outputs, to ``build/notebooks/``. A
notebook whose content (and crmkit's own source) has not changed since its last
successful run is not executed again: the cache key is a hash of both.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

__all__ = ["execute_notebooks", "ROOT"]

ROOT = Path(__file__).resolve().parent.parent


def _source_hash(nb_path: Path) -> str:
    h = hashlib.sha256(nb_path.read_bytes())
    for src in sorted((ROOT / "crmkit").rglob("*.py")):
        h.update(src.read_bytes())
    return h.hexdigest()


def execute_notebooks(
    src=None, out=None, *, timeout: int = 300, force: bool = False, progress: bool = True
) -> dict[str, dict]:
    """Run every ``NN-*.ipynb`` of ``src`` and write the executed copies to ``out``.

    Parameters
    ----------
    src : path, default=notebooks/
    out : path, default=build/notebooks/
    timeout : int, default=300
        Seconds a cell may run.
    force : bool, default=False
        Execute even notebooks whose cached result is current.
    progress : bool, default=True
        Show a progress bar.

    Returns
    -------
    dict
        Per notebook name: ``{"seconds": float, "cached": bool}``.
    """
    import nbformat
    from nbclient import NotebookClient
    from tqdm.auto import tqdm

    src = Path(src) if src is not None else ROOT / "notebooks"
    out = Path(out) if out is not None else ROOT / "build" / "notebooks"
    if not src.is_dir():
        raise FileNotFoundError(f"execute_notebooks: `src` folder {str(src)!r} does not exist.")
    out.mkdir(parents=True, exist_ok=True)
    cache_file = out / ".cache.json"
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    paths = sorted(p for p in src.glob("[0-9][0-9]-*.ipynb"))
    report = {}
    bar = tqdm(paths, desc="executing notebooks", unit="nb", disable=not progress)
    for path in bar:
        bar.set_postfix_str(path.name)
        key = _source_hash(path)
        target = out / path.name
        if not force and cache.get(path.name) == key and target.exists():
            report[path.name] = {"seconds": 0.0, "cached": True}
            continue
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(src)}}
        ).execute()
        report[path.name] = {"seconds": round(time.perf_counter() - t0, 2), "cached": False}
        tmp = target.with_suffix(".tmp")
        nbformat.write(nb, tmp)
        tmp.replace(target)
        cache[path.name] = key
        cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return report
