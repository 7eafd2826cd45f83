"""Grade submitted exercise notebooks: ``crmkit exercises grade DIR``.

Every submitted notebook is executed again in a fresh kernel (nbclient), two at
a time by default, with a time limit per notebook, each inside a sandbox of
its own (:mod:`crmkit.exercises.sandbox`: bubblewrap, no network, nothing of
the file system but the Python environment and a scratch folder holding a
private copy of that one notebook, limits on memory, processes, CPU, files and
output; every process of the run is killed when it ends).

The verdicts are the grader's, never the notebook's. While the notebook runs,
each ``check(...)`` call hands the answers so far to the grader as plain data
(:mod:`crmkit.exercises.answers`: JSON, types and sizes checked, nothing
executed). Once every sandboxed process has ended, the grader rebuilds each
participant's world from the seed in the build's ``manifest.json`` and judges
every answer itself; what the notebook did to crmkit, the checker or its own
globals cannot change a verdict (a notebook that *showed* better results than
the grader's own check is reported as ``tampered``). Answers checked before a
timeout count.

Whose notebook it is comes from where the build put it (its folder, looked up
in the manifest), not from what the notebook says; a notebook whose metadata
names another participant, exercise or seed is ``identity_mismatch`` and
credited to no one.

The CSV (written atomically, after every run has ended, with spreadsheet
formulas defused) gets one row per question and one summary row per notebook
(question ``(notebook)``):

``participant, notebook, question, result, score, detail, sandbox``

Question results are the feedback kinds of :func:`crmkit.exercises.check`
(``correct``, ``close``, ``wrong``, ``wrong_type``, ``not_answered``,
``error``) or one of

``check_deleted``  the notebook no longer holds the question's check cell;
``seed_changed``   SEED (or LOCALE, N_CUSTOMERS) differs from the build's, in
                   the notebook or in the world its checks used;
``not_checked``    the check cell never ran (an error or a timeout before it);
``timeout``        the notebook ran out of time before the check ran.

Notebook results: ``ok``, ``raised`` (a cell raised an error; the other
questions are still graded), ``timeout``, ``tampered`` (deleted check cells,
changed seed, or verdicts the grader's check does not confirm),
``identity_mismatch``, ``kernel_died``, ``failed`` (the grader could not run
it), ``unreadable`` (not a notebook), ``unknown`` (not one of the exercise
notebooks). Scores: 1 for correct, 0.5 for close, 0 otherwise; the notebook
row holds the notebook's total. The ``sandbox`` column says ``bubblewrap``, or
``none`` when the trainer chose ``--no-sandbox``.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from crmkit._csvsafe import neutralise_row
from crmkit.exercises.answers import ENV as ANSWERS_ENV
from crmkit.exercises.answers import read_answers
from crmkit.exercises.checks import SCORES, recheck
from crmkit.exercises.questions import EXERCISES
from crmkit.exercises.sandbox import Limits, sandbox_problem

__all__ = ["grade_submissions", "GradeReport", "inspect_submission", "Limits"]

COLUMNS = ("participant", "notebook", "question", "result", "score", "detail", "sandbox")
NOTEBOOK_ROW = "(notebook)"
_CHECK_CALL = re.compile(r"""check\(\s*["'](ex\d+\.q\d+)["']""")


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
_ANSWERS = ".crmkit-answers.json"


def _capped_client(nb, km, *, budget, **kwargs):
    """An nbclient ``NotebookClient`` that keeps at most ``budget`` bytes of output.

    Its ``over`` attribute says whether output was dropped.
    """
    from nbclient import NotebookClient

    class Client(NotebookClient):
        used = 0
        over = False

        def output(self, outs, msg, display_id, cell_index):
            self.used += len(json.dumps(msg.get("content", {}), default=str))
            if self.used > budget:
                self.over = True
                return None  # dropped: the grader keeps only what it needs
            return super().output(outs, msg, display_id, cell_index)

    return Client(nb, km=km, **kwargs)


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def _kill(pid):
    if pid is None:
        return
    for how in (os.killpg, os.kill):
        try:
            how(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass


def _execute(nb_json: str, timeout: float, *, sandboxed: bool, limits) -> dict:
    """Run one notebook in a fresh kernel (sandboxed unless told not); never raises.

    Returns the run's status, the errors its cells raised, and the answers it
    handed in as data (read from its scratch folder after every process of the
    run has ended).
    """
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from crmkit.exercises import sandbox as sb

    t0 = time.monotonic()
    out = {"status": "ok", "errors": [], "detail": "", "executed": None, "answers": {},
           "statuses": {}, "world": {}, "problems": [], "limits": []}  # fmt: skip
    pid = guard = None
    try:
        nb = nbformat.reads(nb_json, as_version=4)
        deadline = t0 + timeout

        def remaining(cell=None):
            return max(1, int(deadline - time.monotonic() + 0.999))

        # the sandbox's user is given back only after its temporary folder is gone
        with (
            contextlib.ExitStack() as stack,
            tempfile.TemporaryDirectory(prefix="crmkit-grade-") as tmp,
        ):
            tmp = Path(tmp)
            tmp.chmod(0o700)
            scratch, ipc = tmp / "scratch", tmp / "ipc"
            scratch.mkdir()
            ipc.mkdir()
            (scratch / "submission.ipynb").write_text(nb_json, encoding="utf-8")
            _seed_matplotlib_cache(scratch / ".matplotlib")
            env = None
            if sandboxed:
                uid = stack.enter_context(sb.sandbox_user())
                sb.prepare_scratch(scratch, ipc, uid)
                km = sb.SandboxedKernelManager(
                    kernel_name="python3",
                    transport="ipc",
                    ip=str(ipc / "kernel"),
                    connection_file=str(ipc / "kernel.json"),
                )
                km.uid = uid
                km.prefix = sb.sandbox_prefix(
                    scratch, ipc, limits, sb.kernel_env(f"{sb.HOME}/{_ANSWERS}"), uid
                )
                cwd = str(tmp)
            else:
                km = AsyncKernelManager(kernel_name="python3")
                env = {**os.environ, ANSWERS_ENV: str(scratch / _ANSWERS), "MPLBACKEND": "Agg"}
                cwd = str(scratch)
            client = _capped_client(
                nb,
                km,
                budget=limits.output,
                timeout_func=remaining,
                allow_errors=True,
                kernel_name="python3",
                shutdown_kernel="immediate",
                startup_timeout=min(60, max(20, int(timeout))),
                resources={"metadata": {"path": cwd}},
            )
            try:
                start = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
                if env is not None:
                    start["env"] = env
                with client.setup_kernel(**start):
                    process = getattr(km.provisioner, "process", None)
                    pid = getattr(process, "pid", None)
                    # a last resort: whatever nbclient waits for, the sandbox ends then
                    guard = threading.Timer(timeout + 30, _kill, args=(pid,))
                    guard.daemon = True
                    guard.start()
                    for index, cell in enumerate(nb.cells):
                        if cell.cell_type != "code":
                            continue
                        if time.monotonic() >= deadline:
                            out["status"] = "timeout"
                            out["detail"] = f"out of time before cell {index + 1}"
                            break
                        if _folder_size(scratch) > limits.scratch:
                            out["limits"].append(
                                f"wrote more than {limits.scratch // 2**20} MiB in its folder"
                            )
                            break
                        try:
                            client.execute_cell(cell, index)
                        except CellTimeoutError:
                            out["status"] = "timeout"
                            out["detail"] = (
                                f"cell {index + 1} was still running after the notebook's "
                                f"{timeout:g} s"
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
                    if client.over:
                        out["limits"].append(
                            f"printed more than {limits.output // 2**20} MiB (the rest was dropped)"
                        )
                    _kill(pid)  # the whole sandbox, whatever is still running in it
            finally:
                if guard is not None:
                    guard.cancel()
                _kill(pid)
            out["answers"], out["statuses"], out["world"], out["problems"] = read_answers(
                scratch / _ANSWERS
            )
        out["executed"] = nbformat.writes(nb)
    except Exception as e:  # noqa: BLE001 - report, never raise
        if out["status"] == "ok":
            out["status"] = "failed"
        out["detail"] = (out["detail"] + "; " if out["detail"] else "") + (
            f"{type(e).__name__}: {str(e)[:200]}"
        )
    out["seconds"] = round(time.monotonic() - t0, 2)
    return out


def _seed_matplotlib_cache(folder: Path) -> None:
    """Copy matplotlib's font list into the kernel's config folder (saves a rebuild)."""
    try:
        import matplotlib

        folder.mkdir(parents=True, exist_ok=True)
        for f in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(f, folder / f.name)
    except Exception:  # noqa: BLE001 - only a speed-up
        pass


def _verdicts(ex: str, res: dict, world) -> dict:
    """The grader's own verdict on every answer handed in (in the grader's process)."""
    questions = {}
    for qid in EXERCISES[ex].question_ids:
        if qid not in res["answers"]:
            continue
        result = recheck(qid, res["answers"][qid], world)
        questions[qid] = {
            "status": result.status,
            "message": result.message,
            "learner_status": res["statuses"].get(qid),
        }
    return {"world": res["world"], "questions": questions}


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


def _expected_entry(manifest, man_path, path: Path):
    """The build's record of the notebook at ``path``: found from where it sits.

    The build put each student notebook at ``students/<participant>/<file>``;
    that place (relative to the manifest's folder, or its last two parts when
    the submissions were collected elsewhere) says whose it is. What the
    notebook's metadata claims is only compared with it (see :func:`_identity`).
    """
    if not manifest:
        return None
    files = manifest.get("files", {})
    if man_path is not None:
        try:
            key = path.resolve().relative_to(Path(man_path).resolve().parent).as_posix()
        except ValueError:
            key = None
        entry = files.get(key) if key else None
        if entry is not None and entry.get("edition") == "student":
            return entry
    parts = path.resolve().parts
    for key, entry in files.items():
        k = Path(key).parts
        if entry.get("edition") == "student" and tuple(parts[-2:]) == tuple(k[-2:]):
            return entry
    return None


def _identity(expected, meta) -> str | None:
    """Why the notebook is not the one the build put where it sits, or None."""
    if expected is None:
        return None
    claims = []
    for key in ("participant", "exercise", "seed"):
        if meta.get(key) is not None and meta.get(key) != expected.get(key):
            claims.append(f"its metadata says {key} {meta.get(key)!r}")
    if not claims:
        return None
    return (
        f"{'; '.join(claims)}, but the build put {expected.get('participant')!r}'s "
        f"{expected.get('exercise')} here: not credited to anyone"
    )


@dataclass
class _Job:
    rel: str
    participant: str
    exercise: str
    expected: dict | None
    info: dict
    nb_json: str


def grade_submissions(
    src,
    *,
    out=None,
    manifest=None,
    timeout: float = 120,
    workers: int = 2,
    executed=None,
    progress: bool = True,
    sandbox: bool = True,
    limits: Limits | None = None,
) -> GradeReport:
    """Execute every submitted notebook under ``src``, each in a sandbox, and write a CSV.

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
        Seconds a notebook may run in all (the sandbox is then killed; the
        answers checked before count).
    workers : int, default=2
        Notebooks executed at the same time.
    executed : str or Path, optional
        A folder to save the executed notebooks in (for a look at the outputs).
    progress : bool, default=True
        Show a progress bar.
    sandbox : bool, default=True
        Run each notebook in a bubblewrap sandbox (:mod:`crmkit.exercises.sandbox`).
        When none can be had here, grading is refused with how to get one;
        ``sandbox=False`` (``--no-sandbox``) runs the notebooks with your own
        permissions, and the CSV's ``sandbox`` column says ``none``.
    limits : Limits, optional
        Memory, processes, CPU, file and output limits of each run.

    Returns
    -------
    GradeReport
        Never stops on a bad submission: every problem becomes a row.

    Raises
    ------
    RuntimeError
        When ``sandbox=True`` and no sandbox can run on this machine.
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
    limits = Limits(cpu_seconds=int(timeout) + 30) if limits is None else limits
    if not isinstance(limits, Limits):
        raise TypeError(
            f"grade_submissions: `limits` must be a crmkit.exercises.sandbox.Limits; got "
            f"{type(limits).__name__}."
        )
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
    mode = "bubblewrap" if sandbox else "none"
    if man is None:
        report.warnings.append(
            "no manifest.json found: seeds are taken from the notebooks and cannot be verified"
        )
    if not sandbox:
        report.warnings.append(
            "not sandboxed (--no-sandbox): the notebooks ran with your permissions"
        )
    if not paths:
        report.warnings.append(f"no notebooks found in {src}")

    jobs = []
    skipped_trainer = 0
    for path in paths:
        rel = path.relative_to(base).as_posix() if path != base else path.name
        owner = path.parent.name if path.parent != base else path.stem
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:  # noqa: BLE001
            detail = f"not a notebook: {type(e).__name__}: {str(e)[:100]}"
            report.notebooks.append(_nb_row(owner, rel, "unreadable", 0, detail, mode))
            continue
        info = inspect_submission(nb)
        expected = _expected_entry(man, man_path, path)
        if info["meta"].get("edition") == "trainer" and expected is None:
            skipped_trainer += 1  # the trainer's own edition is not a submission
            continue
        if expected is not None:
            participant = expected.get("participant", owner)
            mismatch = _identity(expected, info["meta"])
            if mismatch:
                report.notebooks.append(
                    _nb_row(participant, rel, "identity_mismatch", 0, mismatch, mode)
                )
                continue
            info["exercise"] = expected.get("exercise", info["exercise"])
        else:
            participant = info["meta"].get("participant") or owner
        if info["exercise"] not in EXERCISES:
            report.notebooks.append(
                _nb_row(participant, rel, "unknown", 0, "not one of the exercise notebooks", mode)
            )
            continue
        jobs.append(_Job(rel, participant, info["exercise"], expected, info, nbformat.writes(nb)))

    if skipped_trainer:
        report.warnings.append(f"skipped {skipped_trainer} trainer-edition notebook(s)")
    if sandbox and jobs:
        problem = sandbox_problem()
        if problem:  # refused before anything runs or is written
            raise RuntimeError(f"grade_submissions: {problem}")
    results = _run_all(
        jobs, timeout=timeout, workers=workers, progress=progress, tqdm=tqdm,
        sandboxed=sandbox, limits=limits,
    )  # fmt: skip
    # Every run has ended (its sandbox killed): judge the answers here, in the grader.
    worlds: dict = {}
    for job, res in zip(jobs, results, strict=True):
        want = _wanted(job.expected, job.info["meta"])
        key = (want["SEED"], want["LOCALE"], want["N_CUSTOMERS"])
        data = (job.expected or job.info["meta"] or {}).get("data")
        if data is not None:  # built on a data folder (--data): the answers are its
            key = ("data", data, None)
        if key[0] is not None and key not in worlds:
            from crmkit.lessons import lesson_world

            worlds[key] = lesson_world(
                data, random_state=key[0], locale=key[1] or "en_US", n_customers=key[2]
            )
        verdicts = _verdicts(job.exercise, res, worlds.get(key)) if key[0] is not None else None
        rows, nb_row = _rows(job, res, verdicts, have_manifest=man, mode=mode)
        report.rows += rows
        report.notebooks.append(nb_row)
        if executed is not None and res.get("executed"):
            target = Path(executed) / job.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(res["executed"], encoding="utf-8")

    out = Path(out) if out is not None else base / "grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    order = {nb["notebook"]: i for i, nb in enumerate(report.notebooks)}
    all_rows = sorted(
        report.rows + report.notebooks,
        key=lambda r: (
            str(r["participant"]),
            order.get(r["notebook"], 0),
            r["question"] == NOTEBOOK_ROW,
        ),
    )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            w.writerows(neutralise_row(r) for r in all_rows)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out)  # the results file appears whole, or not at all
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
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


def _run_all(jobs, *, timeout, workers, progress, tqdm, sandboxed, limits):
    asyncio_log = logging.getLogger("asyncio")
    if not any(isinstance(f, _QuietCancelledTasks) for f in asyncio_log.filters):
        asyncio_log.addFilter(_QuietCancelledTasks())
    from concurrent.futures import ThreadPoolExecutor, as_completed

    results = [None] * len(jobs)
    if not jobs:
        return results
    bar = tqdm(total=len(jobs), desc="grading", unit="nb", disable=not progress)
    # Threads are enough: the work happens in the kernels, which are processes of their own.
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = {
            pool.submit(_execute, job.nb_json, timeout, sandboxed=sandboxed, limits=limits): i
            for i, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as e:  # noqa: BLE001 - a broken worker must not stop the others
                results[i] = {
                    "status": "failed",
                    "errors": [],
                    "answers": {},
                    "statuses": {},
                    "world": {},
                    "problems": [],
                    "limits": [],
                    "detail": f"{type(e).__name__}: {str(e)[:200]}",
                    "seconds": 0.0,
                }
            bar.update(1)
    bar.close()
    return results


def _nb_row(participant, notebook, result, score, detail, mode):
    return {
        "participant": participant,
        "notebook": notebook,
        "question": NOTEBOOK_ROW,
        "result": result,
        "score": score,
        "detail": detail,
        "sandbox": mode,
    }


def _wanted(expected, meta) -> dict:
    """The SEED, LOCALE and N_CUSTOMERS the build gave the notebook."""
    src = expected or meta
    return {
        "SEED": src.get("seed"),
        "LOCALE": src.get("locale"),
        "N_CUSTOMERS": src.get("n_customers"),
    }


def _rows(job, res, verdicts, *, have_manifest, mode):
    rel, participant, ex, expected, info = (
        job.rel, job.participant, job.exercise, job.expected, job.info
    )  # fmt: skip
    meta, params = info["meta"], info["params"]
    want = _wanted(expected, meta)
    tamper = []
    for name, value in want.items():
        if value is not None and name in params and params[name] != value:
            tamper.append(f"{name} is {params[name]!r} in the notebook, the build set {value!r}")
    world = (verdicts or {}).get("world") or res.get("world") or {}
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
    left_out = set((expected or meta or {}).get("left_out", ()))  # not in the build's data
    deleted = [q for q in EXERCISES[ex].question_ids
               if q not in info["check_cells"] and q not in left_out]  # fmt: skip
    answers = (verdicts or {}).get("questions", {})
    rows, total, claimed = [], 0.0, []
    for qid in EXERCISES[ex].question_ids:
        if qid in left_out:
            continue
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
            shown = answers[qid].get("learner_status")
            if shown and SCORES.get(shown, 0) > SCORES.get(result, 0):
                claimed.append(f"{qid.split('.')[1]} ({shown} in the notebook)")
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
                "sandbox": mode,
            }
        )
    notes = []
    status = res["status"]
    if status == "ok" and res["errors"]:
        status = "raised"
        cell, ename, evalue = res["errors"][0]
        more = f" and {len(res['errors']) - 1} more" if len(res["errors"]) > 1 else ""
        notes.append(f"{ename} in cell {cell}: {evalue}{more}")
    if status in ("ok", "raised") and (deleted or seed_changed or claimed):
        status = "tampered"
    if deleted:
        notes.append(f"check cells missing: {', '.join(q.split('.')[1] for q in deleted)}")
    notes += tamper
    if claimed:
        notes.append(
            "the notebook showed better results than the grader's own check: "
            + ", ".join(claimed)
        )
    notes += res.get("limits", [])
    notes += res.get("problems", [])
    if res.get("detail"):
        notes.append(res["detail"])
    if expected is None and have_manifest:
        notes.append("not in the manifest: seed taken from the notebook")
    n = len(EXERCISES[ex].question_ids) - len(left_out)
    notes.insert(0, f"{total:g} of {n}; seed {want['SEED']}; {res.get('seconds', 0):.1f} s")
    return rows, _nb_row(participant, rel, status, total, "; ".join(notes), mode)
