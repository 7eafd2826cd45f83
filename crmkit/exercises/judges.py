"""How an answer is compared with the expected one, for each kind of question.

A :class:`Question` names its kind; the judge of that kind turns the learner's
answer into a verdict ``(status, message, hint)``. A judge may raise
:class:`Verdict` to stop early (a wrong type, say); :func:`crmkit.exercises.check`
turns that into feedback. Messages describe the learner's answer and never show
the expected one.
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
import reprlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Question", "Mistake", "JUDGES", "Verdict", "clip_text", "describe"]


@dataclass(frozen=True)
class Mistake:
    """A common mistake: ``value(world, expected)`` is what it gives; ``hint`` explains it."""

    value: Any
    hint: str


@dataclass(frozen=True)
class Question:
    """One self-checking question.

    Parameters
    ----------
    id : str
        ``"ex1.q3"``: the exercise set, then the question.
    section : str
        Section of the curriculum (``"A"`` to ``"E"``) it exercises.
    title : str
        Short label for the progress table.
    kind : {"number", "count", "choice", "ids", "series"}
    expected : callable
        ``expected(world)`` computes the answer from the learner's world.
    hint : str
        Shown when the answer is wrong; it never contains the answer.
    abs_tol, rel_tol : float, default=0.0
        Tolerance of ``number`` and ``series`` answers: the larger of the two.
    close_factor : float, default=5.0
        An answer within ``close_factor`` times the tolerance is "close".
    fraction : bool, default=False
        The answer is a fraction between 0 and 1 (a percentage is recognised).
    mistakes : tuple of Mistake
        Common mistakes recognised as "close" with their own hint.
    choices : tuple, optional
        For ``choice`` (and ``ids`` of concept keys): a taxonomy (tuple of
        :class:`crmkit.concepts.Concept`) or a tuple of plain strings.
    choice_hints : dict, optional
        For ``choice``: a near miss (a key) -> a specific hint; the answer is "close".
    what : str
        What the answer looks like, for wrong-type feedback ("a fraction between
        0 and 1", "a list of customer ids"...).
    concept : str
        The concepts it exercises (``"LIFECYCLE_STAGES: commitment"``), for trainers.
    """

    id: str
    section: str
    title: str
    kind: str
    expected: Any
    hint: str
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    close_factor: float = 5.0
    fraction: bool = False
    mistakes: tuple = ()
    choices: tuple | None = None
    choice_hints: dict = field(default_factory=dict)
    what: str = ""
    concept: str = ""

    @property
    def exercise(self) -> str:
        return self.id.split(".", 1)[0]


class Verdict(Exception):
    """Raised inside the comparisons to return a verdict early (never escapes check)."""

    def __init__(self, status, message, hint=""):
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


_repr = reprlib.Repr()
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxlist = 6


def clip_text(text, n=80) -> str:
    """``text`` (any object, as a string) cut to ``n`` characters, with an ellipsis."""
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def describe(x) -> str:
    """A short, safe description of any object, for feedback."""
    try:
        if x is pd.NA or x is pd.NaT:
            return "a missing value (NA)"
        if isinstance(x, pd.DataFrame):
            cols = ", ".join(map(str, list(x.columns)[:6]))
            return f"a DataFrame of {x.shape[0]} rows \u00d7 {x.shape[1]} columns ({cols})"
        if isinstance(x, pd.Series):
            return f"a Series of {_plural(len(x), 'value')}"
        if isinstance(x, pd.Index):
            return f"an Index of {_plural(len(x), 'value')}"
        if isinstance(x, np.ndarray):
            return f"an array of shape {x.shape}"
        if isinstance(x, str):
            return f"the text {_repr.repr(x)}"
        if isinstance(x, bool):
            return f"the truth value {x}"
        if isinstance(x, (list, tuple, set, frozenset, dict)):
            return f"a {type(x).__name__} of {_plural(len(x), 'item')}"
        if _is_iterator(x):
            return f"a {type(x).__name__} (an iterator: it can be read only once)"
        if isinstance(x, numbers.Number):
            return f"the number {_repr.repr(x)}"
        name = type(x).__name__
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
    except Exception:  # noqa: BLE001
        return "an object that cannot be shown"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _is_iterator(x) -> bool:
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


def _fmt(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.4g}"


def _as_number(q: Question, answer) -> float:
    what = q.what or "a number"
    if isinstance(answer, (bool, np.bool_)):
        raise Verdict("wrong_type", f"expected {what}; got the truth value {answer}.")
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, numbers.Complex) and not isinstance(answer, numbers.Real):
        raise Verdict("wrong_type", f"expected {what}; got a complex number.")
    if answer is pd.NA or answer is pd.NaT:
        raise Verdict(
            "wrong_type",
            f"expected {what}; got a missing value (NA).",
            "NA comes from an empty selection or missing values: check your filter.",
        )
    if isinstance(answer, numbers.Real | decimal.Decimal):
        try:
            value = float(answer)
        except OverflowError:
            value = math.inf if answer > 0 else -math.inf
    elif isinstance(answer, str):
        text = answer.strip().replace(",", "")
        hint = ""
        try:
            float(text.rstrip("%"))
            hint = f"You wrote the number as text ({answer!r}): remove the quotes" + (
                " and the % sign; give a fraction between 0 and 1." if "%" in text else "."
            )
        except ValueError:
            pass
        raise Verdict("wrong_type", f"expected {what}; got the text {_repr.repr(answer)}.", hint)
    elif isinstance(answer, (pd.Series, pd.DataFrame, pd.Index, np.ndarray, list, tuple)):
        n = answer.size if hasattr(answer, "size") else len(answer)
        if n == 1:
            hint = "Take the single value out, e.g. with .item() (or .iloc[0] on a Series)."
        else:
            hint = "Reduce it to one number (a sum, a mean, a share...) as the question asks."
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.", hint)
    else:
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.")
    if math.isnan(value):
        raise Verdict(
            "wrong_type",
            f"expected {what}; got NaN (not a number).",
            "NaN comes from an empty selection or missing values: check your filter and "
            "use dropna() where values can be missing.",
        )
    if math.isinf(value):
        raise Verdict(
            "wrong_type",
            f"expected {what}; got infinity.",
            "Infinity comes from dividing by zero: check the denominator.",
        )
    return value


def _tolerance(q: Question, expected: float) -> float:
    return max(q.abs_tol, q.rel_tol * abs(expected))


def _mistake_values(q: Question, world, expected):
    for m in q.mistakes:
        try:
            yield m.value(world, expected), m.hint
        except Exception:  # noqa: BLE001 - a failing mistake detector is just skipped
            continue


def _judge_number(q: Question, answer, expected, world):
    value = _as_number(q, answer)
    expected = float(expected)
    if not math.isfinite(expected):
        raise Verdict(
            "error",
            "could not check: your world has no data for this question (tell your trainer).",
        )
    tol = _tolerance(q, expected)
    if abs(value - expected) <= tol + 1e-12:
        return "correct", f"your answer {_fmt(value)} is right.", ""
    for alt, hint in _mistake_values(q, world, expected):
        alt = float(alt)
        if math.isfinite(alt) and abs(value - alt) <= max(_tolerance(q, alt), tol) + 1e-12:
            return "close", f"{_fmt(value)} is not it, but you are on the way.", hint
    if q.fraction and abs(value - 100 * expected) <= 100 * tol + 1e-9 and expected != 0:
        return (
            "close",
            f"{_fmt(value)} looks like a percentage.",
            "Give the share as a fraction between 0 and 1 (0.25, not 25).",
        )
    if q.fraction and not 0 <= value <= 1:
        return (
            "wrong",
            f"{_fmt(value)} is not a fraction between 0 and 1.",
            q.hint,
        )
    if tol > 0 and abs(value - expected) <= q.close_factor * tol:
        return (
            "close",
            f"{_fmt(value)} is close, but not within the tolerance.",
            "Check your filter and rounding (keep at least 3 decimals). " + q.hint,
        )
    return "wrong", f"{_fmt(value)} is not the expected value.", q.hint


def _judge_count(q: Question, answer, expected, world):
    value = _as_number(q, answer)
    if not float(value).is_integer():
        return (
            "wrong_type",
            f"expected {q.what or 'a whole number'}; got {_fmt(value)}.",
            "A count has no decimals: count rows (len(...) or .sum() of a True/False column).",
        )
    expected = int(expected)
    value = int(value)
    if value == expected:
        return "correct", f"{value:,} is right.", ""
    for alt, hint in _mistake_values(q, world, expected):
        if value == int(alt):
            return "close", f"{value:,} is not it, but you are on the way.", hint
    if q.close_factor and abs(value - expected) <= max(1, q.rel_tol * expected):
        return "close", f"{value:,} is very near.", "Check the filter's edges. " + q.hint
    return "wrong", f"{value:,} is not the expected count.", q.hint


# -- choices
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    text = re.sub(r"[\s_\-/.,:;'\"()]+", " ", text).strip()
    return re.sub(r"^(the|a|an) ", "", text)


def _choice_table(q: Question) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``{normalised spelling: key}`` and the list of (key, display name)."""
    from crmkit import concepts

    spell: dict[str, str] = {}
    shown = []
    items = q.choices or ()
    for item in items:
        if isinstance(item, str):
            key, name = item, item
        else:
            key, name = item.key, item.name
        shown.append((key, name))
        spell[_norm(key)] = key
        spell[_norm(name)] = key
    keys = {k for k, _ in shown}
    for term in concepts.GLOSSARY:
        if term.key in keys:
            for lang in ("en", "pl", "fa", "ru", "fi"):
                word = getattr(term, lang, "") or ""
                # "Tapahtuma- (tapahtumapohjainen suhde)": the term and its gloss both count.
                for part in [word, *re.split(r"[()]", word)]:
                    if _norm(part):
                        spell.setdefault(_norm(part), term.key)
    return spell, shown


def _choices_text(shown) -> str:
    return "; ".join(f"'{k}' ({n})" if _norm(k) != _norm(n) else f"'{k}'" for k, n in shown)


def _as_choice(q: Question, answer) -> str:
    spell, shown = _choice_table(q)
    what = q.what or f"one of the {len(shown)} choices"
    if hasattr(answer, "key") and isinstance(getattr(answer, "key", None), str):
        answer = answer.key
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple)) and len(answer) == 1:
        raise Verdict(
            "wrong_type",
            f"expected {what} as text; got {describe(answer)}.",
            "Give the single value itself, e.g. 'commitment', not a list or a Series.",
        )
    if not isinstance(answer, str):
        raise Verdict(
            "wrong_type",
            f"expected {what} as text; got {describe(answer)}.",
            f"Accepted: {_choices_text(shown)} (any case).",
        )
    key = spell.get(_norm(answer))
    if key is None:
        raise Verdict(
            "wrong_type",
            f"{_repr.repr(answer)} is not one of the accepted answers.",
            f"Accepted: {_choices_text(shown)} (key or name, any case).",
        )
    return key


def _judge_choice(q: Question, answer, expected, world):
    key = _as_choice(q, answer)
    accepted = {expected} if isinstance(expected, str) else set(expected)
    if key in accepted:
        return "correct", f"'{key}' is right.", ""
    if key in q.choice_hints:
        return "close", f"'{key}' is a near miss.", q.choice_hints[key]
    for alt, hint in _mistake_values(q, world, expected):
        if key == alt or (not isinstance(alt, str) and key in alt):
            return "close", f"'{key}' is a near miss.", hint
    return "wrong", f"'{key}' is not the best answer.", q.hint


# -- ids
def _as_ids(q: Question, answer) -> list:
    what = q.what or "a list of ids"
    if isinstance(answer, pd.DataFrame):
        cols = [c for c in answer.columns if str(c).endswith("_id")]
        hint = (
            f"Take the id column, e.g. df[{str(cols[0])!r}].tolist()."
            if cols
            else "Take the column of ids, e.g. df['customer_id'].tolist()."
        )
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.", hint)
    if isinstance(answer, (str, bytes)) or isinstance(answer, (numbers.Number, np.bool_)):
        raise Verdict(
            "wrong_type",
            f"expected {what}; got {describe(answer)}.",
            "Put the ids in a list, e.g. [12, 57, 301].",
        )
    if isinstance(answer, dict):
        raise Verdict(
            "wrong_type",
            f"expected {what}; got a dict.",
            "If the ids are the keys, use list(d); if they are the values, list(d.values()).",
        )
    if _is_iterator(answer):
        raise Verdict(
            "wrong_type",
            f"expected {what}; got {describe(answer)}.",
            "Turn it into a list first: list(...).",
        )
    if isinstance(answer, np.ndarray) and answer.ndim != 1:
        raise Verdict(
            "wrong_type", f"expected {what}; got {describe(answer)}.", "Give a flat list."
        )
    containers = (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)
    if not isinstance(answer, containers + (pd.api.extensions.ExtensionArray,)):
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.")
    values = list(answer)
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            raise Verdict(
                "wrong_type",
                f"expected {what}; the list holds True/False values.",
                "You passed a mask: use it to select rows, then take the id column.",
            )
        if q.choices:
            out.append(_as_choice(q, v))
            continue
        if isinstance(v, numbers.Real) and float(v).is_integer():
            out.append(int(v))
        else:
            raise Verdict(
                "wrong_type",
                f"expected {what}; one item is {describe(v)}.",
                "Ids are whole numbers such as 12 (not names, not rows).",
            )
    return out


def _judge_ids(q: Question, answer, expected, world):
    got = set(_as_ids(q, answer))
    want = set(expected)
    if got == want:
        return "correct", f"all {len(want)} are right.", ""
    for alt, hint in _mistake_values(q, world, expected):
        if got == set(alt):
            return "close", "not quite, but you are on the way.", hint
    right = len(got & want)
    extra = len(got - want)
    missing = len(want - got)
    detail = f"{right} of your {len(got)} {'is' if right == 1 else 'are'} right; {extra} "
    detail += f"should not be there and {missing} {'is' if missing == 1 else 'are'} missing."
    union = len(got | want)
    if union and right / union >= 0.8:
        return "close", detail, "Check the edges of your rule (>= versus >). " + q.hint
    return "wrong", detail, q.hint


# -- series
def _judge_series(q: Question, answer, expected, world):
    what = q.what or "a pandas Series"
    if isinstance(answer, dict):
        answer = pd.Series(answer)
    if isinstance(answer, pd.DataFrame):
        hint = (
            f"Select the column: df[{str(answer.columns[0])!r}]."
            if answer.shape[1] == 1
            else "Keep one column of numbers, indexed by the categories."
        )
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.", hint)
    if not isinstance(answer, pd.Series):
        raise Verdict("wrong_type", f"expected {what}; got {describe(answer)}.")
    labels = [str(i) for i in answer.index]
    if len(set(labels)) != len(labels):
        raise Verdict(
            "wrong_type",
            f"expected {what}; your index has repeated labels.",
            "Group by the category so each appears once.",
        )
    try:
        got = pd.Series(pd.to_numeric(answer, errors="raise").to_numpy(dtype=float), index=labels)
    except (TypeError, ValueError):
        raise Verdict(
            "wrong_type", f"expected {what} holding numbers; some values are not numbers."
        ) from None
    want = pd.Series(np.asarray(expected, dtype=float), index=[str(i) for i in expected.index])
    # A category with no customers at all (NaN from groupby(observed=False)) is not an error.
    got = got[~(got.isna() & ~got.index.isin(want.index))]
    missing = [k for k in want.index if k not in got.index]
    extra = [k for k in got.index if k not in want.index]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing[:8])}")
        if extra:
            parts.append(f"not expected: {', '.join(extra[:8])}")
        raise Verdict(
            "wrong_type",
            f"expected {what} ({len(want)} values, one per category); yours has "
            f"{len(got)} ({'; '.join(parts)}).",
            "Index by the category keys of the data, e.g. with groupby(..., observed=False).",
        )
    got = got.reindex(want.index)
    if got.isna().any():
        raise Verdict(
            "wrong_type",
            f"expected {what} without missing values; yours has NaN for "
            f"{', '.join(got.index[got.isna()][:5])}.",
            "A category with no rows should count as 0, not NaN: use fillna(0) where it "
            "makes sense.",
        )
    tol = np.maximum(q.abs_tol, q.rel_tol * want.abs())
    diff = (got - want).abs()
    if (diff <= tol + 1e-12).all():
        return "correct", f"all {len(want)} values are right.", ""
    for alt, hint in _mistake_values(q, world, expected):
        alt = pd.Series(np.asarray(alt, dtype=float), index=[str(i) for i in alt.index])
        alt = alt.reindex(want.index)
        if ((got - alt).abs() <= np.maximum(tol, q.rel_tol * alt.abs()) + 1e-12).all():
            return "close", "not quite, but you are on the way.", hint
    bad = list(diff.index[diff > tol + 1e-12])
    if (diff <= q.close_factor * tol).all():
        return (
            "close",
            f"{len(bad)} of {len(want)} values are slightly off (e.g. {bad[0]}).",
            "Check rounding and your filter. " + q.hint,
        )
    return (
        "wrong",
        f"{len(bad)} of {len(want)} values are not right (e.g. {bad[0]}).",
        q.hint,
    )


JUDGES = {
    "number": _judge_number,
    "count": _judge_count,
    "choice": _judge_choice,
    "ids": _judge_ids,
    "series": _judge_series,
}
