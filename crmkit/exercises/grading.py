"""Grade submitted exercise notebooks: ``crmkit exercises grade DIR``.

Every submitted notebook is executed again in a fresh kernel (nbclient), two at
a time by default, with a time limit per notebook; the kernel is killed when
the limit is reached. After the participant's own cells, the grader runs one
cell of its own that re-checks every recorded answer against a fresh world
built from the seed the build gave that participant (``manifest.json``), and
prints the results behind a random marker. A CSV gets one row per question and
one summary row per notebook (question ``(notebook)``):

``participant, notebook, question, result, score, detail``

Question results are the feedback kinds of :func:`crmkit.exercises.check`
(``correct``, ``close``, ``wrong``, ``wrong_type``, ``not_answered``,
``error``) or one of

``check_deleted``  the notebook no longer holds the question's check cell;
``seed_changed``   SEED (or LOCALE, N_CUSTOMERS) differs from the build's, in
                   the notebook or in the world its checks used;
``not_checked``    the check cell never ran (an error or a timeout before it);
``timeout``        the notebook ran out of time before the check ran.

Notebook results: ``ok``, ``raised`` (a cell raised an error; the other
questions are still graded), ``timeout``, ``tampered`` (deleted check cells or
changed seed), ``kernel_died``, ``failed`` (the grader could not run it),
``unreadable`` (not a notebook), ``unknown`` (not one of the exercise
notebooks). Scores: 1 for correct, 0.5 for close, 0 otherwise; the notebook
row holds the notebook's total.

Grading is robust to mistakes and to the common kinds of tampering; it is not
a sandbox. The participant's code runs with the grader's permissions, so grade
in an account (or container) that holds nothing else of value.
"""

from __future__ import annotations

import ast
import csv
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from crmkit._csvsafe import neutralise_row
from crmkit.exercises.checks import SCORES
from crmkit.exercises.questions import EXERCISES

__all__ = ["grade_submissions", "GradeReport", "kernel_report", "inspect_submission"]

COLUMNS = ("participant", "notebook", "question", "result", "score", "detail")
NOTEBOOK_ROW = "(notebook)"
_CHECK_CALL = re.compile(r"""check\(\s*["'](ex\d+\.q\d+)["']""")
_GRADER_CELL_ID = "crmkit-grader"


# --------------------------------------------------------------------------- in the kernel
def kernel_report(exercise: str, *, seed=None, locale=None, n_customers=None) -> dict:
    """Re-check every recorded answer against the participant's true world (run in the kernel).

    With ``seed=None`` the world registered by the notebook is used (its seed
    cannot then be verified).
    """
    from crmkit.exercises import checks

    state = checks._STATE
    info = dict(state.world_info) if state.world is not None else None
    if seed is None:
        reference = state.world
    else:
        from crmkit.lessons import lesson_world

        reference = lesson_world(seed=seed, locale=locale or "en_US", n_customers=n_customers)
    out = {}
    ids = EXERCISES[exercise].question_ids if exercise in EXERCISES else tuple(state.results)
    for qid in ids:
        if qid not in state.results:
            continue
        learner = state.results[qid]
        if reference is None:
            result = learner
        else:
            result = checks._recheck(qid, state.answers.get(qid), reference)
        out[qid] = {
            "status": result.status,
            "learner_status": learner.status,
            "message": result.message,
        }
    return {"world": info, "questions": out}


# --------------------------------------------------------------------------- static checks
def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def inspect_submission(nb) -> dict:
    """What can be read without running the notebook.

    Returns
    -------
    dict
        ``exercise`` (from the metadata, the file's check calls...), ``meta`` (the
        build's metadata), ``check_cells`` (question ids whose check call is
        present) and ``params`` (the last literal value assigned to SEED, LOCALE
        and N_CUSTOMERS; ``"<code>"`` when computed).
    """
    meta = dict(nb.get("metadata", {}).get("crmkit", {}) or {})
    checks_found, params = set(), {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = _source(cell)
        checks_found.update(_CHECK_CALL.findall(src))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            targets, value = [], None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                targets, value = [node.target], node.value
            for t in targets:
                if isinstance(t, ast.Name) and t.id in ("SEED", "LOCALE", "N_CUSTOMERS"):
                    try:
                        v = ast.literal_eval(value) if not isinstance(node, ast.AugAssign) else None
                    except (ValueError, SyntaxError, TypeError):
                        v = None
                    params[t.id] = v if v is not None or _is_none(value) else "<code>"
    exercise = meta.get("exercise")
    if exercise not in EXERCISES:
        prefixes = {q.split(".", 1)[0] for q in checks_found}
        exercise = prefixes.pop() if len(prefixes) == 1 else None
    return {"exercise": exercise, "meta": meta, "check_cells": checks_found, "params": params}


def _is_none(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# --------------------------------------------------------------------------- execution
def _execute(nb_json: str, report_source: str, marker: str, timeout: float) -> dict:
    """Run one notebook in a fresh kernel (in a worker process); never raises."""
    import subprocess
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbclient.util import ensure_async, run_sync

    t0 = time.monotonic()
    out = {"status": "ok", "errors": [], "report": None, "detail": "", "executed": None}
    try:
        nb = nbformat.reads(nb_json, as_version=4)
        report_cell = nbformat.v4.new_code_cell(report_source)
        report_cell.id = _GRADER_CELL_ID
        nb.cells.append(report_cell)
        deadline = t0 + timeout

        def remaining(cell=None):
            return max(1, int(deadline - time.monotonic() + 0.999))

        with tempfile.TemporaryDirectory(prefix="crmkit-grade-") as workdir:
            client = NotebookClient(
                nb,
                timeout_func=remaining,
                allow_errors=True,
                kernel_name="python3",
                shutdown_kernel="immediate",
                startup_timeout=min(60, max(10, int(timeout))),
                resources={"metadata": {"path": workdir}},
            )
            with client.setup_kernel(stderr=subprocess.DEVNULL):
                for index, cell in enumerate(nb.cells[:-1]):
                    if cell.cell_type != "code":
                        continue
                    if time.monotonic() >= deadline:
                        out["status"] = "timeout"
                        out["detail"] = f"out of time before cell {index + 1}"
                        break
                    try:
                        client.execute_cell(cell, index)
                    except CellTimeoutError:
                        out["status"] = "timeout"
                        out["detail"] = (
                            f"cell {index + 1} was still running after the notebook's {timeout:g} s"
                        )
                        break
                    except DeadKernelError:
                        out["status"] = "kernel_died"
                        out["detail"] = f"the kernel died in cell {index + 1}"
                        break
                    for o in cell.get("outputs", []):
                        if o.get("output_type") == "error":
                            out["errors"].append(
                                (index + 1, o.get("ename", ""), str(o.get("evalue", ""))[:200])
                            )
                if out["status"] != "kernel_died":
                    client.timeout_func = None
                    client.timeout = 60
                    if out["status"] == "timeout":
                        try:  # stop the runaway cell, then ask for the results so far
                            run_sync(ensure_async)(client.km.interrupt_kernel())
                            time.sleep(0.5)
                        except Exception:  # noqa: BLE001
                            pass
                        client.timeout = 15
                    try:
                        client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
                        out["report"] = _read_report(nb.cells[-1], marker)
                    except Exception as e:  # noqa: BLE001
                        out["detail"] += f"; the grader's report did not run ({type(e).__name__})"
        nb.cells.pop()
        out["executed"] = nbformat.writes(nb)
    except Exception as e:  # noqa: BLE001 - report, never raise
        if out["status"] == "ok":
            out["status"] = "failed"
        out["detail"] = (out["detail"] + "; " if out["detail"] else "") + (
            f"{type(e).__name__}: {str(e)[:200]}"
        )
    out["seconds"] = round(time.monotonic() - t0, 2)
    return out


def _read_report(cell, marker: str):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            for line in o.get("text", "").splitlines():
                if line.startswith(marker):
                    return json.loads(line[len(marker) :])
    return None


def _report_source(exercise, marker, seed, locale, n_customers) -> str:
    return (
        "import json as _crmkit_json\n"
        "from crmkit.exercises.grading import kernel_report as _crmkit_report\n"
        f"print({marker!r} + _crmkit_json.dumps(_crmkit_report({exercise!r}, seed={seed!r}, "
        f"locale={locale!r}, n_customers={n_customers!r})))"
    )


# --------------------------------------------------------------------------- grading
@dataclass
class GradeReport:
    """The rows written to the CSV, and a summary per notebook."""

    csv: Path | None
    rows: list = field(default_factory=list)
    notebooks: list = field(default_factory=list)  # the (notebook) rows
    seconds: float = 0.0
    warnings: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Graded {len(self.notebooks)} notebook(s) in {self.seconds:.1f} s."]
        lines += [f"  warning: {w}" for w in self.warnings]
        for r in self.notebooks:
            detail = f" ({r['detail']})" if r["detail"] else ""
            lines.append(
                f"  {r['participant']:<24} {r['notebook']:<44} {r['result']:<12} "
                f"{r['score']:>4g}{detail}"
            )
        if self.csv:
            lines.append(f"Results: {self.csv}")
        return "\n".join(lines)


def _find_manifest(src: Path, manifest):
    if manifest is not None:
        path = Path(manifest)
        if not path.is_file():
            raise FileNotFoundError(f"grade_submissions: manifest {str(path)!r} not found.")
        return json.loads(path.read_text(encoding="utf-8")), path
    for folder in (src, *list(src.parents)[:2]):
        path = folder / "manifest.json"
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8")), path
            except ValueError:
                continue
    return None, None


def _expected_entry(manifest, info, path: Path, src: Path):
    """The build's record of this notebook: seed, locale, size, participant."""
    if not manifest:
        return None
    files = manifest.get("files", {})
    meta, ex = info["meta"], info["exercise"]
    if meta.get("participant") is not None:
        for entry in files.values():
            if (
                entry.get("edition") == "student"
                and entry.get("participant") == meta.get("participant")
                and entry.get("exercise") == ex
            ):
                return entry
    # No (or changed) metadata: match the participant's folder and the file name.
    parts = path.resolve().parts
    for key, entry in files.items():
        k = Path(key).parts
        if entry.get("edition") == "student" and tuple(parts[-2:]) == tuple(k[-2:]):
            return entry
    return None


def grade_submissions(
    src,
    *,
    out=None,
    manifest=None,
    timeout: float = 120,
    workers: int = 2,
    executed=None,
    progress: bool = True,
) -> GradeReport:
    """Execute every submitted notebook under ``src`` and write a CSV of results.

    Parameters
    ----------
    src : str or Path
        A folder of submitted notebooks (searched recursively), e.g. the
        ``students/`` folder of a build into which participants' files were
        copied back, or one notebook.
    out : str or Path, optional
        The CSV to write; default ``grades.csv`` beside the notebooks.
    manifest : str or Path, optional
        The build's ``manifest.json``; by default it is looked for in ``src``
        and the two folders above it. Without it, seeds cannot be verified.
    timeout : float, default=120
        Seconds a notebook may run in all (the kernel is then killed).
    workers : int, default=2
        Notebooks executed at the same time.
    executed : str or Path, optional
        A folder to save the executed notebooks in (for a look at the outputs).
    progress : bool, default=True
        Show a progress bar.

    Returns
    -------
    GradeReport
        Never stops on a bad submission: every problem becomes a row.
    """
    import nbformat
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    src = Path(src)
    if not src.exists():
        raise FileNotFoundError(f"grade_submissions: {str(src)!r} does not exist.")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(
            f"grade_submissions: `timeout` must be a positive number; got {timeout!r}."
        )
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"grade_submissions: `workers` must be an int >= 1; got {workers!r}.")
    if src.is_file():
        paths, base = [src], src.parent
    else:
        base = src
        paths = sorted(
            p
            for p in src.rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")
        )
    man, man_path = _find_manifest(base, manifest)
    report = GradeReport(csv=None)
    if man is None:
        report.warnings.append(
            "no manifest.json found: seeds are taken from the notebooks and cannot be verified"
        )
    if not paths:
        report.warnings.append(f"no notebooks found in {src}")

    jobs = []  # (path, participant, exercise, expected, info, nb_json)
    skipped_trainer = 0
    for path in paths:
        rel = path.relative_to(base).as_posix() if path != base else path.name
        owner = path.parent.name if path.parent != base else path.stem
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:  # noqa: BLE001
            detail = f"not a notebook: {type(e).__name__}: {str(e)[:100]}"
            report.notebooks.append(_nb_row(owner, rel, "unreadable", 0, detail))
            continue
        info = inspect_submission(nb)
        if info["meta"].get("edition") == "trainer":
            skipped_trainer += 1  # the trainer's own edition is not a submission
            continue
        participant = info["meta"].get("participant") or owner
        if info["exercise"] is None:
            report.notebooks.append(
                _nb_row(participant, rel, "unknown", 0, "not one of the exercise notebooks")
            )
            continue
        expected = _expected_entry(man, info, path, base)
        if expected is not None:
            participant = expected.get("participant", participant)
        jobs.append((rel, participant, info["exercise"], expected, info, nbformat.writes(nb)))

    if skipped_trainer:
        report.warnings.append(f"skipped {skipped_trainer} trainer-edition notebook(s)")
    results = _run_all(jobs, timeout=timeout, workers=workers, progress=progress, tqdm=tqdm)
    for (rel, participant, ex, expected, info, _), res in zip(jobs, results, strict=True):
        rows, nb_row = _rows(rel, participant, ex, expected, info, res, have_manifest=man)
        report.rows += rows
        report.notebooks.append(nb_row)
        if executed is not None and res.get("executed"):
            target = Path(executed) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(res["executed"], encoding="utf-8")

    out = Path(out) if out is not None else base / "grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    order = {nb["notebook"]: i for i, nb in enumerate(report.notebooks)}
    all_rows = sorted(
        report.rows + report.notebooks,
        key=lambda r: (
            r["participant"],
            order.get(r["notebook"], 0),
            r["question"] == NOTEBOOK_ROW,
        ),
    )
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(neutralise_row(r) for r in all_rows)
    report.csv = out
    report.seconds = time.perf_counter() - t0
    return report


class _QuietCancelledTasks(logging.Filter):
    """Drop asyncio's notes about nbclient's output pollers cancelled by a timeout."""

    def filter(self, record):
        msg = record.getMessage()
        return not (
            msg.startswith("Task exception was never retrieved")
            or msg.startswith("Task was destroyed but it is pending")
        ) or "nbclient" not in (msg + str(record.exc_info))


def _run_all(jobs, *, timeout, workers, progress, tqdm):
    asyncio_log = logging.getLogger("asyncio")
    if not any(isinstance(f, _QuietCancelledTasks) for f in asyncio_log.filters):
        asyncio_log.addFilter(_QuietCancelledTasks())
    from concurrent.futures import ThreadPoolExecutor, as_completed

    results = [None] * len(jobs)
    if not jobs:
        return results
    markers = [f"@@crmkit-grade-{secrets.token_hex(8)}@@" for _ in jobs]
    sources = []
    for (_, _, ex, expected, info, _), marker in zip(jobs, markers, strict=True):
        e = expected or {}
        meta = info["meta"]
        seed = e.get("seed", meta.get("seed"))
        locale = e.get("locale", meta.get("locale"))
        n = e.get("n_customers", meta.get("n_customers"))
        sources.append(_report_source(ex, marker, seed, locale, n))
    bar = tqdm(total=len(jobs), desc="grading", unit="nb", disable=not progress)
    # Threads are enough: the work happens in the kernels, which are processes of their own.
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = {
            pool.submit(_execute, job[5], source, marker, timeout): i
            for i, (job, source, marker) in enumerate(zip(jobs, sources, markers, strict=True))
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as e:  # noqa: BLE001 - a broken worker must not stop the others
                results[i] = {
                    "status": "failed",
                    "errors": [],
                    "report": None,
                    "detail": f"{type(e).__name__}: {str(e)[:200]}",
                    "seconds": 0.0,
                }
            bar.update(1)
    bar.close()
    return results


def _nb_row(participant, notebook, result, score, detail):
    return {
        "participant": participant,
        "notebook": notebook,
        "question": NOTEBOOK_ROW,
        "result": result,
        "score": score,
        "detail": detail,
    }


def _rows(rel, participant, ex, expected, info, res, *, have_manifest):
    meta, params = info["meta"], info["params"]
    want = {
        "SEED": (expected or meta).get("seed"),
        "LOCALE": (expected or meta).get("locale"),
        "N_CUSTOMERS": (expected or meta).get("n_customers"),
    }
    tamper = []
    for name, value in want.items():
        if value is not None and name in params and params[name] != value:
            tamper.append(f"{name} is {params[name]!r} in the notebook, the build set {value!r}")
    if expected is not None and meta.get("seed") not in (None, expected.get("seed")):
        tamper.append(
            f"its metadata says seed {meta.get('seed')}, the build set {expected['seed']}"
        )
    report = res.get("report") or {}
    world = report.get("world")
    if world and want["SEED"] is not None:
        used = {
            "SEED": world.get("seed"),
            "LOCALE": world.get("locale"),
            "N_CUSTOMERS": world.get("n_customers"),
        }
        for name, value in want.items():
            if value is not None and used[name] is not None and used[name] != value:
                tamper.append(f"its checks used a world with {name} = {used[name]!r}")
    seed_changed = bool(tamper)
    deleted = [q for q in EXERCISES[ex].question_ids if q not in info["check_cells"]]
    answers = report.get("questions", {})
    rows, total = [], 0.0
    for qid in EXERCISES[ex].question_ids:
        detail = ""
        if qid in deleted:
            result = "check_deleted"
            detail = "the check cell was deleted or changed"
        elif seed_changed:
            result = "seed_changed"
            detail = "answers were computed on another world"
        elif qid in answers:
            result = answers[qid]["status"]
            detail = answers[qid].get("message", "")
        elif res["status"] == "timeout":
            result = "timeout"
        else:
            result = "not_checked"
            detail = "the check cell did not run"
            if res["errors"]:
                cell, ename, _ = res["errors"][0]
                detail += f" ({ename} in cell {cell})"
        score = SCORES.get(result, 0.0)
        total += score
        rows.append(
            {
                "participant": participant,
                "notebook": rel,
                "question": qid,
                "result": result,
                "score": score,
                "detail": detail,
            }
        )
    notes = []
    status = res["status"]
    if status == "ok" and res["errors"]:
        status = "raised"
        cell, ename, evalue = res["errors"][0]
        more = f" and {len(res['errors']) - 1} more" if len(res["errors"]) > 1 else ""
        notes.append(f"{ename} in cell {cell}: {evalue}{more}")
    if status in ("ok", "raised") and (deleted or seed_changed):
        status = "tampered"
    if deleted:
        notes.append(f"check cells missing: {', '.join(q.split('.')[1] for q in deleted)}")
    notes += tamper
    if res.get("detail"):
        notes.append(res["detail"])
    if not answers and res.get("report") is None and status in ("ok", "raised", "tampered"):
        notes.append("the grader's report did not come back")
    if expected is None and have_manifest:
        notes.append("not in the manifest: seed taken from the notebook")
    n = len(EXERCISES[ex].question_ids)
    notes.insert(0, f"{total:g} of {n}; seed {want['SEED']}; {res.get('seconds', 0):.1f} s")
    return rows, _nb_row(participant, rel, status, total, "; ".join(notes))
