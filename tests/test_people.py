"""Tests for crmkit.people: transliteration, locales, pools, e-mails, determinism."""

import hashlib
import importlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from faker.generator import random as faker_global_random
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.people import (
    EMAIL_DOMAINS,
    SUPPORTED_LOCALES,
    check_locale,
    make_people,
    transliterate,
)

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["first_name", "last_name", "gender", "email", "city"]
EMAIL = re.compile(
    r"(?P<first>[a-z]+)\.(?P<last>[a-z]+)(?P<number>[0-9]{2,})@(?P<domain>[a-z0-9.-]+)"
)
RESERVED = {"example.com", "example.net", "example.org"}
PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def faker_names(locale, attribute):
    """A Faker provider list (tuple or weighted dict) as a set, Persian letters normalised."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return {name.translate(PERSIAN_LETTERS) for name in getattr(provider, attribute)}


def feminine(surname):
    return surname[:-1] + "a" if surname.endswith(("ski", "cki", "dzki")) else surname


@pytest.fixture(scope="module", params=SUPPORTED_LOCALES)
def people(request):
    rng = np.random.default_rng(7)
    return request.param, make_people(20_000, locale=request.param, random_state=rng)


# --- transliterate ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # Polish: ł is not an accented l for Unicode, it needs the table.
        ("Łukasz", "pl_PL", "lukasz"),
        ("Żółć", "pl_PL", "zolc"),
        ("Łukasz Żółć", "pl_PL", "lukaszzolc"),
        ("Zażółć gęślą jaźń", "pl_PL", "zazolcgeslajazn"),
        # Finnish and Swedish letters decompose into letter + accent.
        ("Mäkinen", "fi_FI", "makinen"),
        ("Hämäläinen", "fi_FI", "hamalainen"),
        ("Åkerlund", "fi_FI", "akerlund"),
        ("Anna-Liisa", "fi_FI", "annaliisa"),
        ("O'Brien", "en_US", "obrien"),
        ("Straße", "en_US", "strasse"),
        # Russian: щ shch, ю yu, я ya, ж zh, х kh, ц ts, ё e, ъ and ь dropped, ы y, э e, й y.
        ("Щукин", "ru_RU", "shchukin"),
        ("Юлия", "ru_RU", "yuliya"),
        ("Жанна", "ru_RU", "zhanna"),
        ("Хрущёв", "ru_RU", "khrushchev"),
        ("Цыганкова", "ru_RU", "tsygankova"),
        ("Подъячев", "ru_RU", "podyachev"),
        ("Эмиль", "ru_RU", "emil"),
        ("Йошкар-Ола", "ru_RU", "yoshkarola"),
        # Persian: consonants and long vowels only (short vowels are not written).
        ("محمد", "fa_IR", "mhmd"),  # م m, ح h, م m, د d
        ("علی", "fa_IR", "ly"),  # ع dropped, ل l, ی y
        ("علي", "fa_IR", "ly"),  # Arabic yeh, same as Persian
        ("ژاله", "fa_IR", "zhalh"),
        ("قاسم", "fa_IR", "ghasm"),
        ("خسرو", "fa_IR", "khsrv"),
        ("پوریا", "fa_IR", "pvrya"),
        ("چنگیز", "fa_IR", "chngyz"),
        ("غلامرضا", "fa_IR", "ghlamrza"),
        ("پائیز", "fa_IR", "payyz"),  # ئ y
        ("رضا زاده", "fa_IR", "rzazadh"),  # space dropped
        ("نیک\u200cنام", "fa_IR", "nyknam"),  # zero-width non-joiner dropped
        ("۱۴۰۲", "fa_IR", "1402"),  # Persian digits
        ("٤٥", "fa_IR", "45"),  # Arabic-Indic digits
        # Nothing to keep: empty, the caller decides on a fallback.
        ("張偉", "en_US", ""),
    ],
)
def test_transliterate_by_hand(text, locale, expected):
    assert transliterate(text, locale) == expected


def test_transliterate_accepts_short_codes_and_other_scripts():
    assert transliterate("Щукин", "ru") == "shchukin"
    # Each script keeps its own table whatever the locale.
    assert transliterate("Щукин", "fi_FI") == "shchukin"


def test_transliterate_rejects_non_strings():
    with pytest.raises(TypeError, match="transliterate"):
        transliterate(42, "en_US")
    with pytest.raises(ValueError, match="transliterate: locale 'xx'"):
        transliterate("Anna", "xx")


# --- check_locale -----------------------------------------------------------


def test_check_locale_type_error():
    with pytest.raises(TypeError, match=r"make_people: `locale` must be a string.*got int \(3\)"):
        check_locale(3)


def test_check_locale_value_error_lists_supported():
    with pytest.raises(ValueError) as excinfo:
        check_locale("de_DE", func="make_world")
    assert str(excinfo.value) == (
        "make_world: locale 'de_DE' is not supported; "
        "choose one of 'en_US', 'pl_PL', 'fa_IR', 'ru_RU', 'fi_FI'."
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [("en", "en_US"), ("pl", "pl_PL"), ("fa", "fa_IR"), ("ru", "ru_RU"), ("fi", "fi_FI"),
     ("fi_FI", "fi_FI"), ("en-US", "en_US"), ("PL_pl", "pl_PL")],
)  # fmt: skip
def test_check_locale_accepts_codes(given, expected):
    assert check_locale(given) == expected


def test_make_people_names_itself_in_locale_errors():
    with pytest.raises(ValueError, match="^make_people: locale 'de_DE' is not supported"):
        make_people(5, locale="de_DE", random_state=np.random.default_rng(0))


# --- make_people: shape, genders, names -------------------------------------


def test_columns_lengths_and_types(people):
    _, p = people
    assert list(p) == COLUMNS
    for column in COLUMNS:
        assert p[column].shape == (20_000,)
        assert p[column].dtype == object
        assert all(isinstance(value, str) and value for value in p[column])


def test_genders(people):
    _, p = people
    assert set(p["gender"]) == {"female", "male"}
    assert 0.47 < np.mean(p["gender"] == "female") < 0.53


def test_first_names_agree_with_gender(people):
    locale, p = people
    female = p["gender"] == "female"
    assert set(p["first_name"][female]) <= faker_names(locale, "first_names_female")
    assert set(p["first_name"][~female]) <= faker_names(locale, "first_names_male")


def test_surnames_by_locale(people):
    locale, p = people
    female = p["gender"] == "female"
    women, men = set(p["last_name"][female]), set(p["last_name"][~female])
    if locale == "ru_RU":
        assert women <= faker_names(locale, "last_names_female")
        assert men <= faker_names(locale, "last_names_male")
        assert all(name.endswith("а") for name in women)  # Иванова
        assert all(name.endswith(("ов", "ев", "ин", "ий", "ой", "ых", "их")) for name in men)
    elif locale == "pl_PL":
        masculine = faker_names(locale, "male_last_names") | faker_names(
            locale, "unisex_last_names"
        )
        assert men <= masculine
        assert women <= {feminine(name) for name in masculine}
        assert not any(name.endswith(("ski", "cki", "dzki")) for name in women)
        assert any(name.endswith(("ska", "cka")) for name in women)
        assert any(name.endswith(("ski", "cki")) for name in men)
        ends_in_a = {g: np.mean(np.char.endswith(p["last_name"][p["gender"] == g].astype(str), "a"))
                     for g in ("female", "male")}  # fmt: skip
        assert ends_in_a["female"] > ends_in_a["male"] + 0.15
    else:  # one shared surname pool for both genders
        assert women | men <= faker_names(locale, "last_names")
        assert women == men


def test_names_keep_their_script(people):
    locale, p = people
    names = np.concatenate([p["first_name"], p["last_name"]])
    if locale == "ru_RU":
        assert all(re.fullmatch(r"[А-Яа-яЁё-]+", name) for name in names)
    elif locale == "fa_IR":
        assert all(re.fullmatch(r"[\u0600-\u06FF\u200c ]+", name) for name in names)
        assert not any(ch in name for name in names for ch in "يك")  # Persian ی and ک only
    else:
        assert all(re.fullmatch(r"[^\W\d_]+([ '-][^\W\d_]+)*", name) for name in names)


def test_cities(people):
    locale, p = people
    assert 1 < len(set(p["city"])) <= 100
    if locale == "ru_RU":  # no settlement type such as "г. " or "клх "
        assert not any(re.match(r"(г|п|к|с|д|ст)\.|клх ", city) for city in p["city"])
    if locale == "fa_IR":
        assert all(re.fullmatch(r"[\u0600-\u06FF\u200c ]+", city) for city in p["city"])


def test_pool_size_bounds_the_variety():
    p = make_people(5_000, locale="en_US", random_state=np.random.default_rng(1), pool_size=5)
    for gender in ("female", "male"):
        rows = p["gender"] == gender
        assert len(set(p["first_name"][rows])) <= 5
    assert len(set(p["last_name"])) <= 5  # en_US: one shared pool of 5 draws


# --- e-mails ----------------------------------------------------------------


def test_emails_come_from_the_persons_name(people):
    locale, p = people
    domains = set(EMAIL_DOMAINS[locale])
    assert all(d in RESERVED or d.endswith(".example") for d in domains)
    for first, last, email in zip(p["first_name"], p["last_name"], p["email"], strict=True):
        assert email.isascii()
        match = EMAIL.fullmatch(email)
        assert match, email
        assert match["first"] == (transliterate(first, locale) or "customer")
        assert match["last"] == (transliterate(last, locale) or "customer")
        assert match["domain"] in domains
    assert len(set(p["email"])) == len(p["email"])


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_emails_unique_for_200k(locale):
    email = make_people(200_000, locale=locale, random_state=np.random.default_rng(3))["email"]
    assert len(set(email)) == 200_000


def test_emails_unique_when_everyone_has_the_same_name():
    # pool_size=1: one woman's and one man's name, so only the number can differ,
    # and 40_000 people do not fit in the 2-4 digit numbers.
    p = make_people(40_000, locale="ru_RU", random_state=np.random.default_rng(4), pool_size=1)
    assert len(set(p["first_name"])) == 2
    assert len(set(p["email"])) == 40_000
    numbers = [int(EMAIL.fullmatch(e)["number"]) for e in p["email"]]
    assert min(numbers) >= 10 and max(numbers) >= 10_000


def test_email_domain_pool():
    rng = np.random.default_rng(0)
    one = make_people(50, random_state=rng, email_domain_pool="crm.example")["email"]
    assert all(e.endswith("@crm.example") for e in one)
    two = make_people(500, random_state=rng, email_domain_pool=["a.example", "b.example"])["email"]
    assert {e.split("@")[1] for e in two} == {"a.example", "b.example"}


# --- determinism ------------------------------------------------------------


def digest(p):
    text = "\n".join("\t".join(map(str, p[column])) for column in COLUMNS)
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_same_people():
    for locale in SUPPORTED_LOCALES:
        a = make_people(1_000, locale=locale, random_state=np.random.default_rng(11))
        b = make_people(1_000, locale=locale, random_state=np.random.default_rng(11))
        for column in COLUMNS:
            assert np.array_equal(a[column], b[column])


def test_different_seed_or_later_call_different_people():
    rng = np.random.default_rng(11)
    first = make_people(1_000, random_state=rng)
    again = make_people(1_000, random_state=rng)  # the Generator has moved on
    other = make_people(1_000, random_state=np.random.default_rng(12))
    assert not np.array_equal(first["email"], again["email"])
    assert not np.array_equal(first["email"], other["email"])
    assert not np.array_equal(first["first_name"], other["first_name"])
    # The Faker pools themselves come from the Generator, not from a fixed seed.
    pools = [set(make_people(2_000, pool_size=20, random_state=s)["first_name"])
             for s in (1, 2)]  # fmt: skip
    assert pools[0] != pools[1]


def test_same_people_in_a_fresh_process():
    code = (
        "import hashlib, numpy as np\n"
        "from crmkit.people import SUPPORTED_LOCALES, make_people\n"
        "cols = ['first_name', 'last_name', 'gender', 'email', 'city']\n"
        "for loc in SUPPORTED_LOCALES:\n"
        "    p = make_people(2_000, locale=loc, random_state=np.random.default_rng(5))\n"
        "    text = '\\n'.join('\\t'.join(map(str, p[c])) for c in cols)\n"
        "    print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    here = [digest(make_people(2_000, locale=loc, random_state=np.random.default_rng(5)))
            for loc in SUPPORTED_LOCALES]  # fmt: skip
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    for hash_seed in ("1", "2"):  # set iteration order must not matter
        env = {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
        assert out == here


def test_global_random_states_untouched():
    faker_state, python_state = faker_global_random.getstate(), random.getstate()
    make_people(100, locale="pl_PL", random_state=np.random.default_rng(0))
    assert faker_global_random.getstate() == faker_state
    assert random.getstate() == python_state


# --- argument errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n": 2.5}, TypeError, "`n` must be an int"),
        ({"n": True}, TypeError, "`n` must be an int"),
        ({"n": -1}, ValueError, "`n` must be 0 or more; got -1"),
        ({"random_state": 1.5}, TypeError, r"make_people: `random_state` must be None, an int"),
        ({"random_state": -1}, ValueError, r"make_people: `random_state` must be >= 0; got -1"),
        ({"pool_size": 0}, ValueError, "`pool_size` must be 1 or more"),
        ({"email_domain_pool": []}, ValueError, "is empty"),
        ({"email_domain_pool": ["gmail"]}, ValueError, "'gmail' in `email_domain_pool`"),
        ({"email_domain_pool": ["Example.COM"]}, ValueError, "lower-case"),
        ({"email_domain_pool": 5}, TypeError, "list of domain names"),
        ({"locale": 3}, TypeError, "`locale` must be a string"),
    ],
)
def test_argument_errors(kwargs, error, pattern):
    arguments = {"n": 10, "random_state": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=pattern):
        make_people(arguments.pop("n"), **arguments)


def test_zero_people():
    p = make_people(0, random_state=np.random.default_rng(0))
    assert list(p) == COLUMNS and all(p[c].shape == (0,) for c in COLUMNS)


# --- property -----------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 500),
    seed=st.integers(0, 2**64 - 1),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    pool_size=st.integers(1, 300),
)
def test_lengths_and_unique_emails(n, seed, locale, pool_size):
    p = make_people(n, locale=locale, random_state=np.random.default_rng(seed), pool_size=pool_size)
    assert all(len(p[column]) == n for column in COLUMNS)
    assert len(set(p["email"])) == n


def test_an_int_seed_is_the_generator_it_seeds():
    by_seed = make_people(50, locale="fi_FI", random_state=8)
    by_generator = make_people(50, locale="fi_FI", random_state=np.random.default_rng(8))
    for key in by_seed:
        assert list(by_seed[key]) == list(by_generator[key])
