"""``check(question_id, answer)``: feedback computed from the learner's own world.

Every participant works on a world generated from their own seed, so there is
no answer key: the expected answer of each question is recomputed from the
world the notebook registered with :func:`use_world` (or the ``world=``
argument). The feedback says one of

``correct``        the answer matches (within the question's tolerance);
``close``          nearly, or a common mistake was recognised: a specific hint;
``wrong``          not yet: a hint, never the expected answer;
``wrong_type``     not the kind of answer expected (a number, a list of ids,
                   one of the seven relationship types...): what was expected;
``not_answered``   the answer is still ``None``;
``error``          the kit could not check (no world yet, an unknown question,
                   an internal error): what to do.

:func:`check` never raises and never stops the notebook. It returns a
:class:`Result` whose ``repr`` is plain text and whose ``_repr_html_`` is a
coloured box, and records it for :func:`progress`.

Kinds of question (``Question.kind``)
-------------------------------------
``number``  a float with an absolute and/or relative tolerance; ``fraction=True``
            recognises a percentage given for a fraction (31 for 0.31).
``count``   a whole number, exact.
``choice``  one item of a taxonomy of :mod:`crmkit.concepts`: its key, its English
            name or its glossary term in pl, fa, ru or fi, in any case.
``ids``     a collection of ids (a list, a set, a Series, an Index, an array).
``series``  a pandas Series of numbers indexed by category keys.
"""

from __future__ import annotations

import copy
import html
import os
from typing import Any

import numpy as np
import pandas as pd

from crmkit.exercises.answers import ENV as ANSWERS_ENV
from crmkit.exercises.answers import write_answers
from crmkit.exercises.feedback import SCORES, STATUSES, Progress, Result
from crmkit.exercises.judges import JUDGES, Mistake, Question, Verdict, clip_text, describe

__all__ = [
    "Question",
    "Mistake",
    "Result",
    "Progress",
    "STATUSES",
    "SCORES",
    "check",
    "progress",
    "use_world",
    "current_world",
    "reset",
    "recheck",
]


# --------------------------------------------------------------------------- state
class _State:
    def __init__(self):
        self.world = None  # a private copy of the learner's world
        self.world_info: dict = {}
        self.exercise: str | None = None
        self.participant: str | None = None
        self.results: dict[str, Result] = {}
        self.answers: dict[str, Any] = {}
        self.expected_cache: dict[str, Any] = {}
        self.left_out: dict[str, str] = {}  # questions this world cannot answer (a team's data)


_STATE = _State()


def reset() -> None:
    """Forget the registered world and every recorded result (tests use this)."""
    global _STATE
    _STATE = _State()


def _world_info(world) -> dict:
    meta = getattr(world, "meta", {}) or {}
    return {
        "seed": meta.get("random_state"),
        "locale": meta.get("locale"),
        "n_customers": meta.get("n_customers"),
    }


def _snapshot(world):
    """A copy of the world's tables, so that changes the learner makes do not move the answers."""
    from crmkit.world import World

    tables = {name: df.copy() for name, df in world.tables().items()}
    return World(**tables, truth=world.truth, meta=dict(world.meta))


class _Ready:
    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def _repr_html_(self):
        return f"<p class='crmkit-ready'>\u2714 {html.escape(self.text)}</p>"


def use_world(world, *, exercise: str | None = None, participant: str | None = None):
    """Register the world that :func:`check` computes expected answers from.

    The setup cell of every exercise notebook calls it right after building
    the world. A copy of the tables is kept, so later changes to ``world``
    do not change the expected answers.

    Parameters
    ----------
    world : crmkit.World
    exercise : str, optional
        The exercise set (``"ex1"``): lets you write ``check("q3", ...)`` and
        lets :func:`progress` list the questions not checked yet.
    participant : str, optional
        Shown in the confirmation line.

    Returns
    -------
    A one-line confirmation (shown when it is the last line of a cell).
    """
    from crmkit.exercises.questions import EXERCISES
    from crmkit.world import World

    if not isinstance(world, World):
        raise TypeError(
            f"use_world: `world` must be a crmkit World (from lesson_world(...) or "
            f"crmkit.make_world(...)); got {type(world).__name__}."
        )
    if exercise is not None and exercise not in EXERCISES:
        raise ValueError(
            f"use_world: unknown exercise {exercise!r}; expected one of {', '.join(EXERCISES)}."
        )
    info = _world_info(world)
    if info != _STATE.world_info:
        _STATE.results.clear()
        _STATE.answers.clear()
    _STATE.world = _snapshot(world)
    _STATE.world_info = info
    _STATE.expected_cache.clear()
    _STATE.exercise = exercise
    _STATE.participant = participant
    from crmkit.exercises.questions import left_out

    _STATE.left_out = left_out(world, exercise)
    who = f" for {participant}" if participant else ""
    seed = info["seed"]
    n = info["n_customers"] if info["n_customers"] is not None else len(world.customers)
    name = f"Exercises {exercise}" if exercise else "Exercises"
    if seed is None:  # a data folder (a team's own), not a generated world
        n_out = len(_STATE.left_out)
        skipped = f" {n_out} question(s) need data it lacks." if n_out else ""
        return _Ready(
            f"{name} ready{who}: {world.describe()}. Answers are checked against this "
            f"data.{skipped}"
        )
    return _Ready(
        f"{name} ready{who}: your world has seed {seed} and {n:,} customers. "
        "Answers are checked against this world."
    )


def current_world():
    """The world registered by :func:`use_world` (a copy), or None."""
    return _STATE.world


# --------------------------------------------------------------------------- check
def check(question_id, answer=None, *, world=None) -> Result:
    """Check an answer against the expected answer computed from your own world.

    Parameters
    ----------
    question_id : str
        ``"ex1.q3"`` (or ``"q3"`` once :func:`use_world` named the exercise).
    answer : object
        Your answer. ``None`` means "not answered yet".
    world : crmkit.World, optional
        The world to compute the expected answer from; by default the one
        registered by :func:`use_world`.

    Returns
    -------
    Result
        Never raises: a problem of the kit becomes feedback that says what to do.
    """
    qid = question_id if isinstance(question_id, str) else repr(question_id)
    try:
        return _check(question_id, answer, world, record=True)
    except Exception as e:  # noqa: BLE001 - the contract is: never raise
        try:
            detail = f"{type(e).__name__}: {e}"
        except Exception:  # noqa: BLE001
            detail = type(e).__name__
        return Result(
            qid,
            "error",
            f"could not check: {clip_text(detail, 200)} (tell your trainer).",
        )


def _resolve(question_id):
    from crmkit.exercises.questions import EXERCISES, QUESTIONS

    if not isinstance(question_id, str):
        raise Verdict(
            "error",
            f"could not check: the question id must be text such as 'ex1.q1'; got "
            f"{describe(question_id)}. Keep the check cell as it was written.",
        )
    qid = question_id.strip()
    if qid not in QUESTIONS and "." not in qid and _STATE.exercise:
        qid = f"{_STATE.exercise}.{qid}"
    if qid not in QUESTIONS:
        prefix = qid.split(".", 1)[0]
        known = EXERCISES.get(prefix)
        listed = ", ".join(known.question_ids) if known else ", ".join(EXERCISES)
        raise Verdict(
            "error",
            f"could not check: there is no question {question_id!r} (known: {listed}). "
            "Keep the check cell as it was written.",
        )
    return QUESTIONS[qid]


def _check(question_id, answer, world, *, record: bool) -> Result:
    try:
        q = _resolve(question_id)
    except Verdict as v:
        return Result(str(question_id), v.status, v.message, v.hint)
    try:
        result = _judge(q, answer, world)
    except Verdict as v:
        result = Result(q.id, v.status, v.message, v.hint, q.title)
    if record and world is None:
        _STATE.results[q.id] = result
        _STATE.answers[q.id] = _keep(answer)
        _hand_in()
    return result


def _hand_in() -> None:
    """Under the grader (``CRMKIT_ANSWERS_FILE`` set), write the answers so far as data."""
    path = os.environ.get(ANSWERS_ENV)
    if not path:
        return
    try:
        write_answers(
            path,
            _STATE.answers,
            {q: r.status for q, r in _STATE.results.items()},
            _STATE.world_info,
        )
    except Exception:  # noqa: BLE001 - never stop the notebook; the grader reports it
        pass


def _judge(q: Question, answer, world) -> Result:
    if answer is None or answer is Ellipsis:
        raise Verdict(
            "not_answered",
            f"not answered yet: replace None with your answer ({q.what or q.kind}), "
            "then run this cell again.",
        )
    if world is None:
        world = _STATE.world
        if world is None:
            raise Verdict(
                "error",
                "could not check: no world is registered yet. Run the setup cell at the "
                "top of the notebook (it calls use_world(world)), then this cell again.",
            )
        cache = _STATE.expected_cache
    else:
        from crmkit.world import World

        if not isinstance(world, World):
            raise Verdict(
                "error",
                f"could not check: `world=` must be a crmkit World; got {describe(world)}.",
            )
        cache = {}
    if q.id not in cache:
        cache[q.id] = q.expected(world)
    expected = cache[q.id]
    judge = JUDGES[q.kind]
    status, message, hint = judge(q, answer, expected, world)
    return Result(q.id, status, message, hint, q.title)


def _keep(answer):
    if isinstance(answer, (pd.DataFrame, pd.Series, pd.Index, np.ndarray)):
        return answer.copy()
    try:
        return copy.deepcopy(answer)
    except Exception:  # noqa: BLE001
        return answer


# --------------------------------------------------------------------------- progress
def progress(exercise: str | None = None) -> Progress:
    """Your results so far in this notebook: one row per question, and a score.

    Parameters
    ----------
    exercise : str, optional
        The exercise set (``"ex1"``); by default the one named in :func:`use_world`,
        or the sets of the questions checked so far.

    Returns
    -------
    Progress
        Shown as a table in the notebook; never raises.
    """
    try:
        from crmkit.exercises.questions import EXERCISES

        sets = [exercise] if exercise else ([_STATE.exercise] if _STATE.exercise else [])
        if not sets:
            sets = sorted({qid.split(".", 1)[0] for qid in _STATE.results})
        rows = []
        for name in sets:
            ex = EXERCISES.get(name)
            ids = (
                ex.question_ids
                if ex
                else sorted(q for q in _STATE.results if q.startswith(f"{name}."))
            )
            for qid in ids:
                if qid in _STATE.left_out:  # not in this data: the notebook says so
                    continue
                res = _STATE.results.get(qid)
                q = ex.questions[qid] if ex else None
                rows.append(
                    (
                        qid,
                        q.title if q else (res.title if res is not None else ""),
                        q.section if q else "",
                        res.status if res is not None else "not_answered",
                    )
                )
        return Progress(",".join(sets), tuple(rows))
    except Exception:  # noqa: BLE001 - never raise in a notebook
        return Progress("", ())


def recheck(qid: str, answer, world) -> Result:
    """Check ``answer`` against ``world`` without recording it (the grader's verdict)."""
    try:
        return _check(qid, answer, world, record=False)
    except Exception as e:  # noqa: BLE001
        return Result(qid, "error", f"could not check: {type(e).__name__}")
