"""crmkit.widgets._live and the four simulators' page data (``*_page``).

The page data is what a static page needs to run a simulator without a kernel:
it is added to the widget's display (the type LIVE_MIMETYPE beside the widget
view), computed only when the widget is displayed, and holds JSON values only.
Its numbers come from the metrics; the browser test (test_site_live_browser.py)
checks that the pages show what the widgets show.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import crmkit
from crmkit.static_html import LIVE_MIMETYPE

VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(300, random_state=0)


@pytest.fixture(scope="module")
def shown(world):
    """Each simulator built as its lesson builds it, and its display bundle."""
    from crmkit.widgets.economics import retention_simulator
    from crmkit.widgets.lifecycle import lifecycle_simulator
    from crmkit.widgets.strategy import strategy_self_assessment
    from crmkit.widgets.termination import termination_explorer

    widgets = {
        "retention": retention_simulator(world, retention=0.83),
        "lifecycle": lifecycle_simulator(world, months=36),
        "strategy": strategy_self_assessment(participant="Sales"),
        "termination": termination_explorer(world, segment="any", price_rise=0.2),
    }
    return {name: (w, w._repr_mimebundle_()) for name, w in widgets.items()}


def test_the_display_keeps_the_widget_and_adds_json_page_data(shown):
    for name, (_, bundle) in shown.items():
        assert VIEW in bundle and "text/plain" in bundle  # JupyterLab and Voila show the widget
        data = bundle[LIVE_MIMETYPE]
        assert data["simulator"] == name
        assert json.loads(json.dumps(data, allow_nan=False)) == data  # plain JSON, no NaN


def test_page_data_is_computed_on_display_not_on_build(world, monkeypatch):
    import crmkit.widgets.termination as module

    calls = []
    monkeypatch.setattr(module, "_page", lambda *a: calls.append(a) or {})
    w = module.termination_explorer(world)
    assert calls == []  # a dashboard that builds the widget pays nothing
    w._repr_mimebundle_()
    assert len(calls) == 1


def test_page_data_starts_where_the_widget_starts(shown):
    def start(name):
        w, bundle = shown[name]
        return w, bundle[LIVE_MIMETYPE]

    w, data = start("retention")
    assert {s["key"]: s["value"] for s in data["sliders"]} == {
        k: w.controls[k].value for k in ("retention", "margin", "acquisition_cost", "discount_rate")
    }
    w, data = start("lifecycle")
    assert data["months"]["value"] == 36 == w.controls["months"].value
    assert {s["key"]: s["value"] for s in data["sliders"]} == pytest.approx(
        {s["key"]: w.controls[s["key"]].value for s in data["sliders"]}
    )
    w, data = start("strategy")
    assert data["participant"] == "Sales" == w.controls["participant"].value
    assert data["ratings"] == {k: w.controls[k].value for k in data["ratings"]}
    w, data = start("termination")
    assert data["start"] == {k: w.controls[k].value for k in data["start"]}


def test_retention_page_data_comes_from_the_metrics():
    from crmkit.metrics.value import RETENTION_RANGE, economics_curve, reichheld_example
    from crmkit.widgets.economics import retention_simulator_page

    page = retention_simulator_page(0.8)
    curve = economics_curve(RETENTION_RANGE[0], margin=400, acquisition_cost=900,
                            discount_rate=0.1)  # fmt: skip
    assert page["grid"] == curve["retention"].tolist()
    ex = reichheld_example()
    assert page["reference"]["cost_after"] == ex["cost_per_customer_year_after"]
    assert page["servicing_cost"] == 70 and page["retention_rise"] == 0.05
    assert "&" not in page["reference_note"]  # text for the page, not HTML


def test_lifecycle_page_data_is_the_estimated_matrix(world):
    from crmkit.metrics.lifecycle import KNOBS, base_matrix, scenario_start
    from crmkit.widgets.lifecycle import lifecycle_simulator_page

    page = lifecycle_simulator_page(world, start="base")
    assert np.array_equal(np.array(page["matrix"]), base_matrix(world).to_numpy())
    counts, new = scenario_start(world, "base")
    assert page["starts"]["base"]["counts"] == [counts[s["key"]] for s in page["stages"]]
    assert page["starts"]["base"]["new_per_month"] == new
    assert [s["key"] for s in page["sliders"]] == list(KNOBS)
    assert page["start"]["value"] == "base"


def test_strategy_page_data_names_the_ten_strategies_and_the_csv_columns():
    from crmkit import concepts
    from crmkit.metrics.care import MATURITY_LEVELS, strategy_scorecard
    from crmkit.widgets.strategy import EXAMPLE_RATINGS, strategy_self_assessment_page

    page = strategy_self_assessment_page({"people": 1})
    assert [s["key"] for s in page["strategies"]] == list(concepts.keys(concepts.STRATEGIES))
    assert page["ratings"] == {**EXAMPLE_RATINGS, "people": 1}
    assert page["columns"] == list(strategy_scorecard(EXAMPLE_RATINGS).columns)
    assert page["levels"] == [list(level) for level in MATURITY_LEVELS]


def test_termination_page_data_is_the_what_if_at_every_setting(world):
    from crmkit.metrics.termination import prepare_candidates, termination_what_if
    from crmkit.widgets.termination import (
        PAGE_ELASTICITIES,
        PAGE_PRICE_RISES,
        SEGMENT_LABELS,
        termination_explorer_page,
    )

    cand = prepare_candidates(world)
    page = termination_explorer_page(world, candidates=cand)
    assert set(page["results"]) == set(SEGMENT_LABELS)
    n_e = len(PAGE_ELASTICITIES)
    for segment, method, i, j in [("all", "raise_price", 2, 4), ("late_payer", "unbundle_offer",
                                   10, 0), ("any", "raise_price", 10, 10)]:  # fmt: skip
        table = termination_what_if(cand, world.transactions, segment=segment, method=method,
                                    price_rise=PAGE_PRICE_RISES[i],
                                    elasticity=PAGE_ELASTICITIES[j])  # fmt: skip
        result = page["results"][segment]
        assert result["before"] == table["before"].tolist()
        assert result[method][i * n_e + j] == table["after"].tolist()
    table = termination_what_if(cand, world.transactions, segment="all",
                                method="redesign_product")  # fmt: skip
    assert page["results"]["all"]["redesign_product"] == table["after"].tolist()

