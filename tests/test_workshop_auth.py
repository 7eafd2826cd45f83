"""The workshop server's door and its stop (crmkit/workshop/auth.py, server.serve).

Each test starts ``crmkit workshop`` as a trainer would (a subprocess, on a free
port; traffic only to 127.0.0.1) and talks to it as a participant's browser
does, over HTTP: no kernel without the room code, the trainer's page refused
with the participant's code, and every signal that stops the wrapper stops
Voila and every kernel with it.
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil
import pytest
from dashboard_page import free_port

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("voila") is None and not os.environ.get("CI"),
    reason="the workshop extra (voila) is not installed",
)

MERGE = "6-merge-scorecards.ipynb"




class Server:
    def __init__(self, tmp_path, *args, pool=0):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"workshop-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmkit", "workshop", "--port", str(self.port),
             "--pool-size", str(pool), *args],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"the workshop did not answer in 90 s:\n{self.log.read_text()}")

    def tree(self):
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self):
        return [p for p in self.tree() if "ipykernel" in " ".join(p.cmdline())]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                for p in self.tree():
                    p.kill()


def _get(opener, url):
    try:
        with opener.open(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _browser():
    """An opener that keeps cookies, as a participant's browser does."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


@pytest.fixture
def coded(tmp_path):
    server = Server(tmp_path, "--room-code", "room-code-1", "--trainer-code", "trainer-code-9")
    yield server
    server.stop()


def test_no_kernel_and_a_plain_page_without_the_room_code(coded):
    for path in ("/", "/?code=wrong-code", "/voila/render/1-retention-economics.ipynb"):
        status, body = _get(_browser(), coded.base + path)
        assert status == 403, (path, status)
        assert "Ask the trainer for the room link" in body, body[:300]
    status, _ = _get(_browser(), coded.base + "/api/kernels")
    assert status in (403, 404)
    assert coded.kernels() == []  # nobody got a kernel


def test_the_room_code_opens_the_dashboards_but_not_the_trainers_page(coded):
    room = _browser()
    status, body = _get(room, coded.base + "/?code=room-code-1")
    assert status == 200 and "1-retention-economics" in body
    assert MERGE.replace(".ipynb", "") not in body  # not listed for participants
    # the cookie carries the code: the dashboard opens without it in the address
    status, body = _get(room, coded.base + "/voila/render/1-retention-economics.ipynb")
    assert status == 200, body[:300]
    assert len(coded.kernels()) == 1
    status, body = _get(room, coded.base + f"/voila/render/{MERGE}")
    assert status == 403 and "This page is for the trainer" in body
    status, body = _get(room, coded.base + f"/voila/render/{MERGE}?code=room-code-1")
    assert status == 403
    trainer = _browser()
    status, body = _get(trainer, coded.base + f"/voila/render/{MERGE}?code=trainer-code-9")
    assert status == 200, body[:300]


def test_beyond_loopback_a_room_code_is_made_up_and_printed(tmp_path):
    server = Server(tmp_path, "--host", "0.0.0.0")
    try:
        text = server.log.read_text()
        deadline = time.monotonic() + 10
        while "Room code:" not in text and time.monotonic() < deadline:
            time.sleep(0.2)
            text = server.log.read_text()
        room = re.search(r"Room code: (\S+)", text).group(1)
        trainer = re.search(r"Trainer code: (\S+)", text).group(1)
        assert room != trainer and len(room) >= 6
        assert f"/?code={room}" in text and f"{MERGE}?code={trainer}" in text
        assert _get(_browser(), server.base + "/")[0] == 403
        assert _get(_browser(), server.base + f"/?code={room}")[0] == 200
    finally:
        server.stop()


def test_codes_that_cannot_go_in_a_link_are_refused(capsys):
    from crmkit.cli import main

    assert main(["workshop", "--room-code", "a b", "--dry-run"]) == 2
    assert "--room-code" in capsys.readouterr().err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])  # fmt: skip
def test_every_stop_signal_stops_voila_and_every_kernel(tmp_path, sig):
    server = Server(tmp_path, pool=1)
    deadline = time.monotonic() + 90
    while not server.kernels() and time.monotonic() < deadline:
        time.sleep(0.5)
    tree = server.tree()
    assert any("voila" in " ".join(p.cmdline()) for p in tree)
    assert server.kernels(), "the preheated kernel did not start"
    server.proc.send_signal(sig)
    server.proc.wait(timeout=40)
    gone, alive = psutil.wait_procs(tree, timeout=10)
    assert alive == [], [p.cmdline()[:3] for p in alive]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


@pytest.mark.browser
def test_a_participant_with_the_room_link_gets_a_live_dashboard(coded, chromium_browser):
    """The code in the link is enough: the page, its kernel websocket and a slider work."""
    context = chromium_browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    try:
        page.goto(coded.base + "/voila/render/1-retention-economics.ipynb?code=room-code-1",
                  timeout=90_000)  # fmt: skip
        page.wait_for_selector("#rendered_cells img.widget-image[src]", timeout=90_000)
        before = page.eval_on_selector("#rendered_cells img.widget-image", "e => e.src")
        handle = page.query_selector("#rendered_cells .widget-slider .noUi-handle")
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "b => document.querySelector('#rendered_cells img.widget-image').src !== b",
            arg=before,
            timeout=30_000,
        )
    finally:
        context.close()


def test_a_full_room_asks_newcomers_to_wait_and_keeps_serving_the_others(tmp_path):
    server = Server(tmp_path, "--room-size", "1", "--room-code", "room-code-1",
                    "--trainer-code", "trainer-code-9")  # fmt: skip
    try:
        first = _browser()
        page = "/voila/render/1-retention-economics.ipynb"
        assert _get(first, server.base + page + "?code=room-code-1")[0] == 200
        assert len(server.kernels()) == 1
        late = _browser()
        status, body = _get(late, server.base + page + "?code=room-code-1")
        assert status == 503 and "The room is full" in body
        assert 'http-equiv="refresh"' in body and "content=\"60;url=/voila/render/" in body
        assert len(server.kernels()) == 1  # no kernel started for the newcomer
        # the server keeps serving: the list, and the trainer's page (never capped)
        assert _get(late, server.base + "/")[0] == 200
        trainer = _browser()
        status, _ = _get(trainer, server.base + f"/voila/render/{MERGE}?code=trainer-code-9")
        assert status == 200
        assert server.proc.poll() is None
    finally:
        server.stop()


def test_the_default_room_size_follows_the_memory():
    from crmkit.workshop.server import default_room_size

    assert default_room_size(24 * 2**30) == int(0.8 * 24 * 1024 / 250)
    assert default_room_size(100 * 2**20) == 1
    assert default_room_size(10 * 2**40) == 200


def test_a_preheated_room_takes_its_kernels_and_starts_none_beyond_its_size(tmp_path):
    """The pool is the room's free seats: taken one by one, never refilled past the room."""
    server = Server(tmp_path, "--dashboard", "retention-economics", "--room-size", "2",
                    "--room-code", "room-code-1", "--trainer-code", "trainer-code-9",
                    pool=2)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(server.kernels()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(server.kernels()) == 2  # both seats preheated
        for _ in range(2):
            assert _get(_browser(), server.base + "/?code=room-code-1")[0] == 200
        time.sleep(8)  # Voila alone would start two more kernels 5 s after (fill_delay)
        assert len(server.kernels()) == 2 and "Using pre-heated kernel" in server.log.read_text()
        status, body = _get(_browser(), server.base + "/?code=room-code-1")
        assert status == 503 and "The room is full" in body
        assert len(server.kernels()) == 2
    finally:
        server.stop()
