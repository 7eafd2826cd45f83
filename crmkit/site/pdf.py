"""PDF handouts of the playbook, printed by Chromium from the rendered pages.

One PDF per lesson (its playbook page, printed with the site's print
stylesheet: no menu, controls or previous/next; figures kept whole) and the
whole playbook as one PDF: a title and contents page, then every lesson, with
page numbers in the footer. Chromium is Debian's (``/usr/bin/chromium``), driven
by Playwright, as in the browser tests; nbconvert's ``webpdf`` is not used
because it insists on downloading a browser of its own.

Chromium stamps each PDF with the time it was made; :func:`print_pdf` rewrites
that stamp to a fixed date, so the same pages give the same bytes.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

__all__ = [
    "CHROMIUM", "PDF_DIR", "PLAYBOOK_PDF", "book_html", "page_count", "pdf_available",
    "print_pdfs",
]

CHROMIUM = "/usr/bin/chromium"
PDF_DIR = "downloads/pdf"
PLAYBOOK_PDF = f"{PDF_DIR}/crmkit-playbook.pdf"
_BOOK_PAGE = "print-playbook.html"  # written beside index.html while printing, then removed
_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
_PAGE = re.compile(rb"/Type\s*/Page\b")
_DATES = re.compile(rb"/(CreationDate|ModDate) ?\(D:[0-9+\-Z']+\)")
_FIXED_DATE = b"D:19800101000000Z"
_MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
_HEADER = re.compile(r'<header class="crmkit-header">.*?</header>', re.S)
_NAV = re.compile(
    r'<nav class="crmkit-prevnext".*?</nav>|<footer class="crmkit-footer">.*?</footer>', re.S
)
_SCRIPTS = re.compile(r"<script\b.*?</script>", re.S | re.I)
_IDS = re.compile(r'\bid="([^"]*)"')
_HREF_ANCHOR = re.compile(r'href="#([^"]*)"')


def pdf_available() -> str | None:
    """Why PDFs cannot be printed here (a sentence), or None when they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return (f"{CHROMIUM} is missing (Debian: apt-get install chromium; `make playbook` "
                "installs it as root)")  # fmt: skip
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing (pip install 'crmkit[pdf]')"
    return None


def _footer(title: str) -> str:
    return (
        '<div style="font-size:8px;width:100%;padding:0 12mm;color:#444;'
        'display:flex;justify-content:space-between;font-family:sans-serif">'
        f"<span>{html.escape(title)}</span>"
        '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'
        "</div>"
    )


def print_pdf(page, url: str, dest: Path, title: str) -> None:
    """Print the page at ``url`` to ``dest`` (A4, the print stylesheet, numbered pages)."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    data = page.pdf(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=_footer(title),
        margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.write_bytes(_DATES.sub(lambda m: b"/" + m.group(1) + b" (" + _FIXED_DATE + b")", data))
    os.replace(tmp, dest)


def book_html(site: Path, lessons, *, title: str, data_label: str = "") -> str:
    """One page holding every lesson's playbook content, after a title and contents page.

    ``lessons`` are (stem, label, title) triples; each lesson's ids get the
    lesson's stem as a prefix so that its in-page links still land in it.
    """
    head = ""  # a lesson page's head (its styles: nbconvert's and the site's), one level up
    contents, parts = [], []
    for stem, label, name in lessons:
        text = (site / "playbook" / f"{stem}.html").read_text(encoding="utf-8")
        m = _MAIN.search(text)
        if m is None:
            continue
        if not head:
            head = _SCRIPTS.sub("", text[: text.index("<body")]).replace('href="../', 'href="')
        body = _SCRIPTS.sub("", _NAV.sub("", _HEADER.sub("", m.group(1))))
        body = body.replace('src="../', 'src="').replace('href="../', 'href="')
        body = _IDS.sub(rf'id="{stem}-\1"', body)
        body = _HREF_ANCHOR.sub(rf'href="#{stem}-\1"', body)
        contents.append(f'<li><a href="#lesson-{stem}">Lesson {html.escape(label)} · '
                        f"{html.escape(name)}</a></li>")  # fmt: skip
        parts.append(f'<section class="crmkit-book-lesson" id="lesson-{stem}">{body}</section>')
    about = f"<p>On {html.escape(data_label)}.</p>" if data_label else (
        "<p>Customer relationship management with synthetic data: every customer in it "
        "is made up.</p>"
    )
    cover = (
        f'<section class="crmkit-book-cover"><h1>{html.escape(title)}</h1>{about}'
        f'<h2>Contents</h2><ol class="crmkit-book-contents">{"".join(contents)}</ol></section>'
    )
    return (f'{head}<body class="crmkit crmkit-book"><main class="crmkit-main">{cover}'
            f'{"".join(parts)}</main></body></html>')  # fmt: skip


def print_pdfs(site, lessons, *, title: str, data_label: str = "", only=None) -> dict:
    """Print each lesson's playbook page and the whole playbook into ``site/downloads/pdf``.

    Parameters
    ----------
    site : path
        A rendered site (:func:`crmkit.site.render_site`).
    lessons : list of (stem, label, title)
    title : str
        The whole playbook's title (its cover page and footers).
    only : set of str, optional
        Stems whose PDF must be printed again; the others are kept when they exist.
        The whole playbook is printed again when any lesson is.

    Returns
    -------
    dict
        ``written`` (paths relative to ``site``), ``long_summaries`` (the
        one-page summaries that printed on more than one page, with their page
        counts) and ``seconds``.
    """
    import time

    from playwright.sync_api import sync_playwright

    site = Path(site)
    t0 = time.perf_counter()
    written = []
    todo = [x for x in lessons if only is None or x[0] in only
            or not (site / PDF_DIR / f"{x[0]}.pdf").exists()]  # fmt: skip
    book = site / PLAYBOOK_PDF
    long_summaries = {}
    if not todo and book.exists():
        return {"written": [], "long_summaries": long_summaries, "seconds": 0.0}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_ARGS)
        page = browser.new_page()
        try:
            for stem, label, name in todo:
                rel = f"{PDF_DIR}/{stem}.pdf"
                url = (site / "playbook" / f"{stem}.html").resolve().as_uri()
                print_pdf(page, url, site / rel, f"Lesson {label} · {name}")
                written.append(rel)
                summary = site / "summary" / f"{stem}.html"
                if summary.exists():
                    rel = f"{PDF_DIR}/{stem}-summary.pdf"
                    print_pdf(page, summary.resolve().as_uri(), site / rel,
                              f"Lesson {label} · {name}: summary")  # fmt: skip
                    written.append(rel)
                    sheets = page_count((site / rel).read_bytes())
                    if sheets > 1:
                        long_summaries[stem] = sheets
            tmp = site / _BOOK_PAGE
            tmp.write_text(book_html(site, lessons, title=title, data_label=data_label),
                           encoding="utf-8")  # fmt: skip
            try:
                print_pdf(page, tmp.resolve().as_uri(), book, title)
            finally:
                tmp.unlink(missing_ok=True)
            written.append(PLAYBOOK_PDF)
        finally:
            browser.close()
    stale = site / PDF_DIR
    keep = {f"{x[0]}{end}.pdf" for x in lessons for end in ("", "-summary")}
    keep.add(Path(PLAYBOOK_PDF).name)
    for f in stale.glob("*.pdf") if stale.is_dir() else []:
        if f.name not in keep:
            f.unlink()
    return {"written": written, "long_summaries": long_summaries,
            "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF that Chromium printed (its page objects)."""
    return len(_PAGE.findall(pdf))
