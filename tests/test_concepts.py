"""Tests for crmkit.concepts: the taxonomy every other module reads."""

import dataclasses
import doctest
import re

import pytest

from crmkit import concepts as c

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# The keys and their order are a contract with the generator: do not edit these
# lists to make a test pass; a change here must be agreed with every module.
EXPECTED_KEYS = {
    "STRATEGIES": (
        "people", "process", "product_service", "organisation", "customer_analysis",
        "cost_analysis", "performance_focus", "staff_training", "relationship_schemes",
        "social_events",
    ),
    "RELATIONSHIP_TYPES": (
        "transactional", "long_term", "personal_assistance", "dedicated_assistance",
        "self_service", "automated_services", "community",
    ),
    "LIFECYCLE_STAGES": ("exploration", "awareness", "expansion", "commitment", "dissolution"),
    "SATISFACTION_COMPONENTS": ("product", "peripheral", "atmosphere", "psychological"),
    "DISSOLUTION_REASONS": (
        "needs_changed", "dissatisfaction", "better_brand", "low_volume", "fraud",
    ),
    "CUSTOMER_FLOW": (
        "acquisition", "satisfied", "retention", "dissatisfied", "defection", "win_back",
    ),
    "ORIGINS": ("new_to_business", "new_to_product", "won_back"),
    "RETENTION_PROCESS": ("discovery", "evaluation", "strategy_setting", "opinion_research"),
    "DEVELOPMENT_STAGES": (
        "customer_discovery", "customer_validation", "customer_creation", "company_building",
    ),
    "RETENTION_STRATEGIES": (
        "more_value", "loyalty_rewards", "promotions", "penalties", "switching_costs",
        "exit_costs",
    ),
    "WHOM_TO_RETAIN": ("committed", "satisfied", "innovators", "profitable"),
    "ACQUISITION_TARGETS": ("brand_new", "lapsed"),
    "WINBACK_OFFERS": ("better_price", "free_maintenance", "extra_benefits"),
    "ACQUISITION_TOOLS": ("lead_management", "campaign_management", "marketing", "crm_analytics"),
    "RETENTION_TOOLS": (
        "campaign_management", "data_mining", "event_based_marketing", "channel_integration",
        "market_optimisation",
    ),
    "TERMINATION_CRITERIA": (
        "serial_complainer", "late_payer", "destructive", "deal_seeker", "unprofitable",
    ),
    "TERMINATION_METHODS": ("raise_price", "redesign_product", "unbundle_offer"),
    "LEVERS": ("satisfy", "optimise_experience", "develop_engagement"),
    "VIGILANCE_POINTS": (
        "omnichannel_consistency", "every_touchpoint", "proportionate_mastery",
        "satisfaction_survey",
    ),
    "LOYALTY_CHALLENGES": (
        "revenue_per_account", "profitable_customers", "portfolio_erosion", "social_crm",
    ),
    "LOYALTY_KPIS": (
        "defections", "complaints", "positive_feedback", "focus_group_reports",
        "care_staff_feedback", "complaint_handling", "cash_collection",
    ),
    "CULTURE_PRACTICES": (
        "manage_experience", "reward_retention", "goals_accountability", "job_descriptions",
        "leadership_behaviour", "customer_skills",
    ),
    "MARKET_FORCES": (
        "changing_needs", "innovation", "total_involvement", "attrition_signals",
        "continuous_research", "communication", "market_dynamics",
    ),
    "IMPROVEMENT_ACTIONS": (
        "follow_up", "tell_customers", "personal_notes", "personal_contact",
        "special_occasions", "useful_information",
    ),
    "ADMIN_ACTIONS": (
        "keep_database_current", "understand_concerns", "internal_communication",
        "investigate_problems", "public_relations",
    ),
    "LOYALTY_LADDER": ("prospect", "customer", "client", "supporter", "advocate", "partner"),
    "RFM_SEGMENTS": (
        "champions", "loyal", "potential", "new", "at_risk", "hibernating", "lost",
    ),
    "CHANNELS": ("shop", "web", "app", "email", "phone", "social"),
    "ACQUISITION_CHANNELS": (
        "shop", "web", "app", "email", "phone", "social", "referral", "community_event",
    ),
    "TOUCHPOINTS": (
        "sales", "customer_service", "technical_help", "marketing_communication",
        "shop_floor", "after_sales", "billing", "delivery",
    ),
    "TEAMS": (
        "sales", "customer_service", "technical_help", "marketing_communication",
        "shop_floor", "after_sales", "billing", "delivery",
    ),
    "INTERACTION_KINDS": (
        "complaint", "inquiry", "positive_feedback", "technical_request", "follow_up",
        "newsletter", "personal_note", "personal_call", "special_occasion",
        "useful_information", "payment_reminder", "suggestion", "referral", "care_feedback",
    ),
    "INTERACTION_OUTCOMES": ("resolved", "escalated", "unresolved", "no_action"),
    "STAFF_ROLES": ("frontline", "specialist", "supervisor", "manager", "director"),
    "PRODUCT_CATEGORIES": ("starter", "core", "premium", "add_on", "service_plan", "bundle"),
    "CAMPAIGN_TYPES": (
        "acquisition", "win_back", "retention", "cross_sell", "event_based", "social_event",
    ),
    "SURVEY_METHODS": ("post_interaction", "relationship", "focus_group"),
    "OFFICES": ("front", "back"),
}

# Column kind -> the tuple its keys must come from (None: a plain tuple of str).
CATEGORY_SOURCES = {
    "relationship_type": "RELATIONSHIP_TYPES",
    "lifecycle_stage": "LIFECYCLE_STAGES",
    "origin": "ORIGINS",
    "channel": "CHANNELS",
    "acquisition_channel": "ACQUISITION_CHANNELS",
    "touchpoint": "TOUCHPOINTS",
    "office": "OFFICES",
    "kind": "INTERACTION_KINDS",
    "outcome": "INTERACTION_OUTCOMES",
    "role": "STAFF_ROLES",
    "team": "TEAMS",
    "category": "PRODUCT_CATEGORIES",
    "campaign_type": "CAMPAIGN_TYPES",
    "method": "SURVEY_METHODS",
    "dissolution_reason": "DISSOLUTION_REASONS",
    "loyalty_rung": "LOYALTY_LADDER",
    "segment": "RFM_SEGMENTS",
    "strategy": "STRATEGIES",
    "component": "SATISFACTION_COMPONENTS",
}

# Terms the sources print in their own language: (language field, exact text).
SOURCE_TERMS = [
    ("pl", "zatrzymanie klienta"),
    ("pl", "drabina lojalności"),
    ("fa", "وفاداری مشتری"),
    ("ru", "точки соприкосновения"),
    ("fi", "Etsintä"),
    ("fi", "Tietoisuus"),
    ("fi", "Laajennus"),
    ("fi", "Sitoutuminen"),
    ("fi", "Liukeneminen"),
    ("fi", "Tapahtuma-"),
    ("fi", "Pitkäaikainen"),
    ("fi", "Henkilökohtainen avustaja"),
    ("fi", "Omistettu henkilökohtainen avustaja"),
    ("fi", "Itsepalvelu"),
    ("fi", "Automaattiset palvelut"),
    ("fi", "Yhteisö"),
    ("pl", "Ludzie"),
    ("pl", "Proces"),
    ("pl", "Produkt / Usługa"),
    ("pl", "Organizacja"),
    ("pl", "Analiza klienta"),
    ("pl", "Analiza kosztów"),
    ("pl", "Koncentracja na wydajności"),
    ("pl", "Szkolenie dla pracowników łańcucha dostaw"),
    ("pl", "Udział w wydarzeniach społecznych"),
]

ALL_TUPLES = sorted(c.TAXONOMY)
TERM_LANGUAGES = ("en", "pl", "fa", "ru", "fi")


def _term(key):
    return c.by_key(c.GLOSSARY, key)


# -- keys --------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_TUPLES)
def test_keys_are_unique_and_snake_case(name):
    found = c.keys(c.TAXONOMY[name])
    assert len(found) == len(set(found)), f"{name} has duplicate keys: {found}"
    bad = [k for k in found if not SNAKE.match(k)]
    assert not bad, f"{name}: keys not in snake_case: {bad}"


@pytest.mark.parametrize("name", sorted(EXPECTED_KEYS))
def test_exact_keys_and_order(name):
    assert c.keys(getattr(c, name)) == EXPECTED_KEYS[name]


def test_the_four_core_taxonomies_have_the_right_sizes():
    assert len(c.STRATEGIES) == 10
    assert len(c.RELATIONSHIP_TYPES) == 7
    assert len(c.LIFECYCLE_STAGES) == 5
    assert len(c.SATISFACTION_COMPONENTS) == 4


def test_taxonomy_registry_lists_every_public_tuple():
    public_tuples = {
        name for name in c.__all__
        if isinstance(getattr(c, name), tuple)
        and getattr(c, name) and isinstance(getattr(c, name)[0], c.Concept)
    }
    assert public_tuples == set(c.TAXONOMY)
    for name, concepts in c.TAXONOMY.items():
        assert concepts is getattr(c, name)


# -- CATEGORIES --------------------------------------------------------------


def test_categories_cover_the_required_column_kinds():
    missing = (set(CATEGORY_SOURCES) | {"gender"}) - set(c.CATEGORIES)
    assert not missing


@pytest.mark.parametrize("kind", sorted(CATEGORY_SOURCES))
def test_category_matches_its_tuple(kind):
    assert c.CATEGORIES[kind] == c.keys(getattr(c, CATEGORY_SOURCES[kind]))


def test_every_category_is_a_tuple_of_unique_snake_case_keys():
    for kind, values in c.CATEGORIES.items():
        assert isinstance(values, tuple), kind
        assert len(values) == len(set(values)), kind
        assert all(SNAKE.match(v) for v in values), kind


def test_office_and_gender_categories():
    assert c.CATEGORIES["office"] == ("front", "back")
    assert c.CATEGORIES["gender"] == ("female", "male")


# -- concepts ----------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_TUPLES)
def test_every_concept_is_complete(name):
    for concept in c.TAXONOMY[name]:
        assert isinstance(concept, c.Concept)
        assert concept.name.strip(), concept.key
        assert concept.description.strip(), concept.key
        assert concept.description.rstrip().endswith("."), concept.key
        assert concept.source in c.SOURCES, (concept.key, concept.source)
        assert concept.trace.strip(), f"{name}.{concept.key} has no trace"


def test_allowed_sources():
    assert set(c.SOURCES) == {"000 (pl)", "001 (fa)", "002 (fa)", "003 (ru)", "004 (fi)", "kit"}


def test_concepts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.STRATEGIES[0].key = "staff"


def test_groups():
    def groups(concepts):
        return {x.key: x.group for x in concepts}

    assert groups(c.DISSOLUTION_REASONS) == {
        "needs_changed": "customer", "dissatisfaction": "customer",
        "better_brand": "customer", "low_volume": "supplier", "fraud": "supplier",
    }
    assert groups(c.RETENTION_STRATEGIES) == {
        "more_value": "positive", "loyalty_rewards": "positive", "promotions": "positive",
        "penalties": "negative", "switching_costs": "negative", "exit_costs": "negative",
    }
    front = {k for k, g in groups(c.TOUCHPOINTS).items() if g == "front"}
    back = {k for k, g in groups(c.TOUCHPOINTS).items() if g == "back"}
    assert front == {
        "sales", "customer_service", "technical_help", "marketing_communication", "shop_floor",
    }
    assert back == {"after_sales", "billing", "delivery"}
    assert groups(c.TEAMS) == groups(c.TOUCHPOINTS)
    assert set(groups(c.TOUCHPOINTS).values()) == set(c.CATEGORIES["office"])


def test_strategy_sources_and_traces():
    assert {s.source for s in c.STRATEGIES} == {"000 (pl)"}
    assert c.by_key(c.STRATEGIES, "cost_analysis").trace.startswith("transactions.cost")
    assert "social_event" in c.by_key(c.STRATEGIES, "social_events").trace


def test_source_of_the_other_core_taxonomies():
    assert {x.source for x in c.RELATIONSHIP_TYPES} == {"004 (fi)"}
    assert {x.source for x in c.LIFECYCLE_STAGES} == {"004 (fi)"}
    assert {x.source for x in c.SATISFACTION_COMPONENTS} == {"000 (pl)"}
    assert {x.source for x in c.LOYALTY_KPIS} == {"001 (fa)"}
    assert {x.source for x in c.LEVERS} == {"003 (ru)"}


def test_kit_additions_say_so():
    assert {x.source for x in c.LOYALTY_LADDER} == {"kit"}
    assert all("Christopher, Payne & Ballantyne (1991)" in x.description
               for x in c.LOYALTY_LADDER)
    assert {x.source for x in c.RFM_SEGMENTS} == {"kit"}
    assert c.by_key(c.TERMINATION_CRITERIA, "unprofitable").source == "kit"
    assert {x.source for x in c.TERMINATION_CRITERIA[:4]} == {"002 (fa)"}


def test_atmosphere_names_its_tangible_and_intangible_parts():
    text = c.by_key(c.SATISFACTION_COMPONENTS, "atmosphere").description.lower()
    for word in ("tangible", "intangible", "price", "aesthetic", "services",
                 "cooperative", "courtesy"):
        assert word in text, word


def test_interaction_kinds_trace_the_concept_they_serve():
    def trace(key):
        return c.by_key(c.INTERACTION_KINDS, key).trace

    assert "tell_customers" in trace("newsletter")
    assert "innovators" in trace("suggestion")
    assert "develop_engagement" in trace("suggestion")
    assert "develop_engagement" in trace("referral")
    assert "care_staff_feedback" in trace("care_feedback")


def test_interaction_kind_traces_name_real_keys():
    # "IMPROVEMENT_ACTIONS tell_customers" must point at an existing concept.
    pattern = re.compile(r"\b([A-Z][A-Z_]+) ([a-z_]+)")
    for kind in c.INTERACTION_KINDS:
        pairs = pattern.findall(kind.trace)
        assert pairs, kind.key
        for tuple_name, key in pairs:
            assert key in c.keys(c.TAXONOMY[tuple_name]), (kind.key, tuple_name, key)


def test_reichheld():
    r = c.REICHHELD
    assert (r.retention_rise, r.cost_per_policy_drop) == (0.05, 0.18)
    assert r.industry == "life insurance"
    assert r.source == "001 (fa)"
    assert "Reichheld" in r.who
    assert "Bain" in r.who


# -- score bands: one definition of satisfied, exceeded, promoter ------------


@pytest.mark.parametrize(
    ("bands", "scale"), [(c.SATISFACTION_BANDS, range(1, 8)), (c.NPS_BANDS, range(0, 11))]
)
def test_score_bands_partition_their_scale(bands, scale):
    for score in scale:
        holders = [b.key for b in bands if score in b]
        assert len(holders) == 1, (score, holders)
    assert bands[0].low == scale[0] and bands[-1].high == scale[-1]
    for lower, upper in zip(bands, bands[1:], strict=False):
        assert lower.low <= lower.high < upper.low == lower.high + 1
    for band in bands:
        assert SNAKE.match(band.key) and band.description.endswith(".")
        assert band.source in c.SOURCES


def test_band_thresholds_and_labels():
    assert [b.key for b in c.SATISFACTION_BANDS] == ["dissatisfied", "satisfied", "exceeded"]
    assert (c.SATISFIED_MIN, c.EXCEEDED_MIN) == (6, 7)
    assert (c.DETRACTOR_MAX, c.PROMOTER_MIN) == (6, 9)
    assert [b.label for b in c.SATISFACTION_BANDS] == [
        "Dissatisfied (1-5)", "Satisfied (6)", "Expectations exceeded (7)"]
    # the flow's satisfied/dissatisfied split at the same threshold
    flow = {x.key: x.trace for x in c.CUSTOMER_FLOW}
    assert "6 or 7" in flow["satisfied"] and "1 to 5" in flow["dissatisfied"]


# A hand-made set of six answers. By hand: overall 7 | 6 6 | 5 4 3, so bands
# exceeded 1, satisfied 2, dissatisfied 3 and CSAT 3/6; recommendation 10 9 |
# 8 7 | 6 0, so two promoters, two detractors and NPS 0.
_ANSWERS = {"customer_id": [1, 2, 3, 4, 5, 6], "overall": [7, 6, 6, 5, 4, 3],
            "nps": [10, 9, 8, 7, 6, 0]}


def test_metrics_read_the_satisfaction_bands():
    import pandas as pd

    from crmkit.metrics.satisfaction import csat, nps, nps_table, satisfaction_band

    answers = pd.DataFrame(_ANSWERS)
    bands = satisfaction_band(answers)
    assert bands.tolist() == ["exceeded", "satisfied", "satisfied", "dissatisfied",
                              "dissatisfied", "dissatisfied"]
    assert bands.cat.categories.tolist() == [b.key for b in c.SATISFACTION_BANDS]
    assert bands.value_counts().to_dict() == {"dissatisfied": 3, "satisfied": 2, "exceeded": 1}
    assert csat(answers) == 0.5
    assert csat(answers) == bands.isin(["satisfied", "exceeded"]).mean()
    assert nps(answers) == 0.0
    table = nps_table(answers)
    assert table[["promoters", "passives", "detractors"]].iloc[0].tolist() == [
        2 / 6, 2 / 6, 2 / 6]
    assert satisfaction_band([5.49, 5.5, 6.49, 6.5]).tolist() == [
        "dissatisfied", "satisfied", "satisfied", "exceeded"]
    with pytest.raises(ValueError, match="1-7"):
        satisfaction_band([0, 6])


def test_customer_flow_and_ladder_read_the_satisfied_threshold():
    import pandas as pd

    from crmkit.metrics.lifecycle import lifecycle_flow
    from crmkit.metrics.value import loyalty_ladder

    # latest answers by hand: customer 1 answered 5 then 7 (exceeded), 2 a 6
    # (satisfied), 3 a 5 (dissatisfied): satisfied 2, dissatisfied 1.
    day = pd.Timestamp("2024-01-01")
    customers = pd.DataFrame({"customer_id": [1, 2, 3], "signup_date": [day] * 3,
                              "lifecycle_stage": ["expansion"] * 3})
    history = pd.DataFrame({"customer_id": [1, 2, 3], "stage": ["exploration"] * 3,
                            "start_date": [day] * 3, "end_date": [pd.NaT] * 3})
    surveys = pd.DataFrame({
        "customer_id": [1, 1, 2, 3],
        "date": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-02-01", "2024-02-01"]),
        "overall": [5, 7, 6, 5], "nps": [5, 5, 5, 5]})
    flow = lifecycle_flow(customers, history, surveys=surveys, as_of="2024-06-30")
    flow = flow.set_index("step")["customers"]
    assert (flow["satisfied"], flow["dissatisfied"]) == (2, 1)
    # two purchases each: satisfied customers climb to supporter, the others stay clients
    buys = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3, 3],
                         "date": pd.to_datetime(["2024-01-05", "2024-01-20"] * 3)})
    ladder = loyalty_ladder(customers, buys, surveys=surveys, stage_col=None)
    assert ladder["rung"].astype(str).tolist() == ["supporter", "supporter", "client"]


# -- helpers -----------------------------------------------------------------


def test_by_key_finds_concepts_and_terms():
    assert c.by_key(c.LIFECYCLE_STAGES, "commitment").name == "Commitment"
    assert c.by_key(c.GLOSSARY, "retention").pl == "zatrzymanie klienta"


def test_by_key_names_the_bad_key_and_the_valid_ones():
    with pytest.raises(ValueError, match="unknown key 'foo'") as info:
        c.by_key(c.LIFECYCLE_STAGES, "foo")
    message = str(info.value)
    assert message.startswith("by_key:")
    assert "'exploration', 'awareness', 'expansion', 'commitment', 'dissolution'" in message


def test_by_key_type_errors():
    with pytest.raises(TypeError, match="must be a str"):
        c.by_key(c.STRATEGIES, 3)
    with pytest.raises(TypeError, match="CATEGORIES holds plain keys"):
        c.by_key(c.CATEGORIES["strategy"], "people")


def test_keys_and_labels():
    assert c.keys(c.OFFICES) == ("front", "back")
    assert c.labels(c.OFFICES) == {"front": "Front office", "back": "Back office"}
    with pytest.raises(TypeError):
        c.keys("people")


def test_concept_frame():
    frame = c.concept_frame(c.STRATEGIES)
    assert frame.shape == (10, 6)
    assert frame.columns.tolist() == ["key", "name", "description", "source", "trace", "group"]
    assert frame["key"].tolist() == list(EXPECTED_KEYS["STRATEGIES"])


def test_docstring_examples_run():
    result = doctest.testmod(c, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# -- glossary ----------------------------------------------------------------


def test_glossary_size_and_unique_keys():
    found = c.keys(c.GLOSSARY)
    assert len(found) >= 40
    assert len(found) == len(set(found))
    assert all(SNAKE.match(k) for k in found)


def test_every_glossary_field_is_filled():
    for term in c.GLOSSARY:
        for field in dataclasses.fields(c.Term):
            value = getattr(term, field.name)
            assert isinstance(value, str), (term.key, field.name)
            if field.name != "source_terms":  # only where a source has a word of its own
                assert value.strip(), (term.key, field.name)


def test_source_terms_name_a_source_of_the_term_and_quote_in_guillemets():
    # The words themselves are checked against the source texts in tests/test_sources.py.
    recorded = [t for t in c.GLOSSARY if t.source_terms]
    assert {t.key for t in recorded} >= {"lead_management", "defection"}
    for term in recorded:
        for part in re.split(r"; (?=\d{3} \()", term.source_terms):
            code = part.split(": ", 1)[0]
            assert code in term.source.split(", "), (term.key, code)
            assert re.search(r"«[^»]+»", part), (term.key, part)


def test_terms_that_must_read_differently():
    # Stage 4 and lever 3 must not share a Polish word (000 uses "zaangażowanie" for
    # employee involvement); customer creation is not acquisition in Russian.
    commitment, engagement = _term("commitment"), _term("develop_engagement")
    assert commitment.pl.casefold() != engagement.pl.casefold()
    assert "zaangażowani" not in (commitment.pl + engagement.pl).casefold()
    assert "привлечени" not in _term("customer_creation").ru.casefold()
    assert _term("customer_creation").ru != _term("acquisition").ru


def test_glossary_sources_are_known():
    for term in c.GLOSSARY:
        parts = term.source.split(", ")
        assert all(p in c.SOURCES for p in parts), (term.key, term.source)


@pytest.mark.parametrize(("language", "text"), SOURCE_TERMS)
def test_glossary_quotes_the_sources_verbatim(language, text):
    values = [getattr(t, language) for t in c.GLOSSARY]
    assert any(text in v for v in values), f"{text!r} not in any {language} term"


def test_specific_source_terms_sit_on_the_right_keys():
    assert _term("retention").pl == "zatrzymanie klienta"
    assert _term("loyalty_ladder").pl == "drabina lojalności"
    assert _term("customer_loyalty").fa == "وفاداری مشتری"
    assert _term("touchpoints").ru == "точки соприкосновения"
    stages_fi = ("Etsintä", "Tietoisuus", "Laajennus", "Sitoutuminen", "Liukeneminen")
    assert tuple(_term(k).fi for k in EXPECTED_KEYS["LIFECYCLE_STAGES"]) == stages_fi
    types_fi = ("Tapahtuma-", "Pitkäaikainen", "Henkilökohtainen avustaja",
                "Omistettu henkilökohtainen avustaja", "Itsepalvelu",
                "Automaattiset palvelut", "Yhteisö")
    for key, fi in zip(EXPECTED_KEYS["RELATIONSHIP_TYPES"], types_fi, strict=True):
        assert _term(key).fi.startswith(fi), (key, _term(key).fi)


@pytest.mark.parametrize(
    "key",
    EXPECTED_KEYS["LIFECYCLE_STAGES"] + EXPECTED_KEYS["RELATIONSHIP_TYPES"]
    + EXPECTED_KEYS["STRATEGIES"] + EXPECTED_KEYS["LEVERS"],
)
def test_core_concepts_have_a_glossary_term(key):
    assert key in c.keys(c.GLOSSARY)


def test_glossary_covers_the_required_terms():
    required = {
        "customer_relationship", "relationship_marketing", "crm", "retention", "acquisition",
        "defection", "win_back", "loyalty", "customer_loyalty", "loyalty_ladder",
        "customer_satisfaction", "product_satisfaction", "peripheral_satisfaction",
        "atmosphere_satisfaction", "psychological_satisfaction", "touchpoints", "omnichannel",
        "nps", "clv", "kpi", "churn", "complaint", "cross_selling", "event_based_marketing",
        "switching_costs", "value_engineering",
    }
    assert required <= set(c.keys(c.GLOSSARY))


def test_persian_is_in_persian_script():
    for term in c.GLOSSARY:
        assert ARABIC_SCRIPT.search(term.fa), (term.key, term.fa)
        # Persian keheh and farsi yeh, not the Arabic kaf and yeh.
        assert "\u0643" not in term.fa, (term.key, term.fa)
        assert "\u064a" not in term.fa, (term.key, term.fa)


def test_russian_is_in_cyrillic():
    for term in c.GLOSSARY:
        assert CYRILLIC.search(term.ru), (term.key, term.ru)


def test_other_languages_are_not_in_the_wrong_script():
    for term in c.GLOSSARY:
        for language in ("en", "pl", "fi"):
            value = getattr(term, language)
            assert not CYRILLIC.search(value), (term.key, language)
            assert not ARABIC_SCRIPT.search(value), (term.key, language)


def test_glossary_frame():
    frame = c.glossary_frame()
    assert frame.shape == (len(c.GLOSSARY), 9)
    assert frame.columns.tolist() == ["key", "en", "pl", "fa", "ru", "fi", "definition",
                                      "source", "source_terms"]
    assert frame["key"].is_unique
    assert not frame.isna().any().any()
    assert frame.set_index("key").loc["loyalty_ladder", "pl"] == "drabina lojalności"


def test_concepts_module_does_not_import_pandas_eagerly():
    # Load concepts.py on its own (not through crmkit/__init__, which may import pandas).
    import subprocess
    import sys

    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('concepts', {c.__file__!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['concepts'] = module\n"
        "spec.loader.exec_module(module)\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
