"""Synthetic people (name, gender, e-mail, city) fast enough for a million rows.

Faker writes convincing names but needs tens of microseconds for each one, far
too slow for a million customers. So Faker only fills small **pools**:
``pool_size`` first names for each gender, ``pool_size`` surnames for each
gender (one shared pool where a locale's surnames have a single form), and 100
cities. numpy then draws, for every person, an index into each pool. Anything
derived from a name, such as its ASCII form for the e-mail address, is worked
out once for each pool entry, never once for each row.

A pool is a list of Faker draws made with replacement (one
``fake.random_elements`` call on the locale's name list), so a name that Faker
draws often (Faker weights en_US and fi_FI names by how common they are)
appears often in the pool too, and so in the data. E-mail addresses are joined
from per-pool strings as pandas ``"str"`` arrays (pyarrow where pandas uses it).

How each locale is handled in Faker 40.54.0, the pinned version:

- en_US, fa_IR, fi_FI: one surname list for both genders, so one shared pool.
- ru_RU: separate male and female surname lists (Иванов / Иванова).
  ``fake.city()`` adds a settlement type ("г.", "с.", "клх" ...), so cities
  come from ``fake.city_name()``, which has none.
- pl_PL: ``last_name_female()`` and ``last_name_male()`` both draw from a list
  that holds no -ski/-cki surname at all; the 200 most common Polish surnames
  (half of them -ski/-cki) are kept separately, in masculine form only. Each
  pool entry comes from either list with equal chance, and a woman's surname
  takes the feminine ending: Kowalski -> Kowalska, Zawadzki -> Zawadzka.
- fa_IR: Faker mixes the Arabic letters ي and ك with the Persian ی and ک,
  which makes two spellings of one name look identical; names and cities are
  written with the Persian letters.

Everything random comes from the caller's ``numpy.random.Generator``: it
seeds the one Faker instance of the call (``seed_instance``, never the global
``Faker.seed``) and draws every index, so the same Generator state gives the
same people, also in a fresh process.
"""

from __future__ import annotations

import functools
import importlib
import numbers
import re
import unicodedata

import numpy as np
import pandas as pd
from faker import Faker

from crmkit._checks import check_random_state

__all__ = ["EMAIL_DOMAINS", "SUPPORTED_LOCALES", "check_locale", "make_people", "transliterate"]

SUPPORTED_LOCALES: tuple[str, ...] = ("en_US", "pl_PL", "fa_IR", "ru_RU", "fi_FI")

CITY_POOL_SIZE = 100
_POOL_SIZE = 300  # default `pool_size` of make_people

# Free-mail style domains for each locale, all under names reserved for
# examples (RFC 2606): example.com/.net/.org and the .example top-level domain.
EMAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "en_US": ("example.com", "example.net", "example.org", "mail.example"),
    "pl_PL": ("example.com", "example.net", "poczta.example", "skrzynka.example"),
    "fa_IR": ("example.com", "example.org", "payam.example", "post.example"),
    "ru_RU": ("example.com", "example.org", "pochta.example", "yashchik.example"),
    "fi_FI": ("example.com", "example.net", "posti.example", "sahkoposti.example"),
}

_DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")

# Suffix digits: first a 2-4 digit number; a person whose address would repeat
# another's draws again from a longer range (5 digits, then 6, ...), which no
# earlier number can be in.
_FIRST_SUFFIX_RANGE = (10, 10_000)

# --- transliteration tables (lower case in, ASCII out) -------------------

_LATIN = {  # letters that NFKD does not split into an ASCII letter plus accents
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss",
    "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t",
}  # fmt: skip

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",  # Ukrainian letters, in case
}  # fmt: skip

_PERSIAN = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "a", "ٱ": "a", "ب": "b", "پ": "p",
    "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh",
    "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "v",
    "ؤ": "v", "ه": "h", "ة": "h", "ۀ": "h", "ی": "y", "ي": "y", "ئ": "y",
    "ى": "y", "ء": "",
    "\u200c": "", "\u200d": "", "\u0640": "",  # ZWNJ, ZWJ, tatweel
}  # fmt: skip
_PERSIAN.update({chr(0x064B + i): "" for i in range(8)})  # short-vowel marks
_PERSIAN.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰-۹
_PERSIAN.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠-٩

_SCRIPT_TABLE = {"ru_RU": _CYRILLIC, "fa_IR": _PERSIAN}
# The locale's own table wins; the other scripts' tables still apply, so a
# Russian name in a Finnish data set gets an ASCII form as well.
_TRANSLATE = {
    loc: str.maketrans({**_LATIN, **_CYRILLIC, **_PERSIAN, **_SCRIPT_TABLE.get(loc, {})})
    for loc in SUPPORTED_LOCALES
}

_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def check_locale(locale, *, func="make_people"):
    """Return the full name of a supported locale, or raise a helpful error.

    Parameters
    ----------
    locale : str
        One of :data:`SUPPORTED_LOCALES` or its short code (``"en"``, ``"pl"``,
        ``"fa"``, ``"ru"``, ``"fi"``). Case and ``-`` for ``_`` do not matter.
    func : str, default="make_people"
        Name of the calling function, used to start the error message.

    Returns
    -------
    str
        The full locale name, e.g. ``"pl_PL"``.

    Raises
    ------
    TypeError
        If `locale` is not a string.
    ValueError
        If `locale` is not supported; the message lists the supported ones.

    Examples
    --------
    >>> check_locale("pl")
    'pl_PL'
    >>> check_locale("de_DE", func="make_world")
    Traceback (most recent call last):
    ...
    ValueError: make_world: locale 'de_DE' is not supported; choose one of 'en_US', \
'pl_PL', 'fa_IR', 'ru_RU', 'fi_FI'.
    """
    if not isinstance(locale, str):
        raise TypeError(
            f"{func}: `locale` must be a string such as 'en_US' or 'pl'; "
            f"got {type(locale).__name__} ({locale!r})."
        )
    key = locale.strip().replace("-", "_").lower()
    for full in SUPPORTED_LOCALES:
        if key in (full.lower(), full[:2]):
            return full
    choices = ", ".join(repr(loc) for loc in SUPPORTED_LOCALES)
    raise ValueError(f"{func}: locale {locale!r} is not supported; choose one of {choices}.")


def transliterate(text: str, locale: str) -> str:
    """Write a name in lower-case ASCII letters and digits, for e-mail addresses.

    Russian and Persian letters go through tables in this module (Щ -> shch,
    Ю -> yu, ش -> sh, ...; Persian short vowels are not written, so neither
    are they here), a few Latin letters too (ł -> l, ß -> ss), and other accents
    are dropped after Unicode NFKD decomposition (ż -> z, ä -> a). Spaces,
    hyphens, the zero-width non-joiner and any other character are dropped.

    Parameters
    ----------
    text : str
        A name in any of the supported locales' scripts.
    locale : str
        The locale the text comes from (checked with :func:`check_locale`);
        its table is tried first. The five locales use different scripts,
        so today the result does not depend on it.

    Returns
    -------
    str
        Only ``[a-z0-9]``; possibly empty (e.g. for Chinese text).

    Examples
    --------
    >>> transliterate("Łukasz Żółć", "pl_PL")
    'lukaszzolc'
    >>> transliterate("Щукин", "ru")
    'shchukin'
    >>> transliterate("محمد", "fa_IR")
    'mhmd'
    """
    if not isinstance(text, str):
        raise TypeError(f"transliterate: `text` must be a str; got {type(text).__name__}.")
    table = _TRANSLATE[check_locale(locale, func="transliterate")]
    text = unicodedata.normalize("NFKD", text.lower().translate(table))
    return _NOT_ALNUM.sub("", text.encode("ascii", "ignore").decode("ascii"))


def make_people(
    n, *, locale="en_US", random_state=None, email_domain_pool=None, pool_size=_POOL_SIZE
):
    """Make `n` synthetic people: name, gender, e-mail address and city.

    Faker fills small pools of names and cities (see the module docstring);
    numpy draws each person's entries from them. Half of the people, on
    average, are women; first names and (in pl_PL and ru_RU) surnames agree
    with the gender.

    Parameters
    ----------
    n : int
        Number of people, 0 or more.
    locale : {"en_US", "pl_PL", "fa_IR", "ru_RU", "fi_FI"}, default="en_US"
        Short codes ("en", "pl", "fa", "ru", "fi") work too.
    random_state : None, int or numpy.random.Generator
        Source of all randomness: a seed (``0``) or a Generator, e.g.
        ``numpy.random.default_rng(0)``. The same seed (or Generator state)
        gives the same people; None draws fresh ones.
    email_domain_pool : str or sequence of str, optional
        E-mail domains to draw from uniformly. Default: four domains for the
        locale under names reserved for examples (``example.com``,
        ``poczta.example``, ...), see ``EMAIL_DOMAINS``.
    pool_size : int, default=300
        Faker draws for each name pool (cities: always 100). A few hundred
        give enough variety; more only costs Faker time.

    Returns
    -------
    dict of str to numpy.ndarray
        Object arrays of str, each of length `n`:

        - ``first_name``, ``last_name``, ``city``: in the locale's own script.
        - ``gender``: ``"female"`` or ``"male"``.
        - ``email``: ``first.last`` transliterated to ASCII, a number of two
          or more digits, ``@`` and a domain, e.g.
          ``"anna.kowalska42@poczta.example"``. Unique across the `n` people.

    Examples
    --------
    >>> import numpy as np
    >>> people = make_people(3, locale="pl", random_state=np.random.default_rng(0))
    >>> list(people)
    ['first_name', 'last_name', 'gender', 'email', 'city']
    >>> [str(people[key][0]) for key in people]
    ['Róża', 'Komperda', 'female', 'roza.komperda5440@skrzynka.example', 'Inowrocław']
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"make_people: `n` must be an int; got {type(n).__name__} ({n!r}).")
    if n < 0:
        raise ValueError(f"make_people: `n` must be 0 or more; got {n}.")
    if isinstance(pool_size, bool) or not isinstance(pool_size, numbers.Integral):
        raise TypeError(f"make_people: `pool_size` must be an int; got {type(pool_size).__name__}.")
    if pool_size < 1:
        raise ValueError(f"make_people: `pool_size` must be 1 or more; got {pool_size}.")
    rng = check_random_state(random_state, func="make_people")
    locale = check_locale(locale)
    if email_domain_pool is None:
        email_domain_pool = EMAIL_DOMAINS[locale]
    domains = _check_domains(email_domain_pool)
    n, size = int(n), int(pool_size)

    parts = _people_parts(n, locale, rng, domains, size)
    pools, index = parts["pools"], parts["index"]
    return {
        "first_name": pools["first_name"][index["first_name"]],
        "last_name": pools["last_name"][index["last_name"]],
        "gender": np.array(["female", "male"], dtype=object)[parts["male"].view(np.int8)],
        "email": np.asarray(parts["email"], dtype=object),
        "city": pools["city"][index["city"]],
    }


def people_columns(n, locale, random_state):
    """The people of :func:`make_people` as pandas ``"str"`` arrays and ``male``.

    The same people from the same random draws, for :func:`crmkit.make_world`:
    a name column is a lookup into its pool, so no Python string object is made
    for each person.

    Parameters
    ----------
    n : int
    locale : str
        A supported locale, already checked (:func:`check_locale`).
    random_state : numpy.random.Generator

    Returns
    -------
    dict
        ``first_name``, ``last_name``, ``city`` and ``email`` (pandas ``"str"``
        arrays) and ``male`` (a bool array).
    """
    rng = check_random_state(random_state, func="people_columns")
    parts = _people_parts(n, locale, rng, EMAIL_DOMAINS[locale], _POOL_SIZE)
    columns = {key: pd.array(pool, dtype="str").take(parts["index"][key])
               for key, pool in parts["pools"].items()}  # fmt: skip
    return {**columns, "email": parts["email"], "male": parts["male"]}


def _people_parts(n, locale, rng, domains, size):
    """The work of :func:`make_people`: the pools (object arrays of str), each
    person's index into each pool, ``male`` (bool) and the e-mail addresses as a
    pandas ``"str"`` array."""
    pools = _faker_pools(locale, int(rng.integers(0, 2**63 - 1)), size)
    # Women's entries first, then men's: a man's index is shifted by `size`.
    first_pool = np.array(pools["first_female"] + pools["first_male"], dtype=object)
    last_pool = np.array(pools["last_female"] + pools["last_male"], dtype=object)
    city_pool = np.array(pools["city"], dtype=object)

    male = rng.random(n, dtype=np.float32) < 0.5
    shift = male * np.int32(size)
    first_idx = rng.integers(0, size, n, dtype=np.int32) + shift
    last_idx = rng.integers(0, size, n, dtype=np.int32) + shift
    city_idx = rng.integers(0, city_pool.size, n, dtype=np.int32)
    domain_idx = rng.integers(0, len(domains), n, dtype=np.int32)
    email = _emails(first_pool, last_pool, first_idx, last_idx, domain_idx, domains, locale, rng)
    return {
        "pools": {"first_name": first_pool, "last_name": last_pool, "city": city_pool},
        "index": {"first_name": first_idx, "last_name": last_idx, "city": city_idx},
        "male": male,
        "email": email,
    }


# --- helpers --------------------------------------------------------------


def _check_domains(domains):
    if isinstance(domains, str):
        domains = (domains,)
    try:
        domains = tuple(domains)
    except TypeError:
        raise TypeError(
            "make_people: `email_domain_pool` must be a list of domain names such as "
            f"['example.com']; got {type(domains).__name__}."
        ) from None
    if not domains:
        raise ValueError("make_people: `email_domain_pool` is empty; give at least one domain.")
    for domain in domains:
        if not isinstance(domain, str) or not _DOMAIN.fullmatch(domain):
            raise ValueError(
                f"make_people: {domain!r} in `email_domain_pool` is not a lower-case domain "
                "name such as 'example.com'."
            )
    return domains


def _polish_feminine(surname):
    """Kowalski -> Kowalska, Zawadzki -> Zawadzka; Nowak stays Nowak."""
    return surname[:-1] + "a" if surname.endswith(("ski", "cki", "dzki")) else surname


def _faker_pools(locale, seed, size):
    """Lists of Faker draws: first/last names for each gender, and cities.

    Each name pool is one ``fake.random_elements`` call (with replacement) on
    the locale's own name list, weighted as Faker weights it: the same
    distribution as `size` calls of ``fake.first_name_female()`` and so on,
    without Faker working out the weights of thousands of names again for
    every single draw.
    """
    fake = Faker(locale)
    fake.seed_instance(seed)
    names = importlib.import_module(f"faker.providers.person.{locale}").Provider

    def draw(elements, count=size):
        return list(fake.random_elements(elements, length=count, use_weighting=True))

    pools = {"first_female": draw(names.first_names_female),
             "first_male": draw(names.first_names_male)}  # fmt: skip
    if locale == "pl_PL":
        # Each entry: a common -ski/-cki surname or one from Faker's long list, equally often.
        for key in ("last_female", "last_male"):
            common = zip(draw((True, False)), draw(names.male_last_names),
                         draw(names.unisex_last_names), strict=True)  # fmt: skip
            pools[key] = [a if is_common else b for is_common, a, b in common]
        pools["last_female"] = [_polish_feminine(name) for name in pools["last_female"]]
    elif locale == "ru_RU":
        pools["last_female"] = draw(names.last_names_female)
        pools["last_male"] = draw(names.last_names_male)
    else:  # one surname form for everyone
        pools["last_female"] = pools["last_male"] = draw(names.last_names)
    city = fake.city_name if locale == "ru_RU" else fake.city
    pools["city"] = [city() for _ in range(CITY_POOL_SIZE)]
    if locale == "fa_IR":
        pools = {key: [s.translate(_PERSIAN_LETTERS) for s in pool] for key, pool in pools.items()}
    return pools


def _token_ids(pool, locale):
    """ASCII e-mail tokens of a name pool: (distinct tokens, token id of each entry).

    A token has letters only (a digit would blur where the number suffix
    starts), at most 25 of them, and is "customer" if nothing is left.
    """
    tokens = [_token(name, locale) for name in pool]
    distinct = sorted(set(tokens))
    position = {token: i for i, token in enumerate(distinct)}
    return np.array(distinct, dtype=object), np.array([position[t] for t in tokens], dtype=np.int32)


@functools.lru_cache(maxsize=1 << 16)
def _token(name, locale):
    """A name's e-mail token (remembered: pools repeat the same names)."""
    return re.sub("[0-9]", "", transliterate(name, locale))[:25] or "customer"


@functools.lru_cache(maxsize=64)
def _short_tails(domains):
    """``"<number>@<domain>"`` for every short number (10-9999) and domain, in that order."""
    at_domains = np.array(["@" + d for d in domains], dtype=object)
    short = np.arange(*_FIRST_SUFFIX_RANGE).astype(str).astype(object)
    return pd.array((short[:, None] + at_domains[None, :]).ravel(), dtype="str")


def stable_argsort(keys, *, overwrite=False):
    """``numpy.argsort(keys, kind="stable")`` for non-negative integer keys, but faster.

    Each key is packed with its position into one unsigned 64-bit number, so
    that numpy's fast sort of plain numbers does the work; equal keys keep
    their order (the positions break the ties). Falls back to numpy's stable
    argsort when key and position do not fit in 64 bits together. With
    ``overwrite=True`` a ``uint64`` array of keys is used as the work space.
    """
    keys = np.asarray(keys)
    n = keys.size
    shift = max(n - 1, 1).bit_length()
    if n == 0 or keys.min() < 0 or int(keys.max()).bit_length() + shift > 64:
        return np.argsort(keys, kind="stable")
    packed = keys if overwrite and keys.dtype == np.uint64 else keys.astype(np.uint64)
    packed <<= np.uint64(shift)
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    packed &= np.uint64((1 << shift) - 1)
    return packed.view(np.int64)


def _repeats(keys):
    """Mask of the positions whose key already occurs at an earlier position."""
    order = stable_argsort(keys)
    ordered = keys[order]
    mask = np.zeros(keys.size, dtype=bool)
    mask[order[1:][ordered[1:] == ordered[:-1]]] = True  # all but the first of equal keys
    return mask


def _emails(first_pool, last_pool, first_idx, last_idx, domain_idx, domains, locale, rng):
    """Unique ``first.last<number>@domain`` addresses as a pandas ``"str"`` array.

    Every string is made once per pool entry ("anna.", "kowalska", "42@example.com");
    an address is three lookups, joined (by pyarrow where pandas uses it).
    """
    first_tokens, first_tok = _token_ids(first_pool, locale)
    last_tokens, last_tok = _token_ids(last_pool, locale)
    first = first_tok[first_idx]
    last = last_tok[last_idx]
    # One key per distinct "first.last" (tokens are distinct and hold no dot).
    pair = first.astype(np.int64) * last_tokens.size + last

    # Numbers: an address repeats only if pair and number both do; redraw those.
    low, high = _FIRST_SUFFIX_RANGE
    number = rng.integers(low, high, pair.size)
    redo = np.flatnonzero(_repeats(pair * high + number))
    while redo.size:
        low, high = high, high * 10
        number[redo] = rng.integers(low, high, redo.size)
        redo = redo[_repeats(pair[redo] * high + number[redo])]

    # Tail "<number>@<domain>": from a table of the short numbers; the few long
    # numbers get their own entries after it.
    table = _short_tails(domains)
    tail = (number - _FIRST_SUFFIX_RANGE[0]) * len(domains) + domain_idx
    long = np.flatnonzero(number >= _FIRST_SUFFIX_RANGE[1])
    if long.size:
        tail[long] = len(table) + np.arange(long.size)
        at_domains = np.array(["@" + d for d in domains], dtype=object)
        extra = number[long].astype(str).astype(object) + at_domains[domain_idx[long]]
        extra = pd.Series(extra, dtype="str")
        table = pd.concat([pd.Series(table), extra], ignore_index=True).array
    tail = table.take(tail)
    first_part = pd.array(first_tokens + ".", dtype="str").take(first)
    return first_part + pd.array(last_tokens, dtype="str").take(last) + tail
