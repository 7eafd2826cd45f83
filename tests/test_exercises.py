"""crmkit.exercises: the questions, check() and its feedback, progress(), rosters, builds.

Executing notebooks and grading are in tests/test_exercises_builds.py.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmkit import concepts
from crmkit.exercises import EXERCISES, QUESTIONS, check, progress, use_world
from crmkit.exercises import checks as checks_module
from crmkit.exercises.builds import (
    SOURCE_DIR,
    answered_questions,
    build_exercises,
    participant_seed,
    read_roster,
)
from crmkit.exercises.checks import STATUSES, Mistake, Question, Result, reset
from crmkit.lessons import lesson_world

NUMERIC_KINDS = {"number", "count", "ids", "series"}


@pytest.fixture(scope="module")
def world():
    return lesson_world(seed=11, n_customers=400)


@pytest.fixture(scope="module")
def other_world():
    return lesson_world(seed=12, n_customers=400, locale="pl_PL")


@pytest.fixture(autouse=True)
def fresh_state():
    reset()
    yield
    reset()


# --------------------------------------------------------------------------- the registry
def test_every_section_has_a_numeric_and_a_conceptual_question():
    for section in "ABCDE":
        kinds = {q.kind for q in QUESTIONS.values() if q.section == section}
        assert kinds & NUMERIC_KINDS, f"section {section} has no numeric question"
        assert "choice" in kinds, f"section {section} has no conceptual question"


def test_question_ids_sets_and_notebooks_agree():
    assert list(EXERCISES) == ["ex1", "ex2", "ex3", "ex4", "ex5"]
    for ex_id, ex in EXERCISES.items():
        assert 5 <= len(ex.questions) <= 8
        for n, (qid, q) in enumerate(ex.questions.items(), start=1):
            assert qid == q.id == f"{ex_id}.q{n}"
            assert q.kind in {"number", "count", "choice", "ids", "series"}
            assert q.hint and q.title and q.what
            if q.kind == "choice":
                assert q.choices, qid
        assert (SOURCE_DIR / ex.notebook).is_file()
    assert sorted(p.name for p in SOURCE_DIR.glob("*.ipynb")) == sorted(
        ex.notebook for ex in EXERCISES.values()
    )


def _tags(cell):
    return cell.metadata.get("tags", [])


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_source_notebook_follows_the_pattern(ex_id):
    ex = EXERCISES[ex_id]
    nb = nbformat.read(SOURCE_DIR / ex.notebook, as_version=4)
    nbformat.validate(nb)
    cells = nb.cells
    first = cells[0].source
    assert cells[0].cell_type == "markdown" and first.startswith("# Exercises")
    for needle in (
        "**Who it is for:**",
        "**You will practise**",
        "**Time needed:**",
        "**Sources:**",
    ):
        assert needle in first
    assert cells[1].source.startswith("# Parameters") and _tags(cells[1]) == ["parameters"]
    for name in ("SEED =", "PARTICIPANT =", "LOCALE =", "N_CUSTOMERS ="):
        assert name in cells[1].source
    assert "lesson_world(seed=SEED" in cells[2].source
    assert f'use_world(world, exercise="{ex_id}"' in cells[2].source
    assert cells[-1].source == "progress()"
    ids = [c.id for c in cells]
    assert len(set(ids)) == len(ids) and all(i.startswith(f"{ex_id}-") for i in ids)
    assert all(not c.get("outputs") for c in cells if c.cell_type == "code")
    assert sum("trainer" in _tags(c) for c in cells) >= len(ex.questions) + 1
    for n in range(1, len(ex.questions) + 1):
        answer = [c for c in cells if "answer" in _tags(c) and f"answer_q{n} " in c.source]
        solution = [c for c in cells if "solution" in _tags(c) and f"answer_q{n} =" in c.source]
        check_cell = [c for c in cells if c.source == f'check("{ex_id}.q{n}", answer_q{n})']
        assert [c.source for c in answer] == [f"answer_q{n} = None  # your answer"]
        assert len(solution) == 1 and solution[0].source.startswith("# solution")
        assert len(check_cell) == 1 and "check" in _tags(check_cell[0])
        i = cells.index(answer[0])
        assert cells[i - 1].cell_type == "markdown" and f"Question {n} " in cells[i - 1].source
        assert cells[i + 1] is solution[0] and cells[i + 2] is check_cell[0]


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_trainer_notes_name_widgets_that_exist(ex_id):
    import importlib
    import re

    nb = nbformat.read(SOURCE_DIR / EXERCISES[ex_id].notebook, as_version=4)
    notes = "\n".join(c.source for c in nb.cells if "trainer" in _tags(c))
    named = re.findall(r"crmkit\.widgets\.(\w+)\.(\w+)\(", notes)
    assert named, "the notes should say how the lesson's widget is used in the room"
    for module, name in named:
        assert hasattr(importlib.import_module(f"crmkit.widgets.{module}"), name), (module, name)
    for lesson in re.findall(r"notebooks/(\d\d-[a-z0-9-]+\.ipynb)", notes):
        from crmkit.lessons import LESSONS

        assert lesson in {lesson.filename for lesson in LESSONS}, lesson


def _run_solutions(path, seed, locale):
    """Execute a source notebook's code in-process on another seed; return its check results."""
    nb = nbformat.read(path, as_version=4)
    ns, results = {}, []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = cell.source
        if "parameters" in _tags(cell):
            src += f"\nSEED = {seed}\nLOCALE = {locale!r}\nN_CUSTOMERS = 300"
        if "check" in _tags(cell):
            results.append(eval(src, ns))  # noqa: S307 - our own notebook
        else:
            exec(compile(src, str(path), "exec"), ns)  # noqa: S102
    return results


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_solutions_pass_on_other_seeds_and_locales(ex_id):
    path = SOURCE_DIR / EXERCISES[ex_id].notebook
    for seed, locale in ((5, "fi_FI"), (77, "fa_IR")):
        results = _run_solutions(path, seed, locale)
        assert len(results) == len(EXERCISES[ex_id].questions)
        assert [r.status for r in results] == ["correct"] * len(results), [
            str(r) for r in results if r.status != "correct"
        ]


def test_expected_answers_differ_between_participants(world, other_world):
    differ = total = 0
    for q in QUESTIONS.values():
        if q.kind == "choice":
            continue
        a, b = q.expected(world), q.expected(other_world)
        total += 1
        if isinstance(a, pd.Series):
            differ += not a.round(6).equals(b.round(6))
        else:
            differ += a != b
        if q.kind == "number":
            assert a != b, q.id
    assert differ >= total - 1


# --------------------------------------------------------------------------- check(): kinds
def test_not_answered_yet(world):
    use_world(world, exercise="ex1")
    for qid in QUESTIONS:
        r = check(qid, None)
        assert r.status == "not_answered"
        assert "not answered yet" in str(r)


def test_correct_number_count_choice_ids_series(world):
    use_world(world, exercise="ex1")
    for qid, q in QUESTIONS.items():
        expected = q.expected(world)
        answer = sorted(expected)[0] if isinstance(expected, frozenset) else expected
        if q.kind == "ids":
            answer = sorted(expected)
        r = check(qid, answer)
        assert r.status == "correct", str(r)
        assert r.score == 1.0


def test_short_question_ids_use_the_registered_exercise(world):
    use_world(world, exercise="ex2")
    assert check("q2", "commitment").status == "correct"
    assert check("q2", "COMMITMENT").status == "correct"
    assert check("q2", "Sitoutuminen").status == "correct"  # the Finnish glossary term
    assert check("q2", concepts.by_key(concepts.LIFECYCLE_STAGES, "commitment")).status == (
        "correct"
    )


def test_choice_accepts_names_and_any_case(world):
    use_world(world)
    assert check("ex1.q2", "Transactional").status == "correct"
    assert check("ex1.q2", "  transactional ").status == "correct"
    assert check("ex3.q1", "Relationship-based schemes").status == "correct"
    assert check("ex5.q3", "every touchpoint").status == "correct"


def test_close_recognises_common_mistakes(world):
    use_world(world, exercise="ex1")
    share = QUESTIONS["ex1.q4"].expected(world)
    percent = check("ex1.q4", share * 100)
    assert percent.status == "close" and "fraction" in percent.hint
    complement = check("ex1.q4", 1 - share)
    assert complement.status == "close" and "other origins" in complement.hint
    near = check("ex1.q4", share + 0.003)  # outside the tolerance, inside 5x of it
    assert near.status == "close"
    churn = check("ex2.q1", 1 - QUESTIONS["ex2.q1"].expected(world))
    assert churn.status == "close" and "retention" in churn.hint
    personal = int((world.customers["relationship_type"] == "personal_assistance").sum())
    assert check("ex1.q1", personal).status == "close"
    kiosk = check("ex1.q2", "self-service")
    assert kiosk.status == "close" and "relationship" in kiosk.hint
    nps = QUESTIONS["ex2.q5"].expected(world)
    assert "points" in check("ex2.q5", nps / 100).hint


def test_wrong_gives_a_hint_and_never_the_answer(world):
    use_world(world)
    for qid, q in QUESTIONS.items():
        expected = q.expected(world)
        if q.kind == "number":
            r = check(qid, expected * 3 + 17)
            shown = {f"{expected:.4g}", f"{expected:.3f}", f"{expected:.2f}", repr(expected)}
        elif q.kind == "count":
            r = check(qid, expected * 3 + 17)
            shown = {f"{expected:,}", str(expected)}
            shown = {s for s in shown if s not in str(expected * 3 + 17)}
        elif q.kind == "choice":
            keys = [c if isinstance(c, str) else c.key for c in q.choices]
            good = expected if isinstance(expected, frozenset) else {expected}
            wrong = [k for k in keys if k not in good and k not in q.choice_hints]
            if not wrong:
                continue
            r = check(qid, wrong[0])
            shown = set(good) if len(good) < len(keys) - 1 else set()
            if all(k in q.hint for k in keys):  # a hint that lists every choice reveals nothing
                shown = set()
        else:
            continue
        assert r.status == "wrong", str(r)
        assert r.hint, qid
        text = (r.message + " " + r.hint).casefold()
        for s in shown:
            assert s.casefold() not in text, (qid, s, str(r))


def test_close_choice_hints_never_name_the_answer(world):
    for qid, q in QUESTIONS.items():
        if q.kind != "choice" or not q.choice_hints:
            continue
        expected = q.expected(world)
        for hint in q.choice_hints.values():
            names = [expected] if isinstance(expected, str) else list(expected)
            for key in names:
                assert key not in hint, (qid, key)
                item = next((c for c in q.choices if getattr(c, "key", c) == key), None)
                if item is not None and not isinstance(item, str):
                    assert item.name.casefold() not in hint.casefold(), (qid, item.name)


@pytest.mark.parametrize(
    ("qid", "answer", "needle"),
    [
        ("ex1.q4", pd.DataFrame({"a": [1, 2]}), "DataFrame"),
        ("ex1.q4", "0.47", "text"),
        ("ex1.q4", "47%", "text"),
        ("ex1.q4", float("nan"), "NaN"),
        ("ex1.q4", float("inf"), "infinity"),
        ("ex1.q4", (x for x in [0.4]), "generator"),
        ("ex1.q4", True, "truth value"),
        ("ex1.q4", pd.Series([0.4]), ".item()"),
        ("ex1.q4", [0.1, 0.2], "list"),
        ("ex1.q1", 17.5, "whole number"),
        ("ex1.q2", 3, "relationship types"),
        ("ex1.q2", ["transactional"], "list"),
        ("ex1.q2", "kiosk", "transactional"),
        ("ex2.q3", pd.DataFrame({"customer_id": [1]}), "customer_id"),
        ("ex2.q3", (i for i in [1, 2]), "list(...)"),
        ("ex2.q3", "12, 57", "list"),
        ("ex2.q3", [True, False], "mask"),
        ("ex2.q3", ["Anna"], "whole numbers"),
        ("ex1.q3", pd.Series({"nobody": 1.0}), "missing"),
        ("ex1.q3", pd.DataFrame({"a": [1.0]}), "column"),
        ("ex1.q3", 12, "Series"),
    ],
)
def test_wrong_type_or_shape_says_what_was_expected(world, qid, answer, needle):
    use_world(world)
    r = check(qid, answer)
    assert r.status == "wrong_type", str(r)
    assert needle.casefold() in str(r).casefold(), str(r)


def test_errors_become_feedback(world):
    r = check("ex1.q1", 17)
    assert r.status == "error" and "setup cell" in r.message
    use_world(world)
    assert check("ex9.q1", 1).status == "error"
    assert "no question" in check("ex1.q99", 1).message
    assert check(42, 1).status == "error"
    assert check("ex1.q1", 1, world="not a world").status == "error"


def test_an_internal_error_says_tell_your_trainer(world, monkeypatch):
    def broken(w):
        raise KeyError("surveys")

    q = QUESTIONS["ex1.q4"]
    monkeypatch.setitem(QUESTIONS, "ex1.q4", Question(**{**q.__dict__, "expected": broken}))
    use_world(world)
    r = check("ex1.q4", 0.5)
    assert r.status == "error"
    assert "tell your trainer" in r.message


class _Nasty:
    """An answer whose every operation raises."""

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __hash__(self):
        raise RuntimeError("hash")

    def __float__(self):
        raise RuntimeError("float")

    def __repr__(self):
        raise RuntimeError("repr")

    def __iter__(self):
        raise RuntimeError("iter")

    def __len__(self):
        raise RuntimeError("len")


weird = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.floats()), max_size=5),
    st.dictionaries(st.text(max_size=5), st.floats(), max_size=4),
    st.sets(st.integers(), max_size=5),
    st.just(np.array([[1, 2], [3, 4]])),
    st.just(pd.DataFrame()),
    st.just(pd.Series(dtype=float)),
    st.just(pd.Series(["a", "b"], index=["x", "x"])),
    st.just(iter([1, 2])),
    st.just(object()),
    st.just(1 + 2j),
    st.just(Ellipsis),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=weird, qid=st.sampled_from(sorted(QUESTIONS) + ["q1", "nope", ""]))
def test_check_never_raises(world, answer, qid):
    use_world(world, exercise="ex3")
    r = check(qid, answer)
    assert isinstance(r, Result)
    assert r.status in STATUSES
    assert isinstance(repr(r), str) and isinstance(r._repr_html_(), str)


def test_check_never_raises_on_an_answer_whose_every_operation_raises(world):
    use_world(world, exercise="ex1")
    for qid in QUESTIONS:
        r = check(qid, _Nasty())
        assert r.status in ("wrong_type", "error"), str(r)
        assert repr(r) and r._repr_html_()


def test_feedback_is_plain_text_and_escaped_html(world):
    use_world(world)
    r = check("ex1.q2", "<script>alert(1)</script>")
    assert "<script>" not in r._repr_html_()
    assert "&lt;script&gt;" in r._repr_html_()
    assert "<div" not in repr(r) and "Wrong type or shape" in repr(r)
    good = check("ex1.q2", "transactional")
    assert "Correct" in repr(good) and "crmkit-correct" in good._repr_html_()


def test_use_world_keeps_a_copy(world):
    w = lesson_world(seed=11, n_customers=400)
    use_world(w)
    n = QUESTIONS["ex1.q1"].expected(w)
    w.customers["relationship_type"] = "transactional"  # the learner overwrites a column
    assert check("ex1.q1", n).status == "correct"


def test_use_world_rejects_what_is_not_a_world(world):
    with pytest.raises(TypeError, match="crmkit World"):
        use_world(world.customers)
    with pytest.raises(ValueError, match="unknown exercise"):
        use_world(world, exercise="ex42")


def test_check_with_world_argument_does_not_record(world, other_world):
    use_world(world, exercise="ex1")
    n = QUESTIONS["ex1.q1"].expected(other_world)
    assert check("ex1.q1", n, world=other_world).status == "correct"
    assert progress().as_dict()["questions"]["ex1.q1"] == "not_answered"


def test_progress_summarises_the_notebook(world):
    use_world(world, exercise="ex2")
    p = progress()
    assert [r[3] for r in p.rows] == ["not_answered"] * 7
    assert "0 of 7 correct" in p.summary()
    check("q2", "commitment")
    check("q7", "atmosphere")  # close
    check("q1", "lots")  # wrong type
    p = progress()
    assert p.counts == {"correct": 1, "close": 1, "wrong_type": 1, "not_answered": 4}
    assert p.score == 1.5
    assert "1 of 7 correct" in repr(p) and "<table>" in p._repr_html_()
    # a new world (another seed) starts a new record
    use_world(lesson_world(seed=99, n_customers=300), exercise="ex2")
    assert progress().score == 0


def test_progress_without_a_world_lists_what_was_checked():
    assert progress().rows == ()
    check("ex1.q1", None)
    assert progress().rows[0][0] == "ex1.q1"


def test_custom_question_kinds_and_tolerances(world, monkeypatch):
    q = Question(
        "ex1.q1",
        "E",
        "t",
        "number",
        lambda w: 10.0,
        "h",
        rel_tol=0.01,
        mistakes=(Mistake(lambda w, e: e / 2, "half"),),
        what="a number",
    )
    monkeypatch.setitem(QUESTIONS, "ex1.q1", q)
    use_world(world)
    assert check("ex1.q1", 10.09).status == "correct"
    assert check("ex1.q1", 10.3).status == "close"
    assert check("ex1.q1", 5).hint == "half"
    assert check("ex1.q1", 20).status == "wrong"
    assert check("ex1.q1", np.float32(10)).status == "correct"
    assert math.isclose(checks_module.SCORES["close"], 0.5)


# --------------------------------------------------------------------------- rosters
def _write(tmp_path, text, name="people.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_roster_with_header_names_and_emails(tmp_path):
    path = _write(
        tmp_path,
        "\ufeffName;E-mail;locale\nAnna Nowak;anna@example.org;pl\n"
        "\nMikko;mikko@example.org;fi_FI\n# a comment\n",
    )
    people = read_roster(path)
    assert [p["name"] for p in people] == ["Anna Nowak", "Mikko"]
    assert people[0]["email"] == "anna@example.org" and people[0]["locale"] == "pl_PL"


def test_roster_without_header_and_emails_only(tmp_path):
    people = read_roster(_write(tmp_path, "anna@example.org\nbob@example.org\n"))
    assert [p["email"] for p in people] == ["anna@example.org", "bob@example.org"]
    people = read_roster(_write(tmp_path, "email\nanna@example.org\n"))
    assert people[0]["name"] == "anna@example.org"
    people = read_roster(_write(tmp_path, "Student name,Group\nAnna,A\n"))
    assert [p["name"] for p in people] == ["Anna"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no participants"),
        ("name\n", "only a header"),
        ("Anna\nBob\nanna\n", "line 3: 'anna' is listed twice (first on line 1)"),
        ("name,locale\nAnna,xx_XX\n", "line 2"),
        ("locale,group\nfi,A\n", "no 'name' or 'email' column"),
        ("name,email\n,\nBob,\n", "line 2: no name or e-mail"),
    ],
)
def test_roster_errors_say_what_and_where(tmp_path, text, message):
    with pytest.raises(ValueError, match="read_roster") as e:
        read_roster(_write(tmp_path, text))
    assert message in str(e.value)


def test_roster_missing_or_not_utf8(tmp_path):
    with pytest.raises(FileNotFoundError, match="roster file"):
        read_roster(tmp_path / "nobody.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes("Łukasz\n".encode("utf-16"))
    with pytest.raises(ValueError, match="UTF-8"):
        read_roster(path)


# --------------------------------------------------------------------------- builds (no execution)
def test_seeds_are_stable_and_differ(tmp_path):
    assert participant_seed("Anna Nowak") == participant_seed(" anna nowak ")
    assert participant_seed("Anna Nowak") != participant_seed("Anna Nowak", "course-2")
    build_exercises(tmp_path / "a", names=["Anna", "Bob"], exercises=["ex1"], progress=False)
    build_exercises(
        tmp_path / "b", names=["Bob", "Cleo", "Anna"], exercises=["ex1"], progress=False
    )
    seeds = [
        {
            p["name"]: p["seed"]
            for p in json.loads((tmp_path / d / "manifest.json").read_text())["participants"]
        }
        for d in ("a", "b")
    ]
    assert seeds[0]["Anna"] == seeds[1]["Anna"] and seeds[0]["Bob"] == seeds[1]["Bob"]
    assert len(set(seeds[1].values())) == 3


def test_build_editions_and_manifest(tmp_path):
    out = tmp_path / "course"
    report = build_exercises(out, names=["Anna Nowak", "Иван Петров"], progress=False)
    assert len(report.written) == 5 * 3 and not report.kept
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {p["slug"] for p in manifest["participants"]} == {"anna-nowak", "ivan-petrov"}
    student = nbformat.read(out / "students/ivan-petrov/01-relationships-and-types.ipynb", 4)
    tags = [t for c in student.cells for t in c.metadata.get("tags", [])]
    assert "solution" not in tags and "trainer" not in tags
    assert not any(c.source.startswith("# solution") for c in student.cells)
    injected = [c for c in student.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and injected[0].id == "ex1-injected"
    assert 'PARTICIPANT = "Иван Петров"' in injected[0].source
    seed = next(p["seed"] for p in manifest["participants"] if p["slug"] == "ivan-petrov")
    assert f"SEED = {seed}" in injected[0].source
    assert student.metadata["crmkit"]["seed"] == seed
    assert student.metadata["crmkit"]["edition"] == "student"
    assert student.cells[1].id == "ex1-01" and "parameters" in student.cells[1].metadata.tags
    nbformat.validate(student)
    trainer = nbformat.read(out / "trainer/01-relationships-and-types.ipynb", 4)
    ttags = [t for c in trainer.cells for t in c.metadata.get("tags", [])]
    assert ttags.count("solution") == 7 and ttags.count("trainer") >= 8
    notes = (out / "trainer/facilitation-notes.md").read_text(encoding="utf-8")
    assert "Timing" in notes and "Common mistakes" in notes and "widget" in notes
    rows = (out / "participants.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "participant,email,folder,seed,locale" and len(rows) == 3


def test_participants_csv_defuses_formulas_and_works_as_a_roster(tmp_path):
    """Issue 11: roster names such as =HYPERLINK(...) ran as formulas in participants.csv."""
    names = ['=HYPERLINK("http://evil.example","click")', "-Bob", "@anna", "Cleo"]
    out = tmp_path / "course"
    build_exercises(out, names=names, exercises=["ex1"], progress=False)
    with (out / "participants.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["participant"] for r in rows] == ["'" + n for n in names[:3]] + ["Cleo"]
    assert all(r["seed"].isdigit() for r in rows)
    # the trainer may give participants.csv as the roster of a rebuild: same names, same seeds
    again = read_roster(out / "participants.csv")
    assert [p["name"] for p in again] == names
    assert [participant_seed(p["name"]) for p in again] == [int(r["seed"]) for r in rows]


def test_build_refuses_a_non_empty_folder_without_force(tmp_path):
    out = tmp_path / "course"
    out.mkdir()
    (out / "someone.ipynb").write_text("{}")
    with pytest.raises(FileExistsError, match="not empty.*--force"):
        build_exercises(out, count=2, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["someone.ipynb"]


def test_force_replaces_untouched_and_keeps_answered_notebooks(tmp_path):
    out = tmp_path / "course"
    build_exercises(out, names=["Anna", "Bob"], exercises=["ex1", "ex2"], progress=False)
    anna = out / "students/anna/01-relationships-and-types.ipynb"
    nb = nbformat.read(anna, 4)
    for cell in nb.cells:
        if cell.source == "answer_q1 = None  # your answer":
            cell.source = "answer_q1 = 17"
    nbformat.write(nb, anna)
    assert answered_questions(nb) == [1]
    before = anna.read_bytes()
    bob = out / "students/bob/01-relationships-and-types.ipynb"
    executed = nbformat.read(bob, 4)  # run but not answered: may be replaced
    executed.cells[2].outputs = [nbformat.v4.new_output("stream", text="ready")]
    nbformat.write(executed, bob)
    stray = out / "students/anna/notes.txt"
    stray.write_text("mine")

    with pytest.raises(FileExistsError):
        build_exercises(out, names=["Anna", "Bob"], exercises=["ex1", "ex2"], progress=False)
    report = build_exercises(
        out, names=["Anna", "Bob", "Cleo"], exercises=["ex1", "ex2"], force=True, progress=False
    )
    assert anna.read_bytes() == before
    assert [k for k, _ in report.kept] == ["students/anna/01-relationships-and-types.ipynb"]
    assert "answers typed: q1" in report.kept[0][1]
    assert "students/bob/01-relationships-and-types.ipynb" in report.written
    assert not nbformat.read(bob, 4).cells[2].get("outputs")
    assert (out / "students/cleo/02-lifecycle-and-satisfaction.ipynb").is_file()
    assert stray.read_text() == "mine"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["students/anna/01-relationships-and-types.ipynb"]["kept"] is True
    # a rebuild with another course name keeps Anna's answered notebook with its old seed
    old_seed = nbformat.read(anna, 4).metadata["crmkit"]["seed"]
    build_exercises(
        out, names=["Anna"], exercises=["ex1"], course="other", force=True, progress=False
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["students/anna/01-relationships-and-types.ipynb"]["seed"] == old_seed
    assert anna.read_bytes() == before


def test_build_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="exactly one of"):
        build_exercises(tmp_path / "x", count=2, names=["a"], progress=False)
    with pytest.raises(ValueError, match="count"):
        build_exercises(tmp_path / "x", count=0, progress=False)
    with pytest.raises(ValueError, match="unknown exercise"):
        build_exercises(tmp_path / "x", count=1, exercises=["ex7"], progress=False)
    with pytest.raises(FileNotFoundError, match="source folder"):
        build_exercises(tmp_path / "x", count=1, src=tmp_path / "nowhere", progress=False)
    with pytest.raises(ValueError, match="not supported"):
        build_exercises(tmp_path / "x", count=1, locale="xx", progress=False)
    assert not (tmp_path / "x").exists()


def test_cli_builds_and_reports_errors(tmp_path, capsys):
    from crmkit.exercises.cli import main

    assert main(["build", "--count", "2", "--only", "ex1", "--out", str(tmp_path / "w")]) == 0
    assert "Built 3 notebook(s)" in capsys.readouterr().out
    assert main(["build", "--count", "2", "--out", str(tmp_path / "w")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (
        main(["build", "--roster", str(tmp_path / "none.csv"), "--out", str(tmp_path / "v")]) == 2
    )
    assert "roster file" in capsys.readouterr().err
    assert main([]) == 0
    assert Path(tmp_path / "w" / "manifest.json").is_file()
