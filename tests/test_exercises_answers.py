"""Answers as plain data (crmkit/exercises/answers.py): what a kernel may hand the grader."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmkit.exercises import checks
from crmkit.exercises.answers import (
    ENV,
    MAX_FILE,
    Unsupported,
    decode_answer,
    encode_answer,
    read_answers,
    write_answers,
)

plain = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=50)
plain = plain | st.floats(allow_nan=False, allow_infinity=False)


@given(plain)
def test_plain_values_come_back_equal(value):
    back = decode_answer(json.loads(json.dumps(encode_answer(value))))
    assert back == value and type(back) is type(value)


@given(st.lists(st.integers(0, 10**9) | st.text(max_size=10), max_size=30))
def test_lists_come_back_equal(items):
    assert decode_answer(json.loads(json.dumps(encode_answer(items)))) == items


def test_arrays_sets_indexes_and_series():
    assert decode_answer(encode_answer(np.array([3, 1, 2]))) == [3, 1, 2]
    assert decode_answer(encode_answer({4, 5})) == {4, 5}
    assert decode_answer(encode_answer(pd.Index([7, 8]))) == [7, 8]
    s = pd.Series([0.25, 0.75], index=["web", "shop"], name="share")
    back = decode_answer(json.loads(json.dumps(encode_answer(s))))
    pd.testing.assert_series_equal(back, s)
    assert np.isnan(decode_answer(encode_answer(float("nan"))))
    assert decode_answer(encode_answer(np.float64("inf"))) == float("inf")


def test_anything_else_is_sent_as_its_type_name_only():
    back = decode_answer(encode_answer(pd.DataFrame({"a": [1]})))
    assert isinstance(back, Unsupported) and back.type_name == "DataFrame"

    class Sneaky:
        def __reduce__(self):  # never pickled, never called
            raise AssertionError("executed")

    assert isinstance(decode_answer(encode_answer(Sneaky())), Unsupported)


@pytest.mark.parametrize(
    "obj",
    [
        {"value": {"__class__": "os.system"}},
        {"value": "x" * 5000},
        {"list": [[1, 2]], "type": "list"},
        {"series": [[1], [1, 2]], "name": None},
        {"pickle": "gASV"},
        ["value", 1],
    ],
)
def test_what_is_not_the_encoded_form_is_refused(obj):
    with pytest.raises(ValueError):
        decode_answer(obj)


def test_the_file_round_trip_and_bad_entries_reported(tmp_path):
    path = tmp_path / "answers.json"
    write_answers(path, {"ex1.q1": 17, "ex1.q5": ["a", "b"]}, {"ex1.q1": "correct"}, {"seed": 3})
    answers, statuses, world, problems = read_answers(path)
    assert answers == {"ex1.q1": 17, "ex1.q5": ["a", "b"]}
    assert statuses == {"ex1.q1": "correct"} and world["seed"] == 3 and problems == []
    doc = json.loads(path.read_text())
    doc["answers"]["ex9.q9"] = {"value": 1}
    doc["answers"]["ex1.q2"] = {"value": {"evil": 1}}
    path.write_text(json.dumps(doc))
    answers, _, _, problems = read_answers(path)
    assert set(answers) == {"ex1.q1", "ex1.q5"}
    assert any("unknown question" in p for p in problems)
    assert any("ex1.q2" in p for p in problems)


def test_reading_never_follows_a_link_or_hangs_on_a_pipe(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"answers": {"ex1.q1": {"value": 1}}}))
    link = tmp_path / "answers.json"
    link.symlink_to(secret)
    answers, _, _, problems = read_answers(link)
    assert answers == {} and problems and "opened" in problems[0]
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    answers, _, _, problems = read_answers(fifo)
    assert answers == {} and "not a regular file" in problems[0]
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_FILE + 1))
    assert "larger" in read_answers(big)[3][0]
    assert read_answers(tmp_path / "missing.json") == ({}, {}, {}, [])


def test_check_hands_in_its_answers_only_under_the_grader(tmp_path, monkeypatch, small_world):
    target = tmp_path / "handed.json"
    checks.reset()
    checks.use_world(small_world, exercise="ex1")
    checks.check("ex1.q1", 5)
    assert not target.exists()  # no grader: nothing written
    monkeypatch.setenv(ENV, str(target))
    checks.check("ex1.q1", 6)
    answers, statuses, world, problems = read_answers(target)
    assert answers == {"ex1.q1": 6} and set(statuses) == {"ex1.q1"} and problems == []
    assert world["seed"] == small_world.meta.get("random_state")
    checks.reset()
