"""Answers as plain data: what a participant's kernel hands back to the grader.

When the environment variable ``CRMKIT_ANSWERS_FILE`` is set (the grader sets
it in the sandbox), every :func:`crmkit.exercises.check` call writes the
notebook's answers so far to that file as JSON: the grader reads them after the
kernel is gone (so answers given before a timeout still count), checks every
value's type and size, and judges them itself against the world it rebuilt
from the build's manifest. Nothing in the file is executed or unpickled, and
the notebook's own verdicts ("the check said correct") are only compared with
the grader's, never trusted.

Encoded kinds: ``None``, ``bool``, ``int``, ``float`` (also ``nan``/``inf``),
``str``, lists of those (a list, tuple, set, array, Index), and Series of
numbers with a text index. Anything else is recorded as unsupported with its
type name, which the grader judges as an answer of the wrong kind.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import stat
from pathlib import Path

__all__ = [
    "ENV",
    "MAX_ITEMS",
    "MAX_TEXT",
    "MAX_FILE",
    "Unsupported",
    "encode_answer",
    "decode_answer",
    "write_answers",
    "read_answers",
]

ENV = "CRMKIT_ANSWERS_FILE"
MAX_ITEMS = 100_000  # items in one list or Series answer
MAX_TEXT = 2_000  # characters of one text answer or item
MAX_FILE = 16 * 2**20  # bytes of the whole answers file


class Unsupported:
    """An answer of a kind that is not sent as data (its type name only)."""

    def __init__(self, type_name: str):
        self.type_name = str(type_name)[:80]

    def __repr__(self):
        return f"<a {self.type_name}>"


def _scalar(value):
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else {"float": repr(f)}
    import numpy as np

    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.str_):
        return str(value)
    raise TypeError(type(value).__name__)


def encode_answer(value):
    """A JSON-safe form of ``value`` (see the module docstring)."""
    import numpy as np
    import pandas as pd

    try:
        if isinstance(value, pd.Series):
            if len(value) > MAX_ITEMS:
                return {"unsupported": f"Series of {len(value):,} items"}
            return {
                "series": [[_scalar(k) for k in value.index], [_scalar(v) for v in value]],
                "name": _scalar(value.name) if value.name is None or
                isinstance(value.name, str | numbers.Number) else None,
            }  # fmt: skip
        if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index):
            items = list(value.tolist() if hasattr(value, "tolist") else value)
            if len(items) > MAX_ITEMS:
                return {"unsupported": f"{type(value).__name__} of {len(items):,} items"}
            return {"list": [_scalar(v) for v in items], "type": type(value).__name__}
        return {"value": _scalar(value)}
    except TypeError:
        return {"unsupported": type(value).__name__}


def _check_scalar(v, where):
    if v is None or isinstance(v, bool | int):
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        if len(v) > MAX_TEXT:
            raise ValueError(f"{where}: text longer than {MAX_TEXT} characters")
        return v
    if isinstance(v, dict) and set(v) == {"float"} and v["float"] in ("nan", "inf", "-inf"):
        return float(v["float"])
    raise ValueError(f"{where}: not a plain value ({type(v).__name__})")


def decode_answer(obj):
    """The answer back from :func:`encode_answer`'s form; ValueError if it is not that form."""
    import pandas as pd

    if not isinstance(obj, dict) or len(obj) > 3:
        raise ValueError("an answer must be an object with one kind")
    if set(obj) == {"value"}:
        return _check_scalar(obj["value"], "value")
    if set(obj) == {"unsupported"}:
        return Unsupported(str(obj["unsupported"]))
    if set(obj) == {"list", "type"}:
        items = obj["list"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ValueError("list: not a list, or too long")
        values = [_check_scalar(v, "list item") for v in items]
        return set(values) if obj["type"] in ("set", "frozenset") else values
    if set(obj) == {"series", "name"}:
        pair = obj["series"]
        shaped = isinstance(pair, list) and len(pair) == 2
        shaped = shaped and all(isinstance(p, list) for p in pair)
        if not shaped or len(pair[0]) != len(pair[1]) or len(pair[0]) > MAX_ITEMS:
            raise ValueError("series: not an index and values of the same length")
        index = [_check_scalar(v, "series index") for v in pair[0]]
        values = [_check_scalar(v, "series value") for v in pair[1]]
        return pd.Series(values, index=index, name=_check_scalar(obj["name"], "series name"))
    raise ValueError(f"unknown answer kind {sorted(obj)[:3]}")


def write_answers(path, answers: dict, statuses: dict, world_info: dict) -> None:
    """Write the notebook's answers so far (called by ``check``; atomic, size-capped)."""
    doc = {
        "answers": {q: encode_answer(a) for q, a in answers.items()},
        "statuses": {q: str(s) for q, s in statuses.items()},
        "world": {k: _scalar(v) if not isinstance(v, dict) else None
                  for k, v in (world_info or {}).items()},
    }  # fmt: skip
    text = json.dumps(doc, allow_nan=False)
    if len(text) > MAX_FILE:
        doc["answers"] = {q: {"unsupported": "answer too large"} for q in answers}
        text = json.dumps(doc, allow_nan=False)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def read_answers(path) -> tuple[dict, dict, dict, list]:
    """Answers, the notebook's own statuses, its world info, and problems found.

    Never raises on a bad file: every problem is a line in the last item, and
    an answer that is not valid data is left out (the question then counts as
    not checked).
    """
    from crmkit.exercises.questions import QUESTIONS

    problems: list[str] = []
    try:  # the file is the participant's: no link to follow, no pipe to hang on
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return {}, {}, {}, []
    except OSError as e:
        return {}, {}, {}, [f"the answers file could not be opened ({type(e).__name__})"]
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            return {}, {}, {}, ["the answers file is not a regular file"]
        if st.st_size > MAX_FILE:
            return {}, {}, {}, [f"the answers file is larger than {MAX_FILE // 2**20} MiB"]
        data = f.read(MAX_FILE + 1)
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return {}, {}, {}, [f"the answers file is not valid JSON ({type(e).__name__})"]
    if not isinstance(doc, dict):
        return {}, {}, {}, ["the answers file is not a JSON object"]
    answers, statuses = {}, {}
    raw = doc.get("answers") if isinstance(doc.get("answers"), dict) else {}
    for qid, obj in raw.items():
        if qid not in QUESTIONS:
            problems.append(f"an answer to an unknown question {str(qid)[:40]!r}")
            continue
        try:
            answers[qid] = decode_answer(obj)
        except ValueError as e:
            problems.append(f"{qid}: the answer is not plain data ({e})")
    raw = doc.get("statuses") if isinstance(doc.get("statuses"), dict) else {}
    statuses = {q: str(s)[:20] for q, s in raw.items() if q in QUESTIONS}
    world = doc.get("world") if isinstance(doc.get("world"), dict) else {}
    world = {k: world.get(k) for k in ("seed", "locale", "n_customers")}
    return answers, statuses, world, problems
