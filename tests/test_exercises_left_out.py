"""Which questions a team's data can answer (``crmkit/exercises/questions.py``: ``left_out``).

A question kept on a transactions-only folder must compute its expected answer
there; a generated world keeps every question.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmkit import load_dataset, load_world, make_world
from crmkit.exercises.questions import EXERCISES, QUESTIONS, REQUIRES, left_out
from crmkit.own_data import import_transactions
from crmkit.world import ANALYSES


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ours")
    t = load_dataset().transactions[["customer_id", "date", "amount"]]
    t.to_csv(tmp / "export.csv", index=False)
    return load_world(import_transactions(tmp / "export.csv", tmp / "ours"))


def test_the_requirements_name_questions_and_known_data():
    assert set(REQUIRES) <= set(QUESTIONS)
    known = set(ANALYSES) | {"truth", "2023-2024"}
    assert {need for needs in REQUIRES.values() for need in needs} <= known


def test_a_generated_world_answers_every_question():
    assert left_out(make_world(200, random_state=3)) == {}


def test_every_question_kept_on_a_transactions_export_computes_there(ours):
    skipped = left_out(ours)
    # every question that needs more than purchases of 2023-2024 (cohorts need only those)
    assert set(skipped) == {q for q, needs in REQUIRES.items() if needs != ("2023-2024",)}
    for qid in QUESTIONS:
        if qid in skipped:
            assert skipped[qid].strip(), qid
            continue
        value = QUESTIONS[qid].expected(ours)
        if isinstance(value, float):
            assert not np.isnan(value), qid
        elif isinstance(value, pd.Series | set | frozenset | list):
            assert len(value), qid


def test_one_set_and_the_years_it_asks_about(ours):
    assert set(left_out(ours, "ex4")) <= set(EXERCISES["ex4"].question_ids)
    early = ours.transactions[ours.transactions["date"].dt.year == 2023]
    from crmkit.world import World

    w = World(**{**ours.tables(), "transactions": early}, truth={}, meta={})
    assert "2023 and 2024" in left_out(w)["ex3.q10"]
    assert "ex3.q10" not in left_out(ours)
