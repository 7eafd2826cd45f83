"""A room's load on the workshop server: N participants open a dashboard at once.

Starts Voila as ``crmkit workshop --dashboard NAME --pool-size N --room-size R
--room-code CODE`` does (preheated kernels, a short culling time for the test)
on a free loopback port, and sends it a room of participants, twice. Every
participant opens the room link (``/?code=CODE``, as the trainer shares it);
with a room smaller than the participants (``--room-size``), the excess must
get the "room is full" page (counted as *full*, not lost) while everyone else
is served.

- **protocol participants** (the server's side of a room): each does on the
  wire what a participant's browser does: fetches the page and every file the
  page loads, opens the kernel websocket, asks for the widgets' state (the
  dashboard is then interactive), moves the slider and waits for the new
  figure. The participants' browsers run on their own laptops in a room;
  here they would share the server's two cores, so this measures the server.
- **browser participants**: Debian's Chromium (Playwright, one context per
  participant) opens the page, waits until the widget is drawn, presses
  ArrowRight on the slider and waits until the figure or text changes. The
  browsers run on the same two cores as the server: pessimistic.

Each kind goes through four phases: **arrival** (all at once, or spread over
``--arrive-over`` seconds; each participant moves the slider once when the
dashboard is ready), **the room at work** (protocol participants: everyone
served moves the slider ``--moves`` times at once, with ``--think`` seconds
between moves, a room following the trainer's "now raise retention"), a
**reconnect burst** (every tab closed normally and opened again at once, right after the
arrival while the pool refills, or with ``--burst-at refilled`` once it has;
the server must still answer), and **vanish** (every tab disappears without closing, as
laptops leaving; the kernels must be culled within the culling window).

Peak memory is the largest resident set of the Voila process and its kernels
together (psutil, or /proc), per phase and overall; the cost of one kernel is
the idle server's memory less Voila's own, divided by the preheated kernels.
Everything runs on this machine's loopback and stops by itself: every wait has
a time limit. A benchmark: it prints a table and exits 0 (1 only when the
server cannot start).

    python benchmarks/bench_workshop.py [--participants 25] [--quick]   # quick: ~1 min
        [--clients both|protocol|browser] [--pool-size N] [--room-size R] [--cull-after 15]
        [--arrive-over 60] [--moves 5] [--think 2]

The issue's room (#17): ``--clients protocol --participants 40 --arrive-over 60``;
the room-full check: add ``--room-size 30``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
V1 = "v1.kernel.websocket.jupyter.org"
# A static file: asking for the dashboard itself would take a preheated kernel.
HEALTH = "voila/static/voila.js"
ROOM_CODE, TRAINER_CODE = "bench-room-17", "bench-trainer-17"
FULL = "The room is full"
WIDGET = "#rendered_cells img.widget-image[src]"
HANDLE = "#rendered_cells .widget-slider .noUi-handle"
KERNEL_JS = """() => JSON.parse(
  document.getElementById('jupyter-config-data').textContent).kernelId"""
STATE_JS = """() => [
  [...document.querySelectorAll('#rendered_cells img.widget-image')].map(e => e.src),
  [...document.querySelectorAll('#rendered_cells .widget-html-content')].map(e => e.innerText),
]"""
# The loading spinner is a CSS animation: 25 headless pages repainting it on the
# server's cores cost more than the dashboards; a laptop draws its own.
NO_ANIMATION = """document.addEventListener("DOMContentLoaded", () => {
  const s = document.createElement("style");
  s.textContent = "*, *::before, *::after { animation: none !important; }";
  document.head.appendChild(s);
});"""
CONFIG_RE = re.compile(
    r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>', re.S
)


# --------------------------------------------------------------------------- processes
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    try:
        import psutil

        return [pid] + [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        pass
    except Exception:
        return []
    parents, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += [c for c, pp in parents.items() if pp == p]
    return out


def _rss(pids) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _cpu(pids) -> float:
    """CPU seconds (user + system) used so far by the live processes ``pids``."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            continue
    return total


def _chromium_pids() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"chromium" in (entry / "cmdline").read_bytes()[:300]:
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


def _kernels(pid) -> int:
    n = 0
    for child in _tree(pid)[1:]:
        try:
            if b"ipykernel" in Path(f"/proc/{child}/cmdline").read_bytes():
                n += 1
        except OSError:
            continue
    return n


class Meter(threading.Thread):
    """Peak memory and kernel count of the server, and CPU seconds of server and browsers.

    CPU is summed over every process seen, so kernels that end count too.
    """

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_kernels = pid, 0, 0
        self.phase, self.phase_peak = None, {}  # peak memory of each phase
        self.server_cpu: dict[int, float] = {}
        self.browser_cpu: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.5):
            pids = _tree(self.pid)
            rss = _rss(pids)
            self.peak = max(self.peak, rss)
            if self.phase:
                self.phase_peak[self.phase] = max(self.phase_peak.get(self.phase, 0), rss)
            self.peak_kernels = max(self.peak_kernels, _kernels(self.pid))
            for p in pids:
                self.server_cpu[p] = _cpu([p]) or self.server_cpu.get(p, 0.0)
            for p in _chromium_pids():
                self.browser_cpu[p] = _cpu([p]) or self.browser_cpu.get(p, 0.0)

    def totals(self):
        return sum(self.server_cpu.values()), sum(self.browser_cpu.values())


# --------------------------------------------------------------------------- the server
def start_server(args, log_path):
    from crmkit.workshop.manager import ROOM_SIZE_ENV
    from crmkit.workshop.server import needs_world, voila_command, voila_env, write_world_cache

    port = _free_port()
    cmd = voila_command(
        dashboard=args.dashboard,
        port=port,
        pool_size=args.pool_size,
        cull_idle_timeout=args.cull_after,
        cull_interval=2,
        refill_delay=args.refill_delay,
    )
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    # As `crmkit workshop` does: the room's codes, its size, the world loaded once.
    cache = write_world_cache(log_path.parent) if needs_world(args.dashboard) else None
    env = voila_env(room_code=ROOM_CODE, trainer_code=TRAINER_CODE, world_cache=cache)
    env[ROOM_SIZE_ENV] = str(args.room_size)
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    url = f"http://127.0.0.1:{port}/"
    t0 = time.monotonic()
    while not _answers(url + HEALTH):
        if proc.poll() is not None or time.monotonic() - t0 > 60:
            stop_server(proc)
            print(f"voila did not start; its log:\n{Path(log_path).read_text()[-3000:]}")
            sys.exit(1)
        time.sleep(0.3)
    return proc, url


def wait_until_ready(proc, args, limit):
    """Wait (bounded) until only the pool's kernels run and the server is quiet.

    The pool holds ``pool_size`` kernels, or the room's seats when fewer.
    """
    t0 = time.monotonic()
    before = _cpu(_tree(proc.pid))
    want = min(args.pool_size, args.room_size or args.pool_size)
    while time.monotonic() - t0 < limit:
        time.sleep(2)
        now = _cpu(_tree(proc.pid))
        # Exactly the pool: a kernel left by a page before (capture_assets) has gone.
        if _kernels(proc.pid) == want and now - before < 0.4:
            break
        before = now
    return time.monotonic() - t0


def _answers(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def _shut_down(log_path) -> set[str]:
    marker = "Kernel shutdown: "
    return {
        line.split(marker, 1)[1].strip()
        for line in Path(log_path).read_text().splitlines()
        if marker in line
    }


# --------------------------------------------------------------------------- protocol
def _ws_msg(msg_type, content, session, metadata=None, msg_id=None):
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {
        "msg_id": msg_id or uuid.uuid4().hex,
        "username": "participant",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": "2024-01-01T00:00:00Z",
    }
    parts = [json.dumps(x).encode() for x in (header, {}, metadata or {}, content)]
    return serialize_msg_to_ws_v1(parts, "shell")


def _ws_parse(message):
    """``(msg_type, content, msg_id of the request it answers)`` of a v1 websocket message."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    _, parts = deserialize_msg_from_ws_v1(message)
    parent = json.loads(parts[1]) if len(parts) > 1 and parts[1] else {}
    return json.loads(parts[0])["msg_type"], json.loads(parts[3]), parent.get("msg_id")


class ProtocolParticipant:
    """What a participant's browser asks of the server, without drawing anything.

    Opens the room link (``?code=``), keeps the room's cookie for the page's
    own requests and its websocket, as a browser does.
    """

    def __init__(self, url, assets, timeout_s):
        self.url, self.assets, self.timeout = url, assets, timeout_s
        self.ws = self.kernel = self.session = self.slider = None
        self.cookie = ""
        self.result = {"tti": None, "response": None, "error": None, "kernel": None,
                       "full": False, "moves": []}  # fmt: skip

    async def _read(self, want, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the kernel")
            message = await asyncio.wait_for(self.ws.read_message(), left)
            if message is None:
                raise ConnectionError("the server closed the websocket")
            if isinstance(message, bytes):
                found = want(*_ws_parse(message))
                if found is not None:
                    return found

    async def _page(self, http):
        """The dashboard page, or None when the server says the room is full.

        Redirects are followed by hand, keeping the cookies each one sets, as
        a browser does (a full room redirects to its waiting page).
        """
        from tornado.httpclient import HTTPClientError

        url, jar = self.url, {}
        origin = "/".join(self.url.split("/")[:3])
        for _ in range(5):
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
            response = await http.fetch(url, request_timeout=self.timeout, headers=headers,
                                        follow_redirects=False, raise_error=False)  # fmt: skip
            for cookie in response.headers.get_list("Set-Cookie"):
                name, _, value = cookie.split(";", 1)[0].partition("=")
                jar[name.strip()] = value.strip()
            body = response.body.decode("utf-8", "replace") if response.body else ""
            if response.code in (301, 302, 303, 307):
                location = response.headers["Location"]
                url = location if "://" in location else origin + location
                continue
            if response.code == 503 and FULL in body:
                return None
            if response.code != 200:
                raise HTTPClientError(response.code, f"HTTP {response.code} for {url}")
            self.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            return body
        raise RuntimeError("too many redirects")

    async def visit(self, http):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        t0 = time.monotonic()
        deadline = t0 + self.timeout
        try:
            page = await self._page(http)
            if page is None:
                self.result["full"] = True
                return self.result
            self.kernel = json.loads(CONFIG_RE.search(page).group(1))["kernelId"]
            self.result["kernel"] = self.kernel
            queue = list(self.assets)
            headers = {"Cookie": self.cookie} if self.cookie else {}

            async def fetch_assets():  # six at a time, as a browser does
                while queue:
                    await http.fetch(queue.pop(), request_timeout=self.timeout, headers=headers)

            await asyncio.gather(*(fetch_assets() for _ in range(6)))
            self.session = session = uuid.uuid4().hex
            base = self.url.split("://", 1)[1].split("/", 1)[0]
            self.ws = await websocket_connect(
                HTTPRequest(
                    f"ws://{base}/api/kernels/{self.kernel}/channels?session_id={session}",
                    headers=headers,
                ),
                subprotocols=[V1],
                max_message_size=64 * 2**20,
            )
            comm = uuid.uuid4().hex
            await self.ws.write_message(_ws_msg("kernel_info_request", {}, session), binary=True)
            await self.ws.write_message(
                _ws_msg(
                    "comm_open",
                    {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                    session,
                    metadata={"version": "1.0.0"},
                ),
                binary=True,
            )
            await self.ws.write_message(
                _ws_msg(
                    "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, session
                ),
                binary=True,
            )
            states = await self._read(
                lambda t, c, _: (
                    c["data"]["states"]
                    if t == "comm_msg" and c["data"].get("method") == "update_states"
                    else None
                ),
                deadline,
            )
            self.result["tti"] = time.monotonic() - t0
            self.slider = next(
                (k, v["state"])
                for k, v in states.items()
                if v["model_name"] in ("FloatSliderModel", "IntSliderModel")
            )
            self.shown = {
                k for k, v in states.items() if v["model_name"] in ("ImageModel", "HTMLModel")
            }
            self.result["response"] = await self.move()
        except Exception as e:  # a lost session: counted, not fatal
            self.result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"
        return self.result

    async def move(self) -> float:
        """Move the slider one step; seconds until the kernel's new figure or text arrives.

        The answer is the first update of an image or HTML widget sent in
        reply to this very message (its parent), so a late answer to an
        earlier move is never taken for this one.
        """
        slider, s = self.slider
        new = s["value"] + s["step"] if s["value"] + s["step"] <= s["max"] else s["min"]
        s["value"] = new
        msg_id = uuid.uuid4().hex
        change = {"method": "update", "state": {"value": new}, "buffer_paths": []}
        t1 = time.monotonic()
        await self.ws.write_message(
            _ws_msg("comm_msg", {"comm_id": slider, "data": change}, self.session, msg_id=msg_id),
            binary=True,
        )
        await self._read(
            lambda t, c, parent: (
                True
                if t == "comm_msg"
                and parent == msg_id
                and c["comm_id"] in self.shown
                and c["data"].get("method") == "update"
                else None
            ),
            time.monotonic() + self.timeout,
        )
        return time.monotonic() - t1

    async def work(self, moves, think):
        """The room at work: ``moves`` slider moves, ``think`` seconds apart (+-50 %)."""
        if self.ws is None or self.result["error"]:
            return self.result
        try:
            for _ in range(moves):
                await asyncio.sleep(think * random.uniform(0.5, 1.5))
                self.result["moves"].append(await self.move())
        except Exception as e:
            self.result["error"] = f"{type(e).__name__} at work: {str(e).splitlines()[0][:120]}"
        return self.result

    async def close(self, http, tidy):
        """Close the tab: ``tidy`` as a browser does (asks the server to shut the kernel)."""
        from tornado.httpclient import HTTPRequest

        if tidy and self.kernel:
            token = uuid.uuid4().hex
            origin = "/".join(self.url.split("/")[:3])
            cookie = f"_xsrf={token}" + (f"; {self.cookie}" if self.cookie else "")
            request = HTTPRequest(
                f"{origin}/voila/api/shutdown/{self.kernel}",
                method="POST",
                body=f"_xsrf={token}",
                headers={"Cookie": cookie},
                request_timeout=30,
            )
            try:
                await http.fetch(request, raise_error=False)
            except Exception:
                pass
        if self.ws is not None:
            self.ws.close()


async def _arrive(args, i, visit):
    """Participant ``i`` arrives ``i`` steps into the arrival window (evenly spread).

    With ``--arrive-over 0`` everyone arrives at once. Time to interactive is
    counted from each participant's own arrival.
    """
    await asyncio.sleep(i * args.arrive_over / max(1, args.participants))
    return await visit


async def protocol_phases(args, url, assets, log_path, proc, meter):
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=8 * args.participants)
    http = AsyncHTTPClient()
    room = [ProtocolParticipant(url, assets, args.timeout) for _ in range(args.participants)]
    meter.phase = "arrival"
    first = await asyncio.gather(*(_arrive(args, i, p.visit(http)) for i, p in enumerate(room)))
    meter.phase = "work"
    await asyncio.gather(*(p.work(args.moves, args.think) for p in room))
    meter.phase = "burst"
    await _before_burst(args, proc)
    await asyncio.gather(*(p.close(http, tidy=True) for p in room))
    room = [ProtocolParticipant(url, assets, args.timeout) for _ in range(args.participants)]
    again = await asyncio.gather(*(p.visit(http) for p in room))
    meter.phase = "vanish"
    answers = _answers(url.split("?", 1)[0] + HEALTH)
    await asyncio.sleep(1)
    not_freed = len({r["kernel"] for r in first if r["kernel"]} - _shut_down(log_path))
    t_gone = time.monotonic()
    await asyncio.gather(*(p.close(http, tidy=False) for p in room))
    culled_after, left = await _wait_culled(args, again, log_path, t_gone)
    return first, again, answers, not_freed, culled_after, left


async def _before_burst(args, proc):
    """``--burst-at refilled``: the burst comes once the pool is full again."""
    if args.burst_at == "refilled":
        await asyncio.to_thread(wait_until_ready, proc, args, 60 + 6 * args.pool_size)


async def _wait_culled(args, sessions, log_path, t_gone):
    used = {r["kernel"] for r in sessions if r["kernel"]}
    left = used
    while time.monotonic() - t_gone < args.cull_after + 2 * 2 + 30:
        left = used - _shut_down(log_path)
        if not left:
            return time.monotonic() - t_gone, 0
        await asyncio.sleep(1)
    return None, len(left)


# --------------------------------------------------------------------------- browsers
async def browser_participant(browser, url, timeout_s, keep):
    """Open, wait until interactive, move a slider, wait for the change."""
    result = {"tti": None, "response": None, "error": None, "kernel": None, "full": False,
              "moves": []}  # fmt: skip
    context = await browser.new_context(viewport={"width": 1100, "height": 900})
    await context.add_init_script(NO_ANIMATION)
    keep.append(context)
    page = await context.new_page()
    t0 = time.monotonic()
    try:
        response = await page.goto(url, timeout=timeout_s * 1000)
        if response is not None and response.status == 503 and FULL in await page.content():
            result["full"] = True
            return result
        await page.wait_for_selector(WIDGET, timeout=timeout_s * 1000)
        result["tti"] = time.monotonic() - t0
        result["kernel"] = await page.evaluate(KERNEL_JS)
        before = await page.evaluate(STATE_JS)
        handle = await page.query_selector(HANDLE)
        if handle is None:
            raise RuntimeError("no slider on the dashboard")
        await handle.focus()
        t1 = time.monotonic()
        await page.keyboard.press("ArrowRight")
        while await page.evaluate(STATE_JS) == before:
            if time.monotonic() - t1 > timeout_s:
                raise TimeoutError("the slider changed nothing")
            await asyncio.sleep(0.05)
        result["response"] = time.monotonic() - t1
    except Exception as e:  # a lost session: counted, not fatal
        result["error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"
    return result


async def _close_tab(context):
    for page in context.pages:
        await page.close(run_before_unload=True)
    await asyncio.sleep(0.5)  # let the page send its "shut my kernel down" request
    await context.close()


async def capture_assets(url):
    """The same-origin files a browser fetches for the dashboard (one real visit); its kernel."""
    from playwright.async_api import async_playwright

    seen, kernel = [], None
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page()
            page.on("requestfinished", lambda r: seen.append(r.url))
            await page.goto(url, timeout=120_000)
            await page.wait_for_selector(WIDGET, timeout=120_000)
            kernel = await page.evaluate(KERNEL_JS)
            await page.close(run_before_unload=True)
            await asyncio.sleep(0.5)
        finally:
            await browser.close()
    page_url = url.split("?", 1)[0]
    origin = page_url.rstrip("/")
    assets = sorted(
        {u for u in seen if u.startswith(origin) and u.split("?", 1)[0] != page_url
         and "/api/" not in u}
    )  # fmt: skip
    return assets, kernel


async def browser_phases(args, url, log_path, proc, meter):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            keep = []
            n, t = args.participants, args.timeout
            meter.phase = "arrival"
            first = await asyncio.gather(
                *(_arrive(args, i, browser_participant(browser, url, t, keep)) for i in range(n))
            )
            meter.phase = "burst"
            await _before_burst(args, proc)
            await asyncio.gather(*(_close_tab(c) for c in keep))
            keep.clear()
            again = await asyncio.gather(
                *(browser_participant(browser, url, t, keep) for _ in range(n))
            )
            meter.phase = "vanish"
            answers = _answers(url.split("?", 1)[0] + HEALTH)
            not_freed = len({r["kernel"] for r in first if r["kernel"]} - _shut_down(log_path))
            t_gone = time.monotonic()
            await browser.close()  # every tab vanishes, no beforeunload
            culled_after, left = await _wait_culled(args, again, log_path, t_gone)
        finally:
            if browser.is_connected():
                await browser.close()
    return first, again, answers, not_freed, culled_after, left


# --------------------------------------------------------------------------- report
def _pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _row(name, results, moves=None):
    """One line of the table; ``moves``: the response times to show (default: first moves)."""
    tti = [r["tti"] for r in results if r["tti"] is not None]
    if moves is None:
        moves = [r["response"] for r in results if r["response"] is not None]
    lost = [r["error"] for r in results if r["error"]]
    full = sum(r["full"] for r in results)
    print(
        f"{name:28s} {len(results):5d} {_pct(tti, 50):7.1f}s {_pct(tti, 95):7.1f}s "
        f"{max(tti, default=float('nan')):7.1f}s {_pct(moves, 50):8.2f}s {_pct(moves, 95):8.2f}s "
        f"{len(moves):5d} {full:5d} {len(lost):5d}"
    )
    for e in lost[:3]:
        print(f"    lost: {e}")
    return {"tti95": _pct(tti, 95), "move95": _pct(moves, 95), "lost": len(lost), "full": full,
            "served": len(tti)}  # fmt: skip


def report(kind, args, outcome, cpu):
    first, again, answers, not_freed, culled_after, left = outcome
    arrival = _row(f"{kind}: arrival", first)
    work = [m for r in first for m in r["moves"]]
    at_work = _row(f"{kind}: room at work", first, work) if work else None
    burst = _row(f"{kind}: reconnect burst", again)
    server_cpu, browser_cpu = cpu
    served = sum(1 for r in first if r["kernel"])
    notes = [
        f"CPU used: server {server_cpu:.0f} s"
        + (f", browsers {browser_cpu:.0f} s" if browser_cpu else ""),
        f"server answered after the burst: {'yes' if answers else 'NO'}",
        f"tabs closed normally: {served - not_freed} of {served} kernels shut down at once",
        f"tabs vanished: kernels culled within {culled_after:.0f} s"
        if culled_after is not None
        else f"tabs vanished: {left} kernel(s) still running after the culling window",
    ]
    if work:
        notes.insert(0, f"room at work: {args.moves} moves each, {args.think:g} s apart (+-50 %)")
    for note in notes:
        print(f"    {note}")
    return {"arrival": arrival, "work": at_work, "burst": burst, "answers": answers}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=25)
    ap.add_argument("--quick", action="store_true", help="2 participants, 5 s culling")
    ap.add_argument("--clients", choices=["both", "protocol", "browser"], default="both")
    ap.add_argument(
        "--pool-size", type=int, default=None, help="preheated kernels (default: the room size)"
    )
    ap.add_argument(
        "--room-size",
        type=int,
        default=None,
        help="seats (crmkit workshop --room-size; default: participants); fewer than the "
        "participants: the excess must get the room-full page; 0: no cap, and Voila refills "
        "its pool after every page as it does alone",
    )
    ap.add_argument("--moves", type=int, default=5, help="slider moves each, room at work")
    ap.add_argument(
        "--think", type=float, default=3.0, help="seconds between two moves (+-50 %%)"
    )
    ap.add_argument("--dashboard", default="retention-economics")
    ap.add_argument("--cull-after", type=int, default=15, help="culling time (s) for the test")
    ap.add_argument("--timeout", type=int, default=120, help="seconds a participant waits")
    ap.add_argument(
        "--arrive-over",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="spread the arrivals evenly over this many seconds (default 0: all at once)",
    )
    ap.add_argument(
        "--refill-delay", type=int, default=5, help="seconds before a taken kernel is replaced"
    )
    ap.add_argument(
        "--burst-at",
        choices=["now", "refilled"],
        default="now",
        help="reconnect burst right after the arrival (worst case) or once the pool refilled",
    )
    args = ap.parse_args(argv)
    if args.quick:  # a smoke run of every phase: two participants, short culling
        args.participants = 2
        args.arrive_over = min(args.arrive_over, 1.0)
        args.cull_after = min(args.cull_after, 5)
        args.refill_delay = min(args.refill_delay, 1)
        args.moves, args.think = min(args.moves, 2), min(args.think, 0.5)
    if args.room_size is None:
        args.room_size = args.participants
    if args.pool_size is None:
        args.pool_size = args.room_size or args.participants
    try:
        import playwright  # noqa: F401
        import voila  # noqa: F401
    except ImportError as e:
        print(f"{e.name} is not installed (pip install -e '.[workshop,test]'): benchmark skipped.")
        return 0
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium): benchmark skipped.")
        return 0

    log_path = Path(tempfile.mkdtemp(prefix="bench-workshop-")) / "voila.log"
    print(
        f"workshop load: {args.participants} participants on {args.dashboard!r}, "
        f"{args.pool_size} preheated kernels, "
        f"{f'room of {args.room_size}' if args.room_size else 'no room size'}, "
        f"culling after {args.cull_after} s, arriving "
        f"{'at once' if not args.arrive_over else f'over {args.arrive_over:g} s'}; "
        f"{os.cpu_count()} cores"
    )
    proc, url = start_server(args, log_path)
    room = f"{url}?code={ROOM_CODE}"  # the participants' link
    meter = Meter(proc.pid)
    meter.start()
    results = []
    try:
        took = wait_until_ready(proc, args, 60 + 6 * args.pool_size)
        idle, kernels = _rss(_tree(proc.pid)), _kernels(proc.pid)
        per_kernel = (idle - _rss([proc.pid])) / max(1, kernels) / 2**20
        print(
            f"pool ready in {took:.0f} s: {idle / 2**30:.2f} GiB for Voila and its {kernels} "
            f"kernels ({per_kernel:.0f} MiB a kernel, Voila {_rss([proc.pid]) / 2**20:.0f} MiB)"
        )
        assets, kernel = asyncio.run(capture_assets(room))
        print(f"a dashboard page loads {len(assets)} files from the server")
        t0 = time.monotonic()  # its seat must be free again before the room arrives
        while kernel not in _shut_down(log_path) and time.monotonic() - t0 < args.cull_after + 60:
            time.sleep(1)
        print()
        print(
            f"{'':28s} {'sess.':>5s} {'TTI p50':>8s} {'TTI p95':>8s} {'TTI max':>8s} "
            f"{'move p50':>9s} {'move p95':>9s} {'moves':>5s} {'full':>5s} {'lost':>5s}"
        )
        kinds = ["protocol", "browser"] if args.clients == "both" else [args.clients]
        for kind in kinds:
            wait_until_ready(proc, args, 60 + 6 * args.pool_size)
            cpu0 = meter.totals()
            if kind == "protocol":
                outcome = asyncio.run(protocol_phases(args, room, assets, log_path, proc, meter))
            else:
                outcome = asyncio.run(browser_phases(args, room, log_path, proc, meter))
            time.sleep(1)
            cpu1 = meter.totals()
            cpu = (cpu1[0] - cpu0[0], cpu1[1] - cpu0[1])
            results.append((kind, report(kind, args, outcome, cpu)))
    finally:
        meter.stop.set()
        meter.join()
        stop_server(proc)
    print()
    phases = ", ".join(f"{k} {v / 2**30:.2f}" for k, v in meter.phase_peak.items())
    print(
        f"peak memory (Voila + kernels): {meter.peak / 2**30:.2f} GiB ({phases}); "
        f"peak kernels: {meter.peak_kernels}"
    )
    room_peak = max(meter.phase_peak.get(k, 0) for k in ("arrival", "work")) / 2**30
    seats = min(args.participants, args.room_size or args.participants)
    for kind, r in results:
        a, w = r["arrival"], r["work"] or r["arrival"]
        met = (a["served"] == seats and a["lost"] == 0 and a["full"] == args.participants - seats
               and a["tti95"] <= 10 and w["move95"] <= 0.5 and room_peak <= 12)  # fmt: skip
        print(
            f"issue #17 room with {kind} participants (all {seats} seats served, the rest "
            f"shown the room-full page, TTI p95 <= 10 s, move p95 <= 0.5 s while the room "
            f"works, peak <= 12 GiB): {'met' if met else 'NOT met'} (served {a['served']}, "
            f"full {a['full']}, lost {a['lost']}, TTI p95 {a['tti95']:.1f} s, move p95 "
            f"{w['move95']:.2f} s, peak {room_peak:.2f} GiB; burst: {r['burst']['lost']} lost, "
            f"server {'up' if r['answers'] else 'DOWN'})"
        )
    print(f"server log: {log_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
