"""Build the playbook: ``crmkit build``.

1. :func:`execute_notebooks`: every notebook in ``notebooks/`` runs top to
   bottom in a fresh kernel (nbclient, two at a time) and is written, with its
   outputs and its widgets' state, to ``build/notebooks/``. A notebook whose
   content, crmkit's code and the default dataset have not changed since its
   last successful run is not executed again (the cache key is a hash of all
   three).
2. :func:`crmkit.site.render_site`: the static site in ``site/`` (lessons in
   two editions, glossary, data dictionary, downloads), pages cached the same way.

:func:`build_all` does both and returns a report; :func:`format_report` says it
in a few lines.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import threading
import time
from pathlib import Path

from crmkit.paths import ROOT, package_dir, project_dir

__all__ = [
    "execute_notebooks", "build_all", "format_report", "code_hash", "source_hash", "ROOT",
]

#: Parts of crmkit that do not change what a notebook computes (the site, the
#: command line, this module): editing them does not execute notebooks again.
_NOT_IN_KEY = ("site", "build.py", "cli.py", "__main__.py")


def code_hash() -> hashlib._Hash:
    """A running SHA-256 of crmkit's code (but the site and command line) and ``datasets/``.

    The part of a notebook's cache key that every notebook shares; see
    :func:`source_hash`.
    """
    h = hashlib.sha256()
    pkg = package_dir()
    for src in sorted(pkg.rglob("*.py")):
        rel = src.relative_to(pkg)
        if rel.parts[0] in _NOT_IN_KEY:
            continue
        h.update(str(rel).encode())
        h.update(src.read_bytes())
    data = ROOT / "datasets"
    if data.is_dir():
        for f in sorted(p for p in data.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(data)).encode())
            h.update(f.read_bytes())
    return h


def data_fingerprint(folder) -> str:
    """What identifies a data folder's content cheaply: each file's name, size and time.

    Part of a notebook's cache key when the lessons run on a data folder
    (``crmkit build --data``): a changed file runs the lessons again.
    """
    from crmkit.world import CACHE_DIR

    folder = Path(folder)
    h = hashlib.sha256(str(folder.resolve()).encode())
    files = (p for p in folder.rglob("*") if p.is_file())
    for f in sorted(p for p in files if CACHE_DIR not in p.relative_to(folder).parts):
        st = f.stat()
        h.update(f"{f.relative_to(folder)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def kernel_memory(data_dir) -> int:
    """Bytes one lesson's kernel may need on the data folder ``data_dir`` (an estimate).

    Measured on a 10-million-line export (``benchmarks/bench_own_data.py``): a
    kernel peaked at 1.5 GiB on a ``transactions.csv`` of 120 MB; half a GiB of
    libraries and figures, and about eight times the CSV's size for the tables
    and what the lessons compute from them.
    """
    csv = sum(f.stat().st_size for f in Path(data_dir).glob("*.csv"))
    return 2**29 + 8 * csv


def _kernels_that_fit(parameters) -> int:
    """How many kernels on ``parameters["DATA_DIR"]`` fit in the memory available now."""
    data_dir = (parameters or {}).get("DATA_DIR")
    if not data_dir or not Path(data_dir).is_dir():
        return 2
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            info = dict(line.split(":", 1) for line in f)
        available = int(info["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return 2
    return max(1, available // kernel_memory(data_dir))


def source_hash(nb_path: Path, code=None) -> str:
    """The cache key of one notebook: :func:`code_hash` (or ``code``) and the notebook's bytes.

    A notebook is executed again when its key differs from the one stored with
    its last successful run.
    """
    h = (code or code_hash()).copy()
    h.update(nb_path.read_bytes())
    return h.hexdigest()


def _run(coro_factory):
    """Run a coroutine to completion, also from inside a running loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro_factory())
    box = {}

    def target():
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as e:  # pragma: no cover - re-raised below
            box["error"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    # nbclient's CellExecutionError ends with the error name and message
    return (lines[-1] if lines else type(exc).__name__)[:300]


#: IPython extension loaded in every kernel of a build (:mod:`crmkit.tables`).
PEOPLE_TABLES = "crmkit.tables"


def execute_notebooks(
    src=None,
    out=None,
    *,
    timeout: int = 300,
    force: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    errors: str = "raise",
    parameters: dict | None = None,
) -> dict[str, dict]:
    """Run every ``NN-*.ipynb`` of ``src`` and write the executed copies to ``out``.

    Widget state is stored in each executed notebook (nbclient's
    ``store_widget_state``, on by default), so the site can show the widgets.

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
    jobs : int, optional
        Notebooks executed at the same time (default: 2, or 1 on one core, or
        as many kernels as fit in the memory available for a large data
        folder: see :func:`kernel_memory`).
    errors : {"raise", "report"}, default="raise"
        On a failing notebook: raise its error once all are done, or only
        report it (``"error"`` in its entry). A failed notebook is not written
        and not cached.
    parameters : dict, optional
        Values for the notebooks' ``parameters`` cell (e.g. ``{"DATA_DIR":
        "our_data"}``), injected by papermill's ``parameterize_notebook`` as in
        ``papermill -p``; part of the cache key (with the data folder's
        :func:`data_fingerprint` for a ``DATA_DIR``).

    Returns
    -------
    dict
        Per notebook name: ``{"seconds": float, "cached": bool}`` (and
        ``"error": str`` for a failure with ``errors="report"``).
    """
    import nbformat
    from nbclient import NotebookClient
    from tqdm.auto import tqdm

    if errors not in ("raise", "report"):
        raise ValueError(
            f"execute_notebooks: `errors` must be 'raise' or 'report'; got {errors!r}."
        )
    src = Path(src) if src is not None else project_dir(
        "notebooks", what="crmkit build", option="--notebooks DIR"
    )
    out = Path(out) if out is not None else ROOT / "build" / "notebooks"
    if not src.is_dir():
        raise FileNotFoundError(f"execute_notebooks: `src` folder {str(src)!r} does not exist.")
    out.mkdir(parents=True, exist_ok=True)
    if jobs is None:
        jobs = max(1, min(2, os.cpu_count() or 1, _kernels_that_fit(parameters)))
    else:
        jobs = max(1, int(jobs))
    cache_file = out / ".cache.json"
    try:
        cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    except ValueError:
        cache = {}
    paths = sorted(p for p in src.glob("[0-9][0-9]-*.ipynb"))
    code = code_hash()
    if parameters:
        code.update(json.dumps(parameters, sort_keys=True, default=str).encode())
        if parameters.get("DATA_DIR"):
            code.update(data_fingerprint(parameters["DATA_DIR"]).encode())
    keys = {p.name: source_hash(p, code) for p in paths}
    report: dict[str, dict] = {}
    todo = []
    for path in paths:
        if not force and cache.get(path.name) == keys[path.name] and (out / path.name).exists():
            report[path.name] = {"seconds": 0.0, "cached": True}
        else:
            todo.append(path)
    failures: dict[str, BaseException] = {}
    bar = tqdm(total=len(paths), desc="executing notebooks", unit="nb", disable=not progress)
    bar.update(len(paths) - len(todo))
    running: set[str] = set()

    async def one(path: Path, sem: asyncio.Semaphore):
        async with sem:
            running.add(path.name)
            bar.set_postfix_str(", ".join(sorted(running)))
            nb = nbformat.read(path, as_version=4)
            if parameters:  # as `papermill -p`: papermill's loader, then its injection
                from papermill.iorw import load_notebook_node
                from papermill.parameterize import parameterize_notebook

                nb = parameterize_notebook(load_notebook_node(str(path)), dict(parameters))
            log = open(out / f".{path.stem}.kernel.log", "wb")  # noqa: SIM115
            t0 = time.perf_counter()
            try:
                client = NotebookClient(
                    nb,
                    timeout=timeout,
                    kernel_name="python3",
                    store_widget_state=True,
                    resources={"metadata": {"path": str(src)}},
                    # DataFrames also carry their table for people (the playbook's)
                    extra_arguments=[f"--InteractiveShellApp.extensions={PEOPLE_TABLES}"],
                )
                await client.async_execute(stderr=log)
            except BaseException as e:  # noqa: BLE001 - reported per notebook
                failures[path.name] = e
                report[path.name] = {
                    "seconds": round(time.perf_counter() - t0, 2),
                    "cached": False,
                    "error": _error_text(e),
                }
            else:
                report[path.name] = {
                    "seconds": round(time.perf_counter() - t0, 2),
                    "cached": False,
                }
                target = out / path.name
                tmp = target.with_suffix(".tmp")
                nbformat.write(nb, tmp)
                tmp.replace(target)
                cache[path.name] = keys[path.name]
                cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True))
            finally:
                log.close()
                running.discard(path.name)
                bar.set_postfix_str(", ".join(sorted(running)))
                bar.update(1)

    async def main():
        sem = asyncio.Semaphore(jobs)
        await asyncio.gather(*(one(p, sem) for p in todo))

    try:
        if todo:
            _run(main)
    finally:
        bar.close()
    report = {p.name: report[p.name] for p in paths}
    if failures and errors == "raise":
        raise next(iter(failures.values()))
    return report


def build_all(
    *,
    force: bool = False,
    timeout: int = 300,
    progress: bool = True,
    out=None,
    src=None,
    build_dir=None,
    jobs: int | None = None,
    data=None,
    pdf: bool = False,
) -> dict:
    """Execute the notebooks (cached) and render the site: what ``crmkit build`` does.

    Parameters
    ----------
    force : bool, default=False
        Execute every notebook and render every page again.
    timeout : int, default=300
        Seconds a notebook cell may run.
    progress : bool, default=True
        Progress bars on stderr.
    out : path, default=site/
        Where the site goes.
    src : path, default=notebooks/
    build_dir : path, default=build/notebooks/
        Where the executed notebooks go.
    jobs : int, optional
        Notebooks executed at the same time (default 2).
    data : path, optional
        A data folder (yours: see ``crmkit import``; or one from ``crmkit
        generate``): every lesson runs on it (``DATA_DIR``), into its own
        ``out`` (required, and neither the default ``site/`` nor inside
        ``datasets/``), with the executed notebooks in ``out/.build/``. Every
        page says which data it shows.
    pdf : bool, default=False
        Also print PDF handouts (``crmkit build --pdf``; see :mod:`crmkit.site.pdf`).

    Returns
    -------
    dict
        ``notebooks`` (per notebook: ``seconds``, ``cached``, maybe ``error``),
        ``failed`` (names), ``execute_seconds``, ``pages_written``,
        ``pages_unchanged``, ``render_seconds``, ``warnings``, ``seconds``,
        ``site`` and ``index`` (paths).
    """
    from crmkit.site import render_site
    from crmkit.world import load_world

    t0 = time.perf_counter()
    src = Path(src) if src is not None else project_dir(
        "notebooks", what="crmkit build", option="--notebooks DIR"
    )
    parameters, label = None, None
    if data is not None:
        data = Path(data).resolve()
        if out is None:
            raise ValueError(
                "build_all: with `data` pass `out` too (--out DIR), a folder for this data's "
                "site; the default site/ stays the kit's own."
            )
        out = Path(out).resolve()
        for forbidden in (ROOT / "site", ROOT / "datasets"):
            if out == forbidden.resolve() or forbidden.resolve() in out.parents:
                raise ValueError(
                    f"build_all: `out` {str(out)!r} is the kit's {forbidden.name}/; "
                    "choose another folder for your data's site (e.g. --out our-playbook)."
                )
        label = load_world(data).describe()  # checks the folder: every problem at once
        parameters = {"DATA_DIR": str(data)}
        if build_dir is None:
            build_dir = out / ".build" / "notebooks"
    build_dir = Path(build_dir) if build_dir is not None else ROOT / "build" / "notebooks"
    nbs = execute_notebooks(
        src, build_dir, timeout=timeout, force=force, progress=progress, jobs=jobs,
        errors="report", parameters=parameters,
    )
    execute_seconds = round(time.perf_counter() - t0, 2)
    ok = [name for name, r in nbs.items() if "error" not in r]
    site = render_site(build_dir, out, notebooks=src, names=ok, force=force, progress=progress,
                       data_label=label, pdf=pdf)  # fmt: skip
    return {
        "notebooks": nbs,
        "failed": [name for name, r in nbs.items() if "error" in r],
        "execute_seconds": execute_seconds,
        "pages_written": site["pages_written"],
        "pages_unchanged": site["pages_unchanged"],
        "render_seconds": site["seconds"],
        "warnings": site["warnings"],
        "lessons": site["lessons"],
        "seconds": round(time.perf_counter() - t0, 2),
        "site": site["site"],
        "index": site["index"],
    }


def format_report(report: dict) -> str:
    """A short summary of :func:`build_all`'s report, ending with the site's index path."""
    nbs = report.get("notebooks", {})
    ran = [n for n, r in nbs.items() if not r.get("cached") and "error" not in r]
    cached = [n for n, r in nbs.items() if r.get("cached")]
    lines = []
    for name, r in nbs.items():
        if "error" in r:
            took = f"FAILED after {r['seconds']:.1f} s: {r['error']}"
        elif r.get("cached"):
            took = "cached"
        else:
            took = f"{r['seconds']:.1f} s"
        lines.append(f"  {name}: {took}")
    lines.append(
        f"Executed {len(ran)} notebook(s), {len(cached)} cached"
        + (f", {len(report['failed'])} FAILED" if report.get("failed") else "")
        + f" ({report.get('execute_seconds', 0):.1f} s)."
    )
    written = report.get("pages_written", [])
    same = report.get("pages_unchanged", [])
    lines.append(
        f"Rendered {len(written)} page(s), {len(same)} unchanged "
        f"({report.get('render_seconds', 0):.1f} s); total {report.get('seconds', 0):.1f} s."
    )
    for w in report.get("warnings", []):
        lines.append(f"  warning: {w}")
    if report.get("failed"):
        lines.append(
            "Failed notebooks are left off the site; run them in JupyterLab to see the error."
        )
    lines.append(f"Open the site: {report.get('index', '')}")
    return "\n".join(lines)
