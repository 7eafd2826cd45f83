"""crmkit.site.pdf: PDF handouts printed by Debian's Chromium from the rendered pages."""

import re
import shutil

import pytest
from hand_made_site import site_fixture  # noqa: F401

from crmkit.site import pdf, render_site

LESSONS = [
    ("00-start-here", "00", "Start here: the kit and its data"),
    ("01-what-is-a-customer-relationship", "01", "What a customer relationship is"),
]

needs_chromium = pytest.mark.skipif(
    pdf.pdf_available() is not None, reason=f"no PDFs here: {pdf.pdf_available()}"
)


_pages = pdf.page_count


@pytest.fixture(scope="module")
def printed(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(site["out"], out)
    report = pdf.print_pdfs(out, LESSONS, title="crmkit playbook")
    return out, report


@needs_chromium
def test_one_pdf_per_lesson_and_the_whole_playbook(printed):
    out, report = printed
    assert sorted(report["written"]) == sorted(
        [f"downloads/pdf/{stem}{end}.pdf" for stem, _, _ in LESSONS for end in ("", "-summary")]
        + [pdf.PLAYBOOK_PDF]
    )
    assert report["long_summaries"] == {}  # each summary prints on one sheet
    lessons = [(out / "downloads/pdf" / f"{stem}.pdf").read_bytes() for stem, _, _ in LESSONS]
    book = (out / pdf.PLAYBOOK_PDF).read_bytes()
    assert all(d.startswith(b"%PDF-") for d in [*lessons, book])
    # the book: a contents page, then each lesson from a new page
    assert _pages(book) >= 1 + len(LESSONS)
    assert _pages(book) >= sum(_pages(d) for d in lessons)
    assert not (out / "print-playbook.html").exists()  # the page printed for the book is gone


@needs_chromium
def test_the_same_pages_give_the_same_bytes(printed):
    out, _ = printed
    first = (out / "downloads/pdf/00-start-here.pdf").read_bytes()
    assert b"/CreationDate (D:19800101000000Z)" in first
    pdf.print_pdfs(out, LESSONS[:1], title="crmkit playbook", only={"00-start-here"})
    assert (out / "downloads/pdf/00-start-here.pdf").read_bytes() == first


def test_the_book_page_holds_every_lesson_with_its_own_ids(site):
    page = pdf.book_html(site["out"], LESSONS, title="crmkit playbook")
    assert "<script" not in page
    assert page.count('class="crmkit-book-lesson"') == 2
    for stem, label, title in LESSONS:
        assert f'<a href="#lesson-{stem}">Lesson {label} · {title}</a>' in page
        assert f'id="lesson-{stem}"' in page
    ids = re.findall(r'\bid="([^"]*)"', page)
    assert len(ids) == len(set(ids))  # two lessons' headings no longer share an id
    assert 'href="static/crmkit.css"' in page  # the styles, from beside index.html


@needs_chromium
def test_render_site_links_the_pdfs_from_the_downloads_page(site, tmp_path):
    out = tmp_path / "site"
    report = render_site(site["executed"], out, notebooks=site["src"], dataset=site["data"],
                         progress=False, pdf=True)  # fmt: skip
    assert pdf.PLAYBOOK_PDF in report["files_written"]
    downloads = (out / "downloads.html").read_text(encoding="utf-8")
    assert 'href="downloads/pdf/crmkit-playbook.pdf"' in downloads
    assert 'href="downloads/pdf/00-start-here.pdf"' in downloads


def test_without_chromium_the_site_is_made_and_says_why_there_is_no_pdf(
    site, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf, "CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "site"
    report = render_site(site["executed"], out, notebooks=site["src"], dataset=site["data"],
                         progress=False, pdf=True)  # fmt: skip
    assert (out / "index.html").exists() and not (out / "downloads/pdf").exists()
    assert any("no PDF handouts" in w and "no-chromium" in w for w in report["warnings"])


@needs_chromium
def test_a_summary_longer_than_one_sheet_is_reported(printed, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(printed[0], out)
    page = out / "summary" / "00-start-here.html"
    long_text = "".join(f"<p>Paragraph {i}: a summary that says too much.</p>" for i in range(150))
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", long_text + "</main>"),
                    encoding="utf-8")  # fmt: skip
    report = pdf.print_pdfs(out, LESSONS[:1], title="crmkit playbook", only={"00-start-here"})
    assert report["long_summaries"]["00-start-here"] >= 2
