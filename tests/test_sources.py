"""crmkit.sources: what the kit says a source says is in the source's own words.

The source texts live beside the repository, in ``../shared/seeds/`` (files
``000_*.txt`` to ``004_*.txt``). Without them the checks against the texts are
skipped, except in CI (environment variable ``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest

from crmkit import concepts
from crmkit.exercises import EXERCISES
from crmkit.lessons import LESSONS
from crmkit.sources import CLAIMS, SOURCES, by_number, claims_for, claims_frame, sources_frame

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NOTEBOOKS = ROOT / "notebooks"
EXERCISE_DIR = ROOT / "exercises"

#: "source 003", "Source 004's", "source\n   000" (a mention split over two lines).
MENTION = re.compile(r"\b[Ss]ource\s+(00[0-4])\b")
QUOTED = re.compile(r"«([^»]+)»")


def _norm(text: str) -> str:
    """Runs of whitespace (line breaks, no-break spaces) become one space."""
    return " ".join(text.split())


def _seed_files() -> dict[str, Path]:
    files = sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")) if SEEDS.is_dir() else []
    return {path.name[:3]: path for path in files}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """The source texts by number, whitespace normalised."""
    files = _seed_files()
    missing = sorted({s.number for s in SOURCES} - set(files))
    if missing:
        message = f"source texts {missing} not found in {SEEDS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {number: _norm(path.read_text(encoding="utf-8")) for number, path in files.items()}


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


# --------------------------------------------------------------------------- the records
def test_the_five_sources_match_the_codes_of_concepts():
    assert [s.number for s in SOURCES] == ["000", "001", "002", "003", "004"]
    assert [s.code for s in SOURCES] == [k for k in concepts.SOURCES if k != "kit"]
    for s in SOURCES:
        assert s.code.startswith(s.number)
        assert s.language and s.title and s.title_en and s.takes
        assert by_number(s.number) is s
    with pytest.raises(ValueError, match="'000'"):
        by_number("005")


def test_every_claim_is_complete_and_names_a_known_source():
    numbers = {s.number for s in SOURCES}
    for claim in CLAIMS:
        assert claim.source in numbers, claim
        assert claim.says.strip() and claim.phrase.strip(), claim
        assert claim.lessons or claim.exercises, claim
    phrases = [(c.source, _norm(c.phrase)) for c in CLAIMS]
    assert len(phrases) == len(set(phrases)), "a phrase is recorded twice for one source"


def test_every_source_has_claims():
    for s in SOURCES:
        assert len(claims_for(source=s.number)) >= 5, s.number


def test_lessons_and_exercises_named_by_claims_exist():
    lessons = {lesson.number: lesson for lesson in LESSONS}
    for claim in CLAIMS:
        for n in claim.lessons:
            assert n in lessons, (claim.phrase, n)
            assert (NOTEBOOKS / lessons[n].filename).is_file(), lessons[n].filename
        for ex in claim.exercises:
            assert ex in EXERCISES, (claim.phrase, ex)
            assert (EXERCISE_DIR / EXERCISES[ex].notebook).is_file()


# --------------------------------------------------------------------------- against the texts
def test_titles_are_the_first_lines_of_the_texts(texts):
    for s in SOURCES:
        first = _seed_files()[s.number].read_text(encoding="utf-8").strip().splitlines()[0]
        assert first.strip() == s.title, s.number


@pytest.mark.parametrize(
    "claim", CLAIMS, ids=[f"{c.source}-{i:03d}" for i, c in enumerate(CLAIMS)]
)
def test_every_phrase_is_in_its_source_verbatim(texts, claim):
    assert _norm(claim.phrase) in texts[claim.source], (
        f"source {claim.source} does not contain {claim.phrase!r} (for: {claim.says})"
    )


def test_words_quoted_in_notes_are_in_the_source(texts):
    for claim in CLAIMS:
        for word in QUOTED.findall(claim.note):
            assert _norm(word) in texts[claim.source], (claim.source, word)


def test_glossary_source_terms_are_in_the_source(texts):
    checked = 0
    for term in concepts.GLOSSARY:
        if not term.source_terms:
            continue
        for part in re.split(r"; (?=\d{3} \()", term.source_terms):
            number = part[:3]
            words = QUOTED.findall(part)
            assert words, (term.key, part)
            for word in words:
                assert _norm(word) in texts[number], (term.key, number, word)
                checked += 1
    assert checked >= 5


# --------------------------------------------------------------------------- the lessons
@pytest.mark.parametrize("lesson", LESSONS, ids=[f"{x.number:02d}" for x in LESSONS])
def test_every_source_a_lesson_mentions_has_a_claim_for_that_lesson(lesson):
    mentioned = set(MENTION.findall(_markdown(NOTEBOOKS / lesson.filename)))
    missing = sorted(n for n in mentioned if not claims_for(source=n, lesson=lesson.number))
    assert not missing, (
        f"lesson {lesson.number:02d} mentions source(s) {missing} but crmkit.sources records "
        "no claim of it for this lesson: add the claim with the source's own words"
    )


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_every_source_an_exercise_mentions_has_a_claim_for_it(ex_id):
    mentioned = set(MENTION.findall(_markdown(EXERCISE_DIR / EXERCISES[ex_id].notebook)))
    missing = sorted(n for n in mentioned if not claims_for(source=n, exercise=ex_id))
    assert not missing, f"{ex_id} mentions source(s) {missing} without a recorded claim"


def test_lesson_00_shows_the_table_of_sources():
    nb = nbformat.read(NOTEBOOKS / LESSONS[0].filename, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "sources_frame()" in code


# --------------------------------------------------------------------------- the tables
def test_sources_frame_has_readable_headers_and_one_row_per_source():
    frame = sources_frame()
    assert frame.columns.tolist() == [
        "source", "language", "title in the text", "title in English",
        "what the kit takes from it", "lessons", "statements checked",
    ]
    assert frame["source"].tolist() == [s.number for s in SOURCES]
    assert frame["statements checked"].sum() == len(CLAIMS)
    assert frame.loc[frame["source"] == "004", "lessons"].item().startswith("01")


def test_claims_frame_filters_by_source_and_lesson():
    frame = claims_frame(source="003", lesson=10)
    assert len(frame) == len(claims_for(source="003", lesson=10)) > 0
    assert set(frame["source"]) == {"003"}
    assert all("10" in lessons.split(", ") for lessons in frame["lessons"])
    assert claims_frame().shape[0] == len(CLAIMS)
