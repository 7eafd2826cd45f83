"""For the workshop's browser tests: a free port, a dashboard page as a participant sees it."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    """A TCP port free on the loopback address now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_state(page):
    """What a participant would see change: image sources and the widgets' texts."""
    images = page.eval_on_selector_all(
        "#rendered_cells img.widget-image", "els => els.map(e => e.src)"
    )
    texts = page.eval_on_selector_all(
        "#rendered_cells .widget-html-content", "els => els.map(e => e.innerText)"
    )
    return images, texts


def move_a_control(page):
    """Press ArrowRight on the first slider, or pick another option of the first dropdown."""
    handle = page.query_selector("#rendered_cells .widget-slider .noUi-handle")
    if handle is not None:
        handle.focus()
        page.keyboard.press("ArrowRight")
        return "slider"
    select = page.query_selector("#rendered_cells .widget-dropdown select")
    assert select is not None, "no slider or dropdown to move"
    options = select.eval_on_selector_all("option", "os => os.map(o => o.value)")
    current = select.input_value()
    select.select_option(next(o for o in options if o != current))
    return "dropdown"


def wait_for_change(page, before, timeout=30) -> bool:
    """True once :func:`dashboard_state` differs from ``before``; False after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if dashboard_state(page) != before:
            return True
        time.sleep(0.2)
    return False


def wait_until_answers(proc, url: str, log_path, *, what: str, timeout: float = 60) -> None:
    """Wait until ``url`` answers 200, failing the test if ``proc`` exits or time runs out."""
    import urllib.request

    import pytest

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer within {timeout:g} s:\n{log_path.read_text()}")
        time.sleep(0.3)
