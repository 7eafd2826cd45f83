"""Render the static site from executed notebooks: :func:`render_site`.

A page whose inputs have not changed (the executed notebook, the edition, the
site's templates and code, the list of lessons in the navigation) is not
rendered again: ``site/.crmkit-site.json`` keeps a hash per page. The site's own
pages are cheap and always rendered, but written only when their bytes change.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

from crmkit.paths import ROOT, package_dir, project_dir
from crmkit.site import pages, search
from crmkit.site.catalog import lesson_info, page_stem
from crmkit.site.notebook import (
    EDITIONS,
    content_security_policy,
    label_task_checkboxes,
    lesson_exporter,
    scan_notebook,
)

__all__ = ["render_site", "SITE_CODE", "STATIC"]

SITE_CODE = package_dir("site")
STATIC = SITE_CODE / "static"
VENDOR = STATIC / "vendor"
CACHE_NAME = ".crmkit-site.json"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: Third-party files served by the site: (label, licence file in the site, link text).
LICENCES = (
    (
        "MiniSearch 7.2.0 (the site's search)",
        "static/vendor/minisearch/LICENSE.txt",
        "MIT licence",
    ),
    (
        "JupyterLab's notebook CSS, from nbconvert's lab template",
        "static/nbconvert/LICENSE",
        "BSD 3-Clause licence",
    ),
)


def _hash_files(files, h=None):
    h = h or hashlib.sha256()
    for f in files:
        h.update(str(f).encode())
        h.update(f.read_bytes())
    return h


def site_code_hash() -> str:
    """Hash of everything that shapes a lesson page: templates, CSS, JS, code, nbconvert."""
    import nbconvert

    files = sorted(
        p
        for p in SITE_CODE.rglob("*")
        if p.is_file() and VENDOR not in p.parents and "__pycache__" not in p.parts
    )
    h = _hash_files(files)
    h.update(nbconvert.__version__.encode())
    return h.hexdigest()


def _write(path: Path, data: bytes | str) -> bool:
    """Write if the bytes differ; True if written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _copy(src: Path, dest: Path) -> bool:
    if dest.exists() and dest.stat().st_size == src.stat().st_size:
        if dest.read_bytes() == src.read_bytes():
            return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return True


def _static_files():
    """(source, destination relative to the site) for every static file."""
    for src in sorted(STATIC.rglob("*")):
        if src.is_file():
            yield src, "static/" + src.relative_to(STATIC).as_posix()
    lab = _lab_template_dir()
    for name in ("index.css", "theme-light.css"):
        yield lab / "static" / name, "static/nbconvert/" + name
    licence = _nbconvert_licence()
    if licence is not None:
        yield licence, "static/nbconvert/LICENSE"


def _lab_template_dir() -> Path:
    from nbconvert.exporters.templateexporter import TemplateExporter

    for base in TemplateExporter().template_paths:
        if (Path(base) / "lab" / "static" / "index.css").exists():
            return Path(base) / "lab"
        if Path(base).name == "lab" and (Path(base) / "static" / "index.css").exists():
            return Path(base)
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates"):
        if (Path(base) / "lab" / "static" / "index.css").exists():
            return Path(base) / "lab"
    raise FileNotFoundError("render_site: nbconvert's 'lab' template (static/index.css) not found.")


def _nbconvert_licence():
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("nbconvert")
    except PackageNotFoundError:  # pragma: no cover
        return None
    for f in dist.files or []:
        if "LICENSE" in f.name.upper() and ".dist-info" in str(f):
            path = Path(dist.locate_file(f))
            if path.exists():
                return path
    return None


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def _zip(files: list[tuple[Path, str]]) -> bytes:
    """A deterministic zip (fixed dates, sorted names) of (file, name in zip)."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for src, name in sorted(files, key=lambda t: t[1]):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, src.read_bytes())
    return buf.getvalue()


def _clear_outputs(nb_bytes: bytes) -> bytes:
    import nbformat

    nb = nbformat.reads(nb_bytes.decode("utf-8"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


_INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:vnd\.jupyter|json))[^>]*>", re.I
)


def render_site(
    executed=None,
    out=None,
    *,
    notebooks=None,
    dataset=None,
    names=None,
    force: bool = False,
    progress: bool = True,
    data_label: str | None = None,
    pdf: bool = False,
    exercises=None,
) -> dict:
    """Render the site from executed notebooks.

    Parameters
    ----------
    executed : path, default=build/notebooks/
        Folder of executed ``NN-*.ipynb`` (from :func:`crmkit.build.execute_notebooks`).
    out : path, default=site/
    notebooks : path, default=notebooks/
        The source notebooks: a lesson is on the site if its source is here and
        its executed copy in ``executed``; the downloads are cleared copies.
    dataset : path, default=the committed default dataset
        Folder zipped into ``downloads/crmkit-default-dataset.zip``; regenerated in
        a temporary folder when it does not exist (a pip install).
    names : iterable of str, optional
        Only these notebook file names (the others are left off the site).
    force : bool, default=False
        Render every page even if its inputs did not change.
    progress : bool, default=True
    data_label : str, optional
        Which data the lessons show (:meth:`crmkit.World.describe`), on every
        page; by default the kit's synthetic dataset.
    exercises : path, optional
        The exercise notebooks (default: ``exercises/`` of the crmkit project,
        when there is one): their student editions (no solutions, no trainer
        notes, no outputs) go to ``downloads/exercises/`` and into a zip.
    pdf : bool, default=False
        Also print PDF handouts (:mod:`crmkit.site.pdf`): one per lesson and the
        whole playbook, linked from the downloads page. Needs Debian's Chromium;
        without it the site is made and a warning says why there are no PDFs.

    Returns
    -------
    dict
        ``pages_written`` and ``pages_unchanged`` (paths relative to ``out``),
        ``lessons`` (stems), ``warnings``, ``seconds``, ``site`` and ``index``.
    """
    import nbformat
    from tqdm.auto import tqdm

    from crmkit.lessons import LESSONS

    t0 = time.perf_counter()
    executed = Path(executed) if executed is not None else ROOT / "build" / "notebooks"
    out = Path(out) if out is not None else ROOT / "site"
    notebooks = Path(notebooks) if notebooks is not None else project_dir(
        "notebooks", what="render_site", option="notebooks= (--notebooks DIR)"
    )
    if not executed.is_dir():
        raise FileNotFoundError(
            f"render_site: no executed notebooks in {str(executed)!r}; run "
            "crmkit.build.execute_notebooks() (or `crmkit build`) first."
        )
    out.mkdir(parents=True, exist_ok=True)
    cache_file = out / CACHE_NAME
    try:
        cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    except ValueError:
        cache = {}
    written: list[str] = []
    unchanged: list[str] = []
    warnings: list[str] = []

    def put(rel: str, data) -> None:
        (written if _write(out / rel, data) else unchanged).append(rel)

    # -- the lessons -------------------------------------------------------
    sources = {p.name: p for p in notebooks.glob("[0-9][0-9]-*.ipynb")}
    wanted = set(names) if names is not None else None
    lessons, books = [], {}
    for path in sorted(executed.glob("[0-9][0-9]-*.ipynb")):
        if path.name not in sources or (wanted is not None and path.name not in wanted):
            continue
        raw = path.read_bytes()
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        info = lesson_info(nb, path)
        lessons.append(info)
        books[info.stem] = (raw, nb)
    for name in sorted(set(sources) - {f"{x.stem}.ipynb" for x in lessons}):
        if wanted is None or name in wanted:
            warnings.append(f"{name}: not executed yet, so it is not on the site")
    have = {x.stem for x in lessons} | {page_stem(n) for n in sources}
    planned = [lesson for lesson in LESSONS if lesson.filename.removesuffix(".ipynb") not in have]
    sitemap = pages.SiteMap(lessons=lessons, planned=planned, data_label=data_label or "")

    # -- static files ------------------------------------------------------
    for src, rel in _static_files():
        (written if _copy(src, out / rel) else unchanged).append(rel)

    # -- lesson pages ------------------------------------------------------
    code = site_code_hash()
    signature = sitemap.signature()
    exporters = {}
    keep = set()
    jobs = [(info, ed) for info in lessons for ed in EDITIONS]
    bar = tqdm(jobs, desc="rendering lessons", unit="page", disable=not progress)
    for info, edition in bar:
        rel = sitemap.lesson_path(info, edition)
        keep.add(rel)
        raw, nb = books[info.stem]
        if edition == EDITIONS[0]:
            warnings += [f"{info.stem}: {w}" for w in scan_notebook(nb)]
        key = hashlib.sha256(
            b"\0".join([raw, edition.encode(), code.encode(), signature.encode()])
        ).hexdigest()
        if not force and cache.get(rel) == key and (out / rel).exists():
            unchanged.append(rel)
            continue
        bar.set_postfix_str(rel)
        if edition not in exporters:
            exporters[edition] = lesson_exporter(edition, static_prefix="../static/")
        chrome = sitemap.chrome(rel, edition=edition, lesson=info)
        resources = {
            "metadata": {
                "name": f"{info.label} · {info.title} ({edition} edition) · {pages.SITE_TITLE}",
                "path": str(executed),
            },
            "crmkit": {
                "edition": edition,
                "static": "../static/",
                "csp": content_security_policy(),
                "top": chrome["top"],
                "bottom": chrome["bottom"],
            },
        }
        body, _ = exporters[edition].from_notebook_node(nb, resources=resources)
        body = pages.link_sources(label_task_checkboxes(body), "../sources.html")
        body = pages.link_glossary_terms(body, "../glossary.html")
        if _INLINE_SCRIPT.search(body):
            warnings.append(
                f"{rel}: an inline <script> is on the page; the page's security policy blocks it"
            )
        put(rel, body)
        cache[rel] = key
    for edition in EDITIONS:  # pages of lessons that are gone
        for stale in (out / edition).glob("*.html") if (out / edition).is_dir() else []:
            if f"{edition}/{stale.name}" not in keep:
                stale.unlink()
                cache.pop(f"{edition}/{stale.name}", None)

    # every lesson's playbook page, read once: the summaries, glossary and search use it
    playbook_pages = {
        info.stem: (out / sitemap.lesson_path(info, EDITIONS[0])).read_text(encoding="utf-8")
        for info in lessons
    }

    # -- one-page summaries ----------------------------------------------------
    for info in lessons:
        page = playbook_pages[info.stem]
        put(f"summary/{info.stem}.html", pages.render_summary(sitemap, info, page))
    summaries = out / "summary"
    for stale in summaries.glob("*.html") if summaries.is_dir() else []:
        if stale.stem not in {x.stem for x in lessons}:
            stale.unlink()

    # -- PDF handouts ----------------------------------------------------------
    files = []
    if pdf:
        from crmkit.site import pdf as handouts

        reason = handouts.pdf_available()
        if reason:
            warnings.append(f"no PDF handouts: {reason}")
        else:
            printed = handouts.print_pdfs(
                out,
                [(x.stem, x.label, x.title) for x in lessons],
                title=pages.SITE_TITLE,
                data_label=data_label or "",
                only={Path(rel).stem for rel in written if rel.startswith(EDITIONS[0] + "/")},
            )
            written += printed["written"]
            for stem, sheets in printed["long_summaries"].items():
                warnings.append(f"{stem}: its one-page summary prints on {sheets} pages")
        book = out / handouts.PLAYBOOK_PDF
        if book.exists():
            note = "The whole playbook as one PDF, with contents and page numbers"
            files.append({"path": handouts.PLAYBOOK_PDF, "label": book.name,
                          "size": _size(book.stat().st_size), "note": note})  # fmt: skip
            for info in lessons:
                rel = f"{handouts.PDF_DIR}/{info.stem}.pdf"
                if (out / rel).exists():
                    note = f"Lesson {info.label}: {info.title} (PDF handout)"
                    size = _size((out / rel).stat().st_size)
                    files.append({"path": rel, "label": f"{info.stem}.pdf", "size": size,
                                  "note": note})  # fmt: skip
                summary = f"{handouts.PDF_DIR}/{info.stem}-summary.pdf"
                if (out / summary).exists():
                    note = f"Lesson {info.label}: its summary on one page (PDF)"
                    files.append({"path": summary, "label": f"{info.stem}-summary.pdf",
                                  "size": _size((out / summary).stat().st_size),
                                  "note": note})  # fmt: skip

    # -- downloads -----------------------------------------------------------
    nb_files = []
    for info in lessons:
        rel = sitemap.notebook_path(info)
        put(rel, _clear_outputs(sources[f"{info.stem}.ipynb"].read_bytes()))
        nb_files.append((out / rel, f"crmkit-notebooks/{info.stem}.ipynb"))
        files.append(
            {
                "path": rel,
                "label": f"{info.stem}.ipynb",
                "size": _size((out / rel).stat().st_size),
                "note": f"Lesson {info.label}: {info.title} (notebook, without outputs)",
            }
        )
    stale_dir = out / "downloads" / "notebooks"
    for stale in stale_dir.glob("*.ipynb") if stale_dir.is_dir() else []:
        if stale.stem not in {x.stem for x in lessons}:
            stale.unlink()
    if nb_files:
        rel = "downloads/crmkit-notebooks.zip"
        put(rel, _zip(nb_files))
        files.insert(
            0,
            {
                "path": rel,
                "label": "crmkit-notebooks.zip",
                "size": _size((out / rel).stat().st_size),
                "note": "All the lesson notebooks in one file",
            },
        )
    files += _exercise_downloads(out, exercises, put)
    files += _dataset_download(out, dataset, cache, put, warnings)
    from crmkit.schema import data_dictionary

    rel = "downloads/data-dictionary.md"
    put(rel, "# crmkit data dictionary\n\n" + data_dictionary())
    files.append(
        {
            "path": rel,
            "label": "data-dictionary.md",
            "size": _size((out / rel).stat().st_size),
            "note": "The data dictionary (Markdown): every table and column",
        }
    )
    licences = [
        {"label": label, "path": path, "note": note}
        for label, path, note in LICENCES
        if (out / path).exists()
    ]

    # -- the site's own pages ----------------------------------------------------
    put("index.html", pages.render_index(sitemap))
    put("glossary.html", pages.render_glossary(sitemap, taught=pages.glossary_mentions(
        {stem: text.split('class="crmkit-main"', 1)[-1] for stem, text in playbook_pages.items()}
    )))
    put("data-dictionary.html", pages.render_data_dictionary(sitemap))
    put("downloads.html", pages.render_downloads(sitemap, files, licences))
    put("sources.html", pages.render_sources(sitemap))

    # -- search: an index of what the pages say, and the page that searches it ----
    documents = []
    for info in lessons:
        documents += search.lesson_documents(
            playbook_pages[info.stem], stem=info.stem, label=info.label, title=info.title
        )
    documents += search.glossary_documents() + search.data_dictionary_documents()
    put(search.INDEX_FILE, search.search_index_script(documents, search.synonym_groups()))
    put(search.SEARCH_PAGE, pages.render_search(sitemap))

    cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return {
        "site": str(out),
        "index": str(out / "index.html"),
        "lessons": [x.stem for x in lessons],
        "pages_written": sorted(p for p in written if p.endswith(".html")),
        "pages_unchanged": sorted(p for p in unchanged if p.endswith(".html")),
        "files_written": sorted(p for p in written if not p.endswith(".html")),
        "warnings": warnings,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def _dataset_download(out: Path, dataset, cache: dict, put, warnings) -> list[dict]:
    import tempfile

    from crmkit.datasets import dataset_path, regenerate_dataset

    rel = "downloads/crmkit-default-dataset.zip"
    folder = Path(dataset) if dataset is not None else dataset_path("default")
    tmp = None
    if not (folder / "customers.csv").exists():
        if dataset is not None:
            warnings.append(f"dataset folder {str(folder)!r} has no customers.csv: not zipped")
            return []
        tmp = tempfile.TemporaryDirectory()
        folder = regenerate_dataset("default", out=Path(tmp.name) / "default")
    try:
        members = sorted(p for p in folder.rglob("*") if p.is_file())
        key = _hash_files(members).hexdigest()
        if cache.get(rel) != key or not (out / rel).exists():
            put(rel, _zip([(p, f"crmkit-default-dataset/{p.relative_to(folder).as_posix()}")
                           for p in members]))
            cache[rel] = key
        n_csv = sum(p.suffix == ".csv" for p in members)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return [
        {
            "path": rel,
            "label": "crmkit-default-dataset.zip",
            "size": _size((out / rel).stat().st_size),
            "note": f"The default synthetic world: {n_csv} CSV files (tables and ground "
            "truth) and meta.json; see the data dictionary",
        }
    ]


def _exercise_downloads(out: Path, exercises, put) -> list[dict]:
    """The exercises' student editions in ``downloads/exercises/`` and a zip of them."""
    import nbformat

    from crmkit.exercises.builds import edition_copy

    folder = Path(exercises) if exercises is not None else ROOT / "exercises"
    sources = sorted(folder.glob("[0-9][0-9]-*.ipynb")) if folder.is_dir() else []
    files, zipped = [], []
    for src in sources:
        rel = f"downloads/exercises/{src.name}"
        nb = edition_copy(nbformat.read(src, as_version=4), "student")
        put(rel, nbformat.writes(nb) + "\n")
        zipped.append((out / rel, f"crmkit-exercises/{src.name}"))
        title = next((c.source.splitlines()[0].lstrip("# ") for c in nb.cells
                      if c.cell_type == "markdown" and c.source.strip()), src.stem)  # fmt: skip
        files.append({"path": rel, "label": src.name, "size": _size((out / rel).stat().st_size),
                      "note": f"Exercises: {title} (checks itself as you answer)"})  # fmt: skip
    if zipped:
        rel = "downloads/crmkit-exercises.zip"
        put(rel, _zip(zipped))
        note = "All the exercise notebooks in one file (student edition)"
        files.insert(0, {"path": rel, "label": "crmkit-exercises.zip",
                         "size": _size((out / rel).stat().st_size), "note": note})  # fmt: skip
    return files
