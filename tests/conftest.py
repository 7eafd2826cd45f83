"""Shared fixtures: small worlds built once per test session.

Worlds are read-only in every test that uses these fixtures: a test that
changes a table works on a copy (``df.copy()``), so the order tests run in
does not matter.
"""

from __future__ import annotations

import errno
import os

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from crmkit.schema import TABLES
from crmkit.synth import make_world
from crmkit.world import World

#: The seed and size of the small world most unit tests share.
SMALL_SEED = 1
SMALL_N = 400

#: The mid-size world on which the latent model must be visible. 6,000 customers
#: give about 55,000 purchases and 10,000 survey answers, enough for the
#: tolerances in tests/test_synth.py; it takes well under a second to build.
LATENT_SEED = 20240
LATENT_N = 6000


@pytest.fixture(scope="session")
def small_world():
    """A 400-customer en_US world (seed 1)."""
    return make_world(SMALL_N, random_state=SMALL_SEED)


@pytest.fixture(scope="session")
def latent_world():
    """A 6,000-customer en_US world (seed 20240) for the latent-model tests."""
    return make_world(LATENT_N, random_state=LATENT_SEED)


def assert_worlds_equal(a: World, b: World, *, truth=True):
    for name in TABLES:
        assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)
    if not truth:
        return
    assert set(a.truth) == set(b.truth)
    for key, value in a.truth.items():
        other = b.truth[key]
        if isinstance(value, pd.DataFrame):
            assert_frame_equal(value, other, check_exact=True, obj=f"truth[{key!r}]")
        elif isinstance(value, pd.Series):
            assert_series_equal(value, other, check_exact=True, obj=f"truth[{key!r}]")
        else:
            assert value == other, key
            assert type(value) is type(other), key
    assert a.meta == b.meta


@pytest.fixture
def same_world():
    """``same_world(a, b, truth=True)`` asserts two worlds are equal, dtypes and truth too."""
    return assert_worlds_equal


# --------------------------------------------------------------------------- a mount point
@pytest.fixture
def mount_point(tmp_path, monkeypatch):
    """An empty folder that behaves like a mount point in a folder you may not write.

    A rename between the folder and anywhere outside it fails with EXDEV
    ("Invalid cross-device link"), as across devices; creating anything beside
    it fails with EACCES (its parent is read-only, as /mnt or /media usually
    are). Works as root too, where chmod would not stop a write.
    """
    mount = tmp_path / "mnt"
    mount.mkdir()
    root = os.path.abspath(mount)

    def inside(path) -> bool:
        path = os.path.abspath(os.fspath(path))
        return os.path.commonpath([path, root]) == root

    def refuse_cross_device(real):
        def rename(src, dst, *args, **kwargs):
            if inside(src) != inside(dst):
                raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), os.fspath(src))
            return real(src, dst, *args, **kwargs)

        return rename

    real_mkdir = os.mkdir

    def mkdir(path, *args, **kwargs):
        if os.path.dirname(os.path.abspath(os.fspath(path))) == os.path.dirname(root):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rename", refuse_cross_device(os.rename))
    monkeypatch.setattr(os, "replace", refuse_cross_device(os.replace))
    monkeypatch.setattr(os, "mkdir", mkdir)
    return mount


# --------------------------------------------------------------------------- browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's Chromium driven by Playwright, one per test module.

    Module scope: Playwright's sync API runs an event loop while it is open, so two
    cannot be open at once, and other modules' ``asyncio.run`` must not see it.
    Missing Chromium skips the browser tests on a developer's machine and fails
    them in CI. Never ``playwright install``: it downloads a browser.
    """
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail(f"{CHROMIUM} is missing and CI is set: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
