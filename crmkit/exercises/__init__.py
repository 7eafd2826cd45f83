"""Exercises that check themselves, on every participant's own data.

In a notebook::

    from crmkit.exercises import check, progress, use_world
    use_world(world, exercise="ex1")
    check("ex1.q1", answer_q1)       # correct / close / not yet / wrong type / not answered
    progress()                       # a table of the results so far

For trainers: :func:`build_exercises` writes a student notebook per participant
(their own seed, solutions removed) and a trainer edition (solutions and
facilitation notes); :func:`grade_submissions` executes submitted notebooks and
writes a CSV of results. The command line is ``crmkit exercises build|grade``.
"""

from crmkit.exercises.checks import Result, check, current_world, progress, use_world
from crmkit.exercises.questions import EXERCISES, QUESTIONS


def build_exercises(*args, **kwargs):
    """See :func:`crmkit.exercises.builds.build_exercises`."""
    from crmkit.exercises.builds import build_exercises as _build

    return _build(*args, **kwargs)


def grade_submissions(*args, **kwargs):
    """See :func:`crmkit.exercises.grading.grade_submissions`."""
    from crmkit.exercises.grading import grade_submissions as _grade

    return _grade(*args, **kwargs)


__all__ = [
    "EXERCISES",
    "QUESTIONS",
    "Result",
    "build_exercises",
    "check",
    "current_world",
    "grade_submissions",
    "progress",
    "use_world",
]
