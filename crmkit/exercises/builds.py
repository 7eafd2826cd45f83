"""Student and trainer editions of the exercise notebooks: ``crmkit exercises build``.

The source notebooks in ``exercises/`` are the trainer's edition already: every
question has an answer cell, a solution cell (tagged ``solution``), a check
cell (tagged ``check``), and facilitation notes (tagged ``trainer``). A build

* removes the ``solution`` and ``trainer`` cells for students, with nbconvert's
  ``TagRemovePreprocessor``;
* injects each participant's parameters (``SEED``, ``PARTICIPANT``, ``LOCALE``,
  ``N_CUSTOMERS``) after the cell tagged ``parameters``, with papermill's
  ``parameterize_notebook`` (nothing is executed);
* with ``data=`` (``--data DIR``, a team's folder from ``crmkit import``):
  injects ``DATA_DIR`` as well, so that every edition computes on that data,
  and leaves out the questions the folder cannot answer, with a note in their
  place saying what data would enable them
  (:func:`crmkit.exercises.questions.left_out`);
* writes ``OUT/students/<participant>/NN-*.ipynb``, ``OUT/trainer/NN-*.ipynb``
  (solutions and notes kept), ``OUT/trainer/facilitation-notes.md``,
  ``OUT/participants.csv`` and ``OUT/manifest.json`` (who has which seed, and a
  fingerprint of every notebook as written; grading reads it).

Nothing is lost. A folder that is not empty is refused unless ``force=True``;
even then a notebook that changed since it was built (an answer typed, a cell
added, removed or edited) is kept as it is, and only untouched notebooks
(executed or not) are replaced.

A participant's seed depends only on the course name and on how the roster
spells them, so rebuilding with a longer roster keeps everyone's data.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from crmkit._csvsafe import neutralise_row, restore_cell
from crmkit.exercises.questions import EXERCISES
from crmkit.paths import ROOT

__all__ = [
    "build_exercises",
    "edition_copy",
    "read_roster",
    "participant_seed",
    "BuildReport",
    "SOURCE_DIR",
    "TRAINER_SEED",
    "fingerprint",
    "is_untouched",
    "answered_questions",
    "fill_answers",
]

#: Where the source notebooks live in a checkout of the repository.
SOURCE_DIR = ROOT / "exercises"
#: The seed of the trainer edition (the source notebooks' default).
TRAINER_SEED = 2024
MANIFEST = "manifest.json"
_ANSWER_RE = re.compile(r"^\s*answer_q(\d+)\s*=\s*None\s*#\s*your answer\s*$")
_HEADER_WORD = re.compile(r"name|mail|participant|student|person|locale")
_NAME_WORD = re.compile(r"name|participant|student|person")


# --------------------------------------------------------------------------- roster
@dataclass(frozen=True)
class Participant:
    name: str
    slug: str
    seed: int
    email: str = ""
    locale: str = ""


def read_roster(path) -> list[dict]:
    """Read a roster CSV: one participant per row, by name or e-mail.

    A header row is optional. With a header, the participant is taken from the
    first column whose title holds ``name`` (or ``participant``, ``student``),
    else from the one holding ``mail``; an optional ``locale`` column gives a participant's
    language of names. Without a header, the first column is the participant.
    Blank lines and lines starting with ``#`` are skipped; ``,``, ``;`` and tabs
    all work as separators. The ``participants.csv`` of a build works as a
    roster too: the quote it puts before a name such as ``'=Bob`` (so that a
    spreadsheet does not run it as a formula) is removed again.

    Returns
    -------
    list of dict
        ``{"name", "email", "locale", "line"}`` per participant, in file order.

    Raises
    ------
    FileNotFoundError, ValueError
        With every problem found (line numbers included).
    """
    from crmkit.people import check_locale

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"read_roster: roster file {str(path)!r} not found. Give a CSV with one "
            "participant per line (a name or an e-mail address), e.g. --roster people.csv."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            f"read_roster: {str(path)!r} is not UTF-8 text. Save the roster as "
            "'CSV UTF-8' and try again."
        ) from None
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ValueError(f"read_roster: {str(path)!r} lists no participants (it is empty).")
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for _, line in lines[:20]))
    rows = [(n, next(csv.reader([line], delimiter=delimiter))) for n, line in lines]
    head = [c.strip().casefold() for c in rows[0][1]]
    name_col = email_col = locale_col = None
    if any(_HEADER_WORD.search(h) for h in head) and not any("@" in h for h in head):
        name_col = next((i for i, h in enumerate(head) if _NAME_WORD.search(h)), None)
        email_col = next((i for i, h in enumerate(head) if "mail" in h), None)
        locale_col = head.index("locale") if "locale" in head else None
        if name_col is None and email_col is None:
            raise ValueError(
                f"read_roster: {str(path)!r} has a header ({', '.join(rows[0][1])}) but no "
                "'name' or 'email' column. Name one column 'name' or 'email'."
            )
        rows = rows[1:]
    else:
        name_col = 0
    problems, out, seen = [], [], {}
    for n, cells in rows:
        # restore_cell: a name that participants.csv wrote as '=... reads as =...
        cells = [restore_cell(c.strip()).strip() for c in cells]

        def cell(i, cells=cells):
            return cells[i] if i is not None and i < len(cells) else ""

        name = cell(name_col) or cell(email_col)
        email = cell(email_col) or (name if "@" in name else "")
        locale = cell(locale_col)
        if not name:
            problems.append(f"line {n}: no name or e-mail")
            continue
        key = name.casefold()
        if key in seen:
            problems.append(f"line {n}: {name!r} is listed twice (first on line {seen[key]})")
            continue
        seen[key] = n
        if locale:
            try:
                locale = check_locale(locale, func="read_roster")
            except ValueError as e:
                problems.append(f"line {n}: {e}")
                continue
        out.append({"name": name, "email": email, "locale": locale, "line": n})
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise ValueError(f"read_roster: {len(problems)} problem(s) in {str(path)!r}:\n{listed}")
    if not out:
        raise ValueError(f"read_roster: {str(path)!r} lists no participants (only a header).")
    return out


def participant_seed(name: str, course: str = "crmkit") -> int:
    """The seed of a participant's world: a hash of the course name and their name.

    Examples
    --------
    >>> participant_seed("Anna Nowak") == participant_seed("Anna Nowak")
    True
    >>> participant_seed("Anna Nowak") != participant_seed("Anna Nowak", course="2025")
    True
    """
    digest = hashlib.sha256(f"{course}\x00{name.strip().casefold()}".encode()).digest()
    return 10_000 + int.from_bytes(digest[:4], "big") % 990_000


def _slug(name: str) -> str:
    from crmkit.people import transliterate

    if "@" in name:
        name = name.split("@", 1)[0]
    parts = []
    for word in re.split(r"[\W_]+", name):
        if not word:
            continue
        ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        ascii_word = re.sub(r"[^a-z0-9]", "", ascii_word.lower())
        if not ascii_word:
            for locale in ("ru_RU", "fa_IR", "pl_PL"):
                ascii_word = transliterate(word, locale)
                if ascii_word:
                    break
        if ascii_word:
            parts.append(ascii_word)
    slug = "-".join(parts)[:40].strip("-")
    return slug or "participant-" + hashlib.sha256(name.encode()).hexdigest()[:6]


def _participants(names, *, course, locale, taken=()) -> list[Participant]:
    seeds, slugs = set(taken) | {TRAINER_SEED}, {"trainer"}
    out = []
    for item in names:
        name = item["name"]
        seed = participant_seed(name, course)
        while seed in seeds:
            seed += 1
        seeds.add(seed)
        slug = base = _slug(name)
        k = 2
        while slug in slugs:
            slug, k = f"{base}-{k}", k + 1
        slugs.add(slug)
        out.append(
            Participant(name, slug, seed, item.get("email", ""), item.get("locale") or locale)
        )
    return out


# --------------------------------------------------------------------------- notebooks
def fingerprint(nb) -> str:
    """A hash of a notebook's cells (type and source), ignoring outputs and metadata."""
    cells = [(c.get("cell_type"), _source(c)) for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def answered_questions(nb) -> list[int]:
    """Numbers of the questions whose answer cell is no longer ``answer_qN = None  # ...``."""
    out = []
    for cell in nb.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if "answer" in tags and not _ANSWER_RE.match(_source(cell)):
            m = re.search(r"answer_q(\d+)", cell.get("id", "") + _source(cell))
            out.append(int(m.group(1)) if m else -1)
    return out


def is_untouched(existing, fresh, recorded: str | None = None) -> bool:
    """True if ``existing`` has the cells of ``fresh`` (or the recorded fingerprint)."""
    fp = fingerprint(existing)
    return fp == fingerprint(fresh) or (recorded is not None and fp == recorded)


def edition_copy(source, edition: str):
    """A copy of an exercise notebook for one edition, without outputs.

    The ``"student"`` edition leaves out the cells tagged ``solution`` and
    ``trainer``; the ``"trainer"`` edition keeps them. No parameters are set: the
    notebook runs on its default world (the site's downloads offer these).
    """
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    if edition not in ("student", "trainer"):
        raise ValueError(
            f"edition_copy: `edition` must be 'student' or 'trainer'; got {edition!r}."
        )
    nb = copy.deepcopy(source)
    remove = {"solution", "trainer"} if edition == "student" else set()
    nb, _ = TagRemovePreprocessor(remove_cell_tags=remove).preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    return nb


def _edition(source, edition: str, params: dict, meta: dict):
    from papermill.parameterize import parameterize_notebook

    nb = edition_copy(source, edition)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # papermill reads cell.metadata.tags on every cell
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, params, comment="Parameters set by `crmkit exercises build`")
    ex = meta["exercise"]
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.tags:
            cell.id = f"{ex}-injected"
            # papermill writes non-ASCII names as \u escapes; show them as written.
            cell.source = "\n".join(
                f"PARTICIPANT = {json.dumps(params['PARTICIPANT'], ensure_ascii=False)}"
                if line.startswith("PARTICIPANT = ")
                else line
                for line in cell.source.splitlines()
            )
        if not cell.metadata.tags:
            del cell.metadata["tags"]
    nb.metadata.pop("papermill", None)
    nb.metadata["crmkit"] = {**meta, "edition": edition}
    return nb


def _write(nb, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(path)


def fill_answers(student_nb, source_nb, *, only=None):
    """A copy of ``student_nb`` whose answer cells hold the solutions of ``source_nb``.

    For tests and benchmarks: a submission that answers every question (or the
    questions numbered in ``only``).
    """
    nb = copy.deepcopy(student_nb)
    solutions = {}
    for cell in source_nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            m = re.search(r"^answer_q(\d+)\s*=", _source(cell), re.M)
            if m:
                solutions[int(m.group(1))] = _source(cell)
    for cell in nb.cells:
        if "answer" in cell.metadata.get("tags", []):
            m = re.search(r"answer_q(\d+)", _source(cell))
            if m and int(m.group(1)) in solutions and (only is None or int(m.group(1)) in only):
                cell.source = solutions[int(m.group(1))]
    return nb


# --------------------------------------------------------------------------- build
@dataclass
class BuildReport:
    """What a build wrote and what it kept."""

    out: Path
    participants: list = field(default_factory=list)
    written: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (path, reason)
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [
            f"Built {len(self.written)} notebook(s) for {len(self.participants)} participant(s) "
            f"and the trainer in {self.seconds:.1f} s: {self.out}/",
            f"  students: {self.out / 'students'}/<name>/   trainer: {self.out / 'trainer'}/",
            f"  seeds: {self.out / 'participants.csv'}   manifest: {self.out / MANIFEST}",
        ]
        if self.kept:
            lines.append(f"  kept {len(self.kept)} notebook(s) that changed since they were built:")
            lines += [f"    {p} ({why})" for p, why in self.kept[:20]]
            if len(self.kept) > 20:
                lines.append(f"    ... and {len(self.kept) - 20} more")
        return "\n".join(lines)


def _sources(src, exercises):
    import nbformat

    src = Path(src) if src is not None else SOURCE_DIR
    if not src.is_dir():
        raise FileNotFoundError(
            f"build_exercises: source folder {str(src)!r} not found. Run it inside a crmkit "
            "checkout, set CRMKIT_PROJECT=/path/to/checkout, or pass src= (--src) pointing "
            "at its exercises/ folder."
        )
    wanted = list(EXERCISES) if exercises is None else list(exercises)
    unknown = [e for e in wanted if e not in EXERCISES]
    if unknown:
        raise ValueError(
            f"build_exercises: unknown exercise(s) {unknown}; expected some of {list(EXERCISES)}."
        )
    out = {}
    for ex in wanted:
        path = src / EXERCISES[ex].notebook
        if not path.is_file():
            raise FileNotFoundError(f"build_exercises: source notebook {str(path)!r} not found.")
        out[ex] = nbformat.read(path, as_version=4)
    return out


def build_exercises(
    out,
    *,
    count: int | None = None,
    roster=None,
    names=None,
    src=None,
    exercises=None,
    force: bool = False,
    course: str = "crmkit",
    locale: str = "en_US",
    n_customers: int = 400,
    progress: bool = True,
    data=None,
) -> BuildReport:
    """Write a student edition per participant and one trainer edition.

    Parameters
    ----------
    out : str or Path
        Folder to build into; it must be new or empty unless ``force``.
    count : int, optional
        Make ``participant-01`` ... ``participant-NN``.
    roster : str or Path, optional
        A CSV of names or e-mail addresses (see :func:`read_roster`).
    names : list of str, optional
        Participants given directly (instead of ``count`` or ``roster``).
    src : str or Path, default=exercises/ of the repository
    exercises : list of str, optional
        Build only these sets (``["ex1", "ex3"]``); default all five.
    force : bool, default=False
        Build into a non-empty folder: untouched notebooks are replaced,
        notebooks that changed since they were built are kept.
    course : str, default="crmkit"
        Seeds depend on it and on each participant's name: a new course name
        gives everyone new data.
    locale : str, default="en_US"
        Language of names in the worlds (a roster's ``locale`` column wins).
    n_customers : int, default=400
        Size of every participant's world.
    progress : bool, default=True
        Show a progress bar.
    data : str or Path, optional
        A data folder (a team's, from ``crmkit import``; or one from ``crmkit
        generate``): every edition computes on it instead of a generated world
        (``DATA_DIR``), and questions that need data the folder lacks are left
        out, a note saying what data would enable them.

    Returns
    -------
    BuildReport
    """
    from tqdm.auto import tqdm

    from crmkit.people import check_locale

    t0 = time.perf_counter()
    given = sum(x is not None for x in (count, roster, names))
    if given != 1:
        raise ValueError(
            "build_exercises: give exactly one of count= (--count N), roster= (--roster "
            f"people.csv) or names=; got {given}."
        )
    if isinstance(n_customers, bool) or not isinstance(n_customers, int) or n_customers < 50:
        raise ValueError(
            f"build_exercises: `n_customers` must be an int >= 50; got {n_customers!r}."
        )
    locale = check_locale(locale, func="build_exercises")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(
                f"build_exercises: `count` must be a whole number >= 1; got {count!r}."
            )
        width = max(2, len(str(count)))
        people = [{"name": f"participant-{i:0{width}d}"} for i in range(1, count + 1)]
    elif roster is not None:
        people = read_roster(roster)
    else:
        if isinstance(names, str) or not all(isinstance(n, str) and n.strip() for n in names):
            raise TypeError("build_exercises: `names` must be a list of non-empty strings.")
        people = [{"name": n.strip(), "email": n.strip() if "@" in n else ""} for n in names]
    sources = _sources(src, exercises)
    data_dir, skipped = None, {}
    if data is not None:
        from crmkit.exercises.questions import left_out
        from crmkit.world import load_world

        data_dir = str(Path(data).resolve())
        world = load_world(data_dir)  # checks the folder: every problem at once
        for ex in sources:
            skipped[ex] = left_out(world, ex)
            sources[ex] = _without(sources[ex], skipped[ex])

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"build_exercises: {str(out)!r} is a file, not a folder.")
    old = {}
    if out.is_dir() and any(out.iterdir()):
        notebooks = [p for p in out.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
        if not force:
            raise FileExistsError(
                f"build_exercises: folder {str(out)!r} is not empty ({len(notebooks)} "
                "notebook(s)); refusing to write into it, it may hold participants' work. "
                "Choose a new folder, or add --force: untouched notebooks are then replaced "
                "and notebooks that changed since they were built are always kept."
            )
        try:
            old = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError):
            old = {}

    participants = _participants(people, course=course, locale=locale)
    report = BuildReport(out=out, participants=participants)
    files = {}
    jobs = [("trainer", None)] + [("student", p) for p in participants]
    bar = tqdm(jobs, desc="building exercises", unit="person", disable=not progress)
    for edition, person in bar:
        for ex, source in sources.items():
            if person is None:
                rel = Path("trainer") / EXERCISES[ex].notebook
                params = {
                    "SEED": TRAINER_SEED,
                    "PARTICIPANT": "trainer",
                    "LOCALE": locale,
                    "N_CUSTOMERS": n_customers,
                }
            else:
                rel = Path("students") / person.slug / EXERCISES[ex].notebook
                params = {
                    "SEED": person.seed,
                    "PARTICIPANT": person.name,
                    "LOCALE": person.locale,
                    "N_CUSTOMERS": n_customers,
                }
            meta = {
                "exercise": ex,
                "participant": params["PARTICIPANT"],
                "seed": params["SEED"],
                "locale": params["LOCALE"],
                "n_customers": n_customers,
            }
            if data_dir is not None:
                params["DATA_DIR"] = data_dir
                meta.update(data=data_dir, left_out=list(skipped[ex]))
            nb = _edition(source, edition, params, meta)
            entry = {**meta, "edition": edition, "fingerprint": fingerprint(nb)}
            key = rel.as_posix()
            target = out / rel
            if target.exists():
                reason, existing_meta = _changed(target, nb, old.get(key, {}).get("fingerprint"))
                if reason:
                    report.kept.append((key, reason))
                    # Grading must use the seed this notebook was built with.
                    files[key] = {
                        **entry,
                        **existing_meta,
                        **old.get(key, {}),
                        "fingerprint": old.get(key, {}).get("fingerprint"),
                        "kept": True,
                    }
                    continue
            _write(nb, target)
            report.written.append(key)
            files[key] = entry
    _write_notes(out / "trainer" / "facilitation-notes.md", sources)
    _write_participants(out / "participants.csv", participants)
    manifest = {
        "crmkit_exercises": 1,
        "course": course,
        "n_customers": n_customers,
        "locale": locale,
        "exercises": list(sources),
        **({"data": data_dir} if data_dir is not None else {}),
        "participants": [
            {"name": p.name, "slug": p.slug, "seed": p.seed, "email": p.email, "locale": p.locale}
            for p in participants
        ],
        "files": files,
    }
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out / MANIFEST)
    report.seconds = time.perf_counter() - t0
    return report


def _without(source, skipped: dict[str, str]):
    """A copy of ``source`` without the questions in ``skipped``, a note in each one's place.

    A question's cells run from its ``### Question N`` heading to the next heading.
    """
    from nbformat.v4 import new_markdown_cell

    if not skipped:
        return source
    nb = copy.deepcopy(source)
    numbers = {int(qid.rsplit(".q", 1)[1]): note for qid, note in skipped.items()}
    ex = next(iter(skipped)).split(".", 1)[0]
    cells, dropping = [], None
    for cell in nb.cells:
        text = _source(cell)
        if cell.cell_type == "markdown" and text.startswith("#"):
            dropping = None
            m = re.match(r"### Question (\d+)\b", text)
            if m and int(m.group(1)) in numbers:
                dropping = int(m.group(1))
                title = text.splitlines()[0].lstrip("# ").strip()
                note = new_markdown_cell(
                    f"### {title}\n\n> **Left out: not in this data.** {numbers[dropping]}"
                )
                note.id = f"{ex}-q{dropping}-left-out"
                cells.append(note)
        if dropping is None:
            cells.append(cell)
    nb.cells = cells
    return nb


def _changed(path: Path, fresh, recorded) -> tuple[str, dict]:
    """Why the notebook at ``path`` must be kept ("" if it may be replaced), and its metadata."""
    import nbformat

    try:
        existing = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable: someone's file, keep it
        return "not a readable notebook", {}
    meta = dict(existing.metadata.get("crmkit", {}))
    if is_untouched(existing, fresh, recorded):
        return "", meta
    answered = answered_questions(existing)
    if answered:
        nums = ", ".join(f"q{n}" for n in answered if n > 0)
        return f"answers typed: {nums or 'yes'}", meta
    return "cells changed since it was built", meta


def _write_participants(path: Path, participants) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", "email", "folder", "seed", "locale"])
        for p in participants:
            # Names are defused for spreadsheets; read_roster undoes it, so this
            # file still works as the roster of a rebuild (same seeds).
            w.writerow(neutralise_row([p.name, p.email, f"students/{p.slug}", p.seed, p.locale]))


def _write_notes(path: Path, sources) -> None:
    """All facilitation notes in one printable Markdown file."""
    parts = [
        "# Facilitation notes for the crmkit exercises",
        "",
        "Generated by `crmkit exercises build` from the cells tagged `trainer` in the "
        "source notebooks; the trainer edition shows the same notes beside each question.",
        "",
    ]
    for ex, nb in sources.items():
        title = _source(nb.cells[0]).splitlines()[0].lstrip("# ").strip()
        parts += ["---", "", f"# {title}", f"*{EXERCISES[ex].notebook}*", ""]
        question = ""
        for cell in nb.cells:
            src = _source(cell)
            if cell.cell_type == "markdown" and src.startswith("### Question"):
                question = src.splitlines()[0].lstrip("# ").strip()
            if "trainer" in cell.metadata.get("tags", []):
                if question and src.startswith("**Trainer note.**"):
                    parts += [f"### {question}", ""]
                parts += [src, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
