"""crmkit.site.builder (render_site): the files it writes, links, downloads, its cache.

The site is rendered from hand-made "executed" lessons (tests/hand_made_site.py), so
no kernel runs here.
"""

from __future__ import annotations

import shutil
import zipfile
from urllib.parse import unquote, urlsplit

import nbformat
from hand_made_site import pages, parse, site_fixture  # noqa: F401

from crmkit.site import render_site


def test_every_page_is_there(site):
    out = site["out"]
    rels = {p.relative_to(out).as_posix() for p in pages(out)}
    assert {
        "index.html",
        "glossary.html",
        "data-dictionary.html",
        "downloads.html",
        "search.html",
        "sources.html",
        "summary/00-start-here.html",
        "summary/01-what-is-a-customer-relationship.html",
        "playbook/00-start-here.html",
        "course/00-start-here.html",
        "playbook/01-what-is-a-customer-relationship.html",
        "course/01-what-is-a-customer-relationship.html",
    } == rels
    assert site["report"]["lessons"] == ["00-start-here", "01-what-is-a-customer-relationship"]
    assert set(site["report"]["pages_written"]) == rels


def test_every_link_and_asset_is_local_and_resolves(site):
    out = site["out"]
    for page in pages(out):
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if not url or url.startswith(("data:", "blob:", "mailto:")):
                    continue
                parts = urlsplit(url)
                where = f"{page.relative_to(out)}: <{tag} {attr}={url!r}>"
                assert not parts.scheme and not parts.netloc, f"not a relative link: {where}"
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), f"link to a missing file: {where}"
                assert out.resolve() in target.parents, f"link outside the site: {where}"
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in parse(target).ids, f"missing anchor: {where}"


def test_downloads_are_clean_notebooks_and_a_deterministic_dataset_zip(site):
    out = site["out"]
    nb = nbformat.read(out / "downloads/notebooks/01-what-is-a-customer-relationship.ipynb", 4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    with zipfile.ZipFile(out / "downloads/crmkit-default-dataset.zip") as zf:
        assert sorted(zf.namelist()) == [
            "crmkit-default-dataset/customers.csv",
            "crmkit-default-dataset/meta.json",
        ]
    with zipfile.ZipFile(out / "downloads/crmkit-notebooks.zip") as zf:
        assert len(zf.namelist()) == 2
    assert (out / "downloads/data-dictionary.md").read_text().startswith("# crmkit data")
    text = (out / "downloads.html").read_text(encoding="utf-8")
    assert "crmkit-default-dataset.zip" in text and 'id="licences"' in text
    for lic in ("static/vendor/minisearch/LICENSE.txt",):
        assert (out / lic).is_file() and lic in text


def test_vendored_assets_are_served_from_the_site_and_no_widget_manager(site):
    out = site["out"]
    vendor = out / "static/vendor"
    assert (vendor / "minisearch/minisearch.js").stat().st_size > 50_000
    # no page runs a widget (a sentence or a simulator of crmkit-live.js instead)
    assert not list(vendor.rglob("embed-amd.js")) and not list(vendor.rglob("require.js"))
    assert (out / "static/nbconvert/index.css").is_file()


def test_a_second_render_with_nothing_changed_writes_nothing(site):
    again = render_site(
        site["executed"], site["out"], notebooks=site["src"], dataset=site["data"], progress=False
    )
    assert again["pages_written"] == [] and again["files_written"] == []
    assert len(again["pages_unchanged"]) == 12  # every page of test_every_page_is_there


def test_a_removed_lesson_leaves_the_site(site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(site["out"], out)
    src = tmp_path / "notebooks"
    src.mkdir()
    shutil.copy(site["src"] / "00-start-here.ipynb", src)
    report = render_site(site["executed"], out, notebooks=src, dataset=site["data"],
                         progress=False)
    assert report["lessons"] == ["00-start-here"]
    assert not (out / "course/01-what-is-a-customer-relationship.html").exists()
    assert not (out / "downloads/notebooks/01-what-is-a-customer-relationship.ipynb").exists()
    assert "01-what-is" not in (out / "index.html").read_text(encoding="utf-8").split(
        "learning-path")[1].split("in preparation")[0]


def test_the_exercises_are_downloads_in_their_student_edition(site):
    out = site["out"]
    names = sorted(p.name for p in (out / "downloads" / "exercises").glob("*.ipynb"))
    assert len(names) == 5
    for name in names:
        nb = nbformat.read(out / "downloads" / "exercises" / name, as_version=4)
        tags = {t for c in nb.cells for t in c.metadata.get("tags", [])}
        assert not tags & {"solution", "trainer"}, name  # no answers, no trainer notes
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name
    downloads = (out / "downloads.html").read_text(encoding="utf-8")
    assert 'href="downloads/crmkit-exercises.zip"' in downloads
    with zipfile.ZipFile(out / "downloads" / "crmkit-exercises.zip") as z:
        assert sorted(z.namelist()) == [f"crmkit-exercises/{n}" for n in names]
