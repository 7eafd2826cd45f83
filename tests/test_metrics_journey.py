"""crmkit.metrics.journey: a customer's journey as a table, the sample of customers, names."""

import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit import concepts
from crmkit.metrics.journey import (
    CONTACT_FAMILIES,
    customer_journey_table,
    customer_names,
    journey_sample,
    last_date,
)
from crmkit.plots import KIND_FAMILIES


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(600, random_state=11)


class _TinyWorld:
    """Two customers by hand: customer 1 has two spells, a purchase, a contact and a survey."""

    def __init__(self):
        T = pd.Timestamp
        self.customers = pd.DataFrame(
            {
                "customer_id": [1, 2],
                "first_name": ["Ada", None],
                "last_name": ["Byron", "Li"],
                "signup_date": [T("2024-01-05"), T("2024-02-01")],
                "relationship_type": ["transactional", "transactional"],
                "lifecycle_stage": ["awareness", "exploration"],
            }
        )
        self.stage_history = pd.DataFrame(
            {
                "customer_id": [1, 1, 2],
                "stage": ["exploration", "awareness", "exploration"],
                "start_date": [T("2024-01-05"), T("2024-02-10"), T("2024-02-01")],
                "end_date": [T("2024-02-10"), pd.NaT, pd.NaT],
                "reason": [None, None, None],
            }
        )
        self.transactions = pd.DataFrame(
            {
                "customer_id": [1],
                "date": [T("2024-02-10")],
                "amount": [25.5],
                "channel": ["online"],
                "category": ["groceries"],
            }
        )
        self.interactions = pd.DataFrame(
            {
                "customer_id": [1],
                "date": [T("2024-03-01")],
                "kind": ["complaint"],
                "touchpoint": ["billing"],
                "office": ["back"],
                "channel": ["phone"],
            }
        )
        self.surveys = pd.DataFrame(
            {
                "customer_id": [1],
                "date": [T("2024-03-20")],
                "method": ["post_interaction"],
                "touchpoint": ["billing"],
                "overall": [3],
            }
        )


def test_journey_table_by_hand():
    tiny = _TinyWorld()
    assert last_date(tiny) == pd.Timestamp("2024-03-20")  # the survey is the latest event
    j = customer_journey_table(tiny, 1)
    # same day: the stage change comes before the purchase (track order)
    assert j["track"].tolist() == ["stage", "stage", "purchase", "contact", "survey"]
    assert j["end_date"].iloc[0] == pd.Timestamp("2024-02-10")
    assert j["end_date"].iloc[1] == pd.Timestamp("2024-03-20")  # the open spell: to last_date
    assert j.loc[2, "amount"] == 25.5 and np.isnan(j.loc[3, "amount"])
    assert j.loc[3, "family"] == "complaint" and j.loc[3, "office"] == "back"
    assert j.loc[4, "score"] == 3.0 and "overall 3/7" in j.loc[4, "detail"]
    assert list(j.columns) == [
        "date", "end_date", "track", "kind", "family", "touchpoint", "office", "channel",
        "amount", "score", "detail",
    ]  # fmt: skip
    only = customer_journey_table(tiny, 2, as_of="2024-12-31")
    assert only["track"].tolist() == ["stage"]
    assert only["end_date"].iloc[0] == pd.Timestamp("2024-12-31")


def test_customer_names_by_hand():
    tiny = _TinyWorld()
    assert customer_names(tiny.customers).tolist() == ["Ada Byron", "Li"]


def test_journey_sample_is_varied_and_reproducible(world):
    a = journey_sample(world, 40)
    b = journey_sample(world, 40)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 40 and a["customer_id"].is_unique
    assert set(a["status"]) == {"active", "dissolved", "won back"}
    assert a["relationship_type"].nunique() == len(concepts.RELATIONSHIP_TYPES)
    first = a.iloc[0]
    assert first["label"].startswith(f"{first['customer_id']} · ")
    assert first["purchases"] >= 2 and first["contacts"] >= 3


def test_journey_sample_on_a_tiny_world_takes_what_there_is():
    tiny = crmkit.make_world(12, random_state=3)
    s = journey_sample(tiny, 40)
    assert 1 <= len(s) <= 12
    hand = journey_sample(_TinyWorld(), 5)
    assert hand["customer_id"].tolist() == [1, 2]  # the richer history first
    assert hand["status"].tolist() == ["active", "active"]
    assert hand["stage_changes"].tolist() == [1, 0]


def test_journey_table_holds_every_encounter(world):
    cid = int(journey_sample(world, 5)["customer_id"].iloc[0])
    j = customer_journey_table(world, cid)
    counts = j["track"].value_counts()
    assert counts["purchase"] == (world.transactions["customer_id"] == cid).sum()
    assert counts["contact"] == (world.interactions["customer_id"] == cid).sum()
    assert counts.get("survey", 0) == (world.surveys["customer_id"] == cid).sum()
    assert counts["stage"] == (world.stage_history["customer_id"] == cid).sum()
    assert j["date"].is_monotonic_increasing
    stages = j[j["track"] == "stage"]
    assert stages["end_date"].notna().all()  # the open spell ends at the data's end
    contacts = j[j["track"] == "contact"]
    assert contacts["family"].isin(list(CONTACT_FAMILIES)).all()


def test_contact_families_cover_every_kind_once_and_are_drawn():
    kinds = [k for _, ks in CONTACT_FAMILIES.values() for k in ks]
    assert sorted(kinds) == sorted(concepts.keys(concepts.INTERACTION_KINDS))
    assert list(KIND_FAMILIES) == list(CONTACT_FAMILIES)
    for fam, (label, _colour, _marker, ks) in KIND_FAMILIES.items():
        assert (label, ks) == CONTACT_FAMILIES[fam]


def test_journey_table_teaches_on_bad_ids(world):
    with pytest.raises(ValueError, match="no customer with customer_id"):
        customer_journey_table(world, 10**9)
    with pytest.raises(TypeError, match="whole number"):
        customer_journey_table(world, "12")
    with pytest.raises(TypeError, match="crmkit World"):
        journey_sample(world.customers)
    with pytest.raises(ValueError, match="whole number >= 1"):
        journey_sample(world, 0)


def test_journey_table_does_not_modify_the_world(world):
    before = world.transactions.copy()
    customer_journey_table(world, int(world.customers["customer_id"].iloc[0]))
    pd.testing.assert_frame_equal(world.transactions, before)
