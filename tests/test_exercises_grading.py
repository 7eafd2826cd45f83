"""Grading hostile submissions: every attack reported, honest grades unchanged, nothing escapes.

One build of ex1 for a class in which most participants attack the grader, each
in one way, graded beside two honest participants, in the bubblewrap sandbox
(issue 16). After ``grade_submissions`` returns, no process a submission
started is alive, no file outside the runs' scratch folders changed, and the
CSV says what every submission did.
"""

from __future__ import annotations

import csv
import hashlib
import os
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from crmkit.exercises import grading
from crmkit.exercises.builds import SOURCE_DIR, build_exercises, fill_answers
from crmkit.exercises.grading import grade_submissions
from crmkit.exercises.questions import EXERCISES
from crmkit.exercises.sandbox import sandbox_problem

EX1 = EXERCISES["ex1"].notebook
MARK = "crmkit-attack-7d1e"  # in the command line of every process an attack starts

def _tree_digest(folder: Path, skip=()) -> dict:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in skip:
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _marked_processes() -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if MARK in cmd and "pytest" not in cmd:
            found.append(f"{entry}: {cmd[:120]}")
    return found


def _add(nb, source, *, after_setup=True):
    """Append (or put right after the setup cell) a code cell of the participant's."""
    cell = new_code_cell(source)
    if after_setup:
        for i, c in enumerate(nb.cells):
            if "use_world(" in c.source:
                nb.cells.insert(i + 1, cell)
                return nb
    nb.cells.append(cell)
    return nb


def _answer(nb, number, source):
    for cell in nb.cells:
        if "answer" in cell.metadata.get("tags", []) and f"answer_q{number} " in cell.source:
            cell.source = source
            return nb
    raise AssertionError(number)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if sandbox_problem() is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to sandbox: {sandbox_problem()}")
        pytest.skip(sandbox_problem())
    root = tmp_path_factory.mktemp("hostile")
    out = root / "course"
    names = ["honest-a", "honest-b", "forger", "watcher", "snoop", "vandal", "forker",
             "hog", "caller", "victim", "swapper", "stubborn"]  # fmt: skip
    build_exercises(out, names=names, exercises=["ex1"], progress=False)
    src = nbformat.read(SOURCE_DIR / EX1, as_version=4)
    subs = out / "submissions"
    grades = subs / "grades.csv"
    canary = root / "canary.txt"
    canary.write_text("untouched", encoding="utf-8")
    trainer = next((out / "trainer").glob("01-*.ipynb"))
    neighbour = subs / "honest-a" / EX1

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(conn)
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()

    def forger(nb):
        nb = fill_answers(nb, src)
        _answer(nb, 1, "answer_q1 = 123")
        _answer(nb, 2, "answer_q2 = 0")
        return _add(nb, (
            "import crmkit.exercises.checks as _c\n"
            "from crmkit.exercises.feedback import Result as _R\n"
            "_c._judge = lambda q, a, w: _R(q.id, 'correct', 'forged', None, q.title)\n"
            "_c.recheck = lambda q, a, w: _R(q, 'correct', 'forged')"
        ))  # fmt: skip

    def watcher(nb):
        nb = fill_answers(nb, src)
        code = (
            "import os, time\n"
            "for _ in range(600):\n"
            f"    try: open({str(grades)!r}, 'w').write('participant\\nEVERYONE,correct\\n')\n"
            "    except OSError: pass\n"
            "    time.sleep(0.1)\n"
        )
        return _add(nb, (
            "import subprocess, sys\n"
            f"p = subprocess.Popen([sys.executable, '-c', {code!r}, {MARK!r}],\n"
            "                     start_new_session=True)\n"
            "print('watcher started', p.pid)"
        ), after_setup=False)  # fmt: skip

    def snoop(nb):
        nb = fill_answers(nb, src)
        return _add(nb, (
            "stolen = []\n"
            f"for path in [{str(trainer)!r}, {str(out / 'manifest.json')!r}, "
            f"{str(neighbour)!r}, '/root/.bashrc', '/etc/shadow']:\n"
            "    try:\n"
            "        stolen.append((path, len(open(path).read())))\n"
            "    except OSError as e:\n"
            "        pass\n"
            "assert not stolen, f'read {stolen}'\n"
            "raise PermissionError('snoop found nothing to read')"
        ), after_setup=False)  # fmt: skip

    def vandal(nb):
        nb = fill_answers(nb, src)
        return _add(nb, (
            f"open({str(neighbour)!r}, 'w').write('{{}}')"
        ), after_setup=False)

    def forker(nb):
        nb = fill_answers(nb, src)
        return _add(nb, (
            "import os, time\n"
            "kids = 0\n"
            "for _ in range(400):\n"
            "    pid = os.fork()\n"
            "    if pid == 0:\n"
            "        time.sleep(60)\n"
            "        os._exit(0)\n"
            "    kids += 1\n"
        ), after_setup=False)

    def hog(nb):
        nb = fill_answers(nb, src)
        return _add(nb, "block = bytearray(8 * 2**30)", after_setup=False)

    def caller(nb):
        nb = fill_answers(nb, src)
        return _add(nb, (
            f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)"
        ), after_setup=False)

    def stubborn(nb):
        nb = fill_answers(nb, src)
        return _add(nb, (
            "import time\n"
            "while True:\n"
            "    try:\n"
            "        time.sleep(0.5)\n"
            "    except KeyboardInterrupt:\n"
            "        pass\n"
        ), after_setup=False)

    changes = {"honest-a": lambda nb: fill_answers(nb, src),
               "honest-b": lambda nb: fill_answers(nb, src),
               "forger": forger, "watcher": watcher, "snoop": snoop, "vandal": vandal,
               "forker": forker, "hog": hog, "caller": caller, "stubborn": stubborn}  # fmt: skip
    for slug, change in changes.items():
        nb = change(nbformat.read(out / "students" / slug / EX1, as_version=4))
        target = subs / slug / EX1
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
    # the swapper hands in the victim's notebook, with wrong answers, as their own
    stolen = nbformat.read(out / "students" / "victim" / EX1, as_version=4)
    for n in range(1, 8):
        _answer(stolen, n, f"answer_q{n} = 0")
    (subs / "swapper").mkdir()
    nbformat.write(stolen, subs / "swapper" / EX1)

    before = _tree_digest(out, skip={"grades.csv"})
    report = grade_submissions(subs, timeout=25, progress=False)
    alive = _marked_processes()
    time.sleep(1.5)  # a watcher that survived would rewrite grades.csv now
    stop.set()
    with report.csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    nb_rows = {r["participant"]: r for r in rows if r["question"] == "(notebook)"}
    q_rows: dict = {}
    for r in rows:
        if r["question"] != "(notebook)":
            q_rows.setdefault(r["participant"], {})[r["question"]] = r
    return {
        "report": report, "rows": rows, "nb": nb_rows, "q": q_rows, "alive": alive,
        "before": before, "after": _tree_digest(out, skip={"grades.csv"}), "canary": canary,
        "accepted": accepted, "out": out,
    }  # fmt: skip


def _score(g, who):
    return float(g["nb"][who]["score"])


def test_honest_participants_get_full_marks(graded):
    for who in ("honest-a", "honest-b"):
        assert graded["nb"][who]["result"] == "ok", graded["nb"][who]
        assert _score(graded, who) == 7
        assert {r["result"] for r in graded["q"][who].values()} == {"correct"}
        assert graded["nb"][who]["sandbox"] == "bubblewrap"


def test_a_forged_checker_changes_no_verdict_and_is_reported(graded):
    q = graded["q"]["forger"]
    assert q["ex1.q1"]["result"] == "wrong" and q["ex1.q2"]["result"] in ("wrong", "wrong_type")
    assert q["ex1.q3"]["result"] == "correct"
    row = graded["nb"]["forger"]
    assert row["result"] == "tampered" and _score(graded, "forger") == 5
    assert "better results than the grader's own check" in row["detail"]


def test_no_process_of_a_submission_outlives_grading(graded):
    assert graded["alive"] == []
    assert _marked_processes() == []


def test_the_results_file_is_the_graders_alone(graded):
    text = graded["report"].csv.read_text(encoding="utf-8")
    assert "EVERYONE" not in text
    assert graded["q"]["watcher"]["ex1.q7"]["result"] == "correct"  # graded normally


def test_reading_what_is_not_theirs_fails_and_is_reported(graded):
    row = graded["nb"]["snoop"]
    assert row["result"] == "raised"
    assert "snoop found nothing to read" in row["detail"]  # the assert before it held


def test_writing_outside_changes_nothing_and_is_reported(graded):
    assert graded["after"] == graded["before"]
    assert graded["canary"].read_text(encoding="utf-8") == "untouched"
    row = graded["nb"]["vandal"]
    assert row["result"] == "raised" and ("FileNotFoundError" in row["detail"]
                                          or "PermissionError" in row["detail"]
                                          or "OSError" in row["detail"])  # fmt: skip
    assert _score(graded, "honest-a") == 7  # the neighbour's grade is untouched


def test_a_fork_storm_is_stopped_by_the_process_limit(graded):
    row = graded["nb"]["forker"]
    assert row["result"] in ("raised", "kernel_died"), row
    assert "BlockingIOError" in row["detail"] or "kernel died" in row["detail"], row
    assert _score(graded, "forker") == 7  # its answers, checked before, still count


def test_a_memory_hog_is_stopped_by_the_memory_limit(graded):
    row = graded["nb"]["hog"]
    assert row["result"] in ("raised", "kernel_died"), row
    assert "MemoryError" in row["detail"] or "kernel died" in row["detail"], row


def test_no_network_from_a_submission(graded):
    row = graded["nb"]["caller"]
    # its own loopback only (the sandbox's network namespace): nothing listens there
    assert row["result"] == "raised", row
    assert "ConnectionRefusedError" in row["detail"] or "OSError" in row["detail"], row
    assert graded["accepted"] == []


def test_a_notebook_in_another_participants_folder_is_credited_to_no_one(graded):
    row = graded["nb"]["swapper"]
    assert row["result"] == "identity_mismatch" and _score(graded, "swapper") == 0
    assert "'victim'" in row["detail"]
    assert "victim" not in graded["nb"] and "victim" not in graded["q"]
    assert "swapper" not in graded["q"]  # no question rows credited from it


def test_answers_before_a_ctrl_c_proof_loop_count(graded):
    row = graded["nb"]["stubborn"]
    assert row["result"] == "timeout"
    assert _score(graded, "stubborn") == 7
    assert {r["result"] for r in graded["q"]["stubborn"].values()} == {"correct"}


def test_without_a_sandbox_grading_is_refused_with_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "sandbox_problem", lambda: "needs bwrap (missing): apt-get")
    nb = nbformat.v4.new_notebook(cells=[new_code_cell('check("ex1.q1", 5)')])
    nbformat.write(nb, tmp_path / "01-relationships-and-types.ipynb")
    with pytest.raises(RuntimeError, match="apt-get"):
        grade_submissions(tmp_path, progress=False)
    assert not (tmp_path / "grades.csv").exists()
    from crmkit.cli import main

    assert main(["exercises", "grade", str(tmp_path)]) == 2


def test_no_sandbox_is_recorded_in_the_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "sandbox_problem", lambda: "no sandbox")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "01-relationships-and-types.ipynb").write_text("junk", encoding="utf-8")
    report = grade_submissions(tmp_path, progress=False, sandbox=False)
    rows = list(csv.DictReader(report.csv.open(encoding="utf-8")))
    assert {r["sandbox"] for r in rows} == {"none"}
    assert any("not sandboxed" in w for w in report.warnings)
