"""A class on JupyterHub, rehearsed on this computer: three participants in Chromium.

A local JupyterHub (PyPI) with configurable-http-proxy (npm, ``make
hub-proxy``), the dummy authenticator and the simple local spawner, set up by
:func:`crmkit.workshop.hub.configure_local_hub`, everything on loopback. Three
participants log in, each lands on the retention-economics dashboard in a
Jupyter server of their own (Voila's server extension, the kit's template),
and moves its slider; the figure and text change. A wrong password gets no
server. When the hub stops, no participant's server is left.

The memory each participant's server holds (server plus dashboard kernel) is
printed: the README's Zero-to-JupyterHub guarantees come from that figure.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import in_ci
from dashboard_page import (
    dashboard_state,
    free_port,
    move_a_control,
    wait_for_change,
    wait_until_answers,
)

from crmkit.workshop.hub import (
    DASHBOARDS_FOLDER,
    copy_dashboards,
    dashboard_url,
    main,
    proxy_command,
    singleuser_config,
)
from crmkit.workshop.server import CELL_ERROR, DASHBOARDS, NOT_PREHEATED, stop_tree

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".hub" / "node_modules"
USERS = ("ana", "bo", "cy")
PASSWORD = "rehearsal-pw-7"
SHOTS = Path("/tmp/workshop_shots")

CONFIG = """\
import json, os
from crmkit.workshop.hub import configure_local_hub
a = json.loads(os.environ["CRMKIT_TEST_HUB"])
configure_local_hub(c, **a)
"""


def _need(what: str, why: str):
    if in_ci():
        pytest.fail(f"{what} is missing and CI is set: {why}")
    pytest.skip(f"{what} is missing: {why}")


@pytest.fixture(scope="module")
def hub(chromium_browser, tmp_path_factory):
    if importlib.util.find_spec("jupyterhub") is None:
        _need("jupyterhub", "install the hub extra ('.[hub]', make test does)")
    if importlib.util.find_spec("voila") is None:
        _need("voila", "install the workshop extra ('.[workshop]')")
    try:
        proxy = proxy_command(NODE_MODULES)
    except FileNotFoundError as e:
        _need("configurable-http-proxy", str(e))
    workdir = tmp_path_factory.mktemp("hub")
    (workdir / "jupyterhub_config.py").write_text(CONFIG, encoding="utf-8")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    args = {"workdir": str(workdir), "port": port, "hub_port": hub_port, "api_port": api_port,
            "password": PASSWORD, "users": list(USERS), "proxy": proxy}  # fmt: skip
    import json

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["CRMKIT_TEST_HUB"] = json.dumps(args)
    log_path = workdir / "hub.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(workdir / "jupyterhub_config.py")],
        cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(proc, base + "/hub/health", log_path, what="jupyterhub", timeout=90)
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield {"base": base, "proc": proc, "log": log_path, "workdir": workdir,
               "browser": chromium_browser}  # fmt: skip
    finally:
        stop_tree(proc, grace=30)
        log.close()


def _login(hub, user, password=PASSWORD):
    context = hub["browser"].new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def _request(r):
        host = r.url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
        if not r.url.startswith(("data:", "blob:", "about:")) and host not in ("127.0.0.1",):
            outside.append(r.url)

    page.on("request", _request)
    page.goto(hub["base"] + "/hub/login", timeout=60_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    return context, page, errors, outside


def _user_servers(workdir: Path) -> dict:
    """The participants' server processes (and their children), by user name."""
    found: dict = {}
    homes = str(workdir / "homes") + "/"
    for p in psutil.process_iter(["cmdline", "cwd"]):
        try:
            cmd = " ".join(p.info["cmdline"] or [])
            cwd = p.info["cwd"] or ""
        except (psutil.Error, TypeError):
            continue
        if "jupyterhub-singleuser" in cmd and cwd.startswith(homes):
            found[cwd[len(homes) :].split("/")[0]] = p
    return found


def _rss_tree(p: psutil.Process) -> int:
    total = 0
    for q in [p, *p.children(recursive=True)]:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def test_the_singleuser_config_carries_the_workshop_settings():
    cfg = singleuser_config()
    assert cfg["ServerApp"]["jpserver_extensions"] == {"voila.server_extension": True}
    assert cfg["VoilaConfiguration"]["strip_sources"] is True
    assert cfg["VoilaConfiguration"]["show_tracebacks"] is False
    assert cfg["VoilaExecutor"]["cell_error_instruction"] == CELL_ERROR


def test_copy_dashboards_leaves_the_trainer_page_out_and_keeps_a_participants_changes(tmp_path):
    target = copy_dashboards(tmp_path)
    names = sorted(p.name for p in target.iterdir())
    expected = sorted(d.filename for d in DASHBOARDS.values() if d.name not in NOT_PREHEATED)
    assert names == expected and target.name == DASHBOARDS_FOLDER
    mine = target / names[0]
    mine.write_text("my notes", encoding="utf-8")
    (target / names[1]).unlink()  # deleted by the participant, or new in a later kit
    copy_dashboards(tmp_path)
    assert mine.read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in target.iterdir()) == expected
    copy_dashboards(tmp_path, overwrite=True)
    assert mine.read_text(encoding="utf-8") != "my notes"


def test_dashboard_url_refuses_the_trainer_page_and_unknown_names():
    assert dashboard_url("lifecycle", "ana") == (
        f"/user/ana/voila/render/{DASHBOARDS_FOLDER}/{DASHBOARDS['lifecycle'].filename}"
    )
    for bad in ("merge-scorecards", "nope"):
        with pytest.raises(ValueError, match="participant's dashboard"):
            dashboard_url(bad)


def test_proxy_command_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="make hub-proxy"):
        proxy_command(tmp_path / "node_modules")


def test_an_image_gets_the_config_and_the_template(tmp_path, capsys):
    assert main(["image", "--config-dir", str(tmp_path / "etc"),
                 "--share-dir", str(tmp_path / "share")]) == 0  # fmt: skip
    import json

    cfg = json.loads((tmp_path / "etc" / "jupyter_server_config.json").read_text("utf-8"))
    assert cfg == json.loads(json.dumps(singleuser_config()))
    page = tmp_path / "share" / "voila" / "templates" / "crmkit" / "index.html.j2"
    assert "html_head_js_mathjax" in page.read_text("utf-8")
    assert main(["dashboards", str(tmp_path / "home")]) == 0
    assert (tmp_path / "home" / DASHBOARDS_FOLDER / DASHBOARDS["lifecycle"].filename).is_file()


def test_a_local_hub_without_its_proxy_or_a_class_list_says_what_to_do(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["local", "--users", "ana", "--workdir", str(tmp_path / "w"),
              "--node-modules", str(tmp_path / "none")])  # fmt: skip
    err = capsys.readouterr().err
    assert "configurable-http-proxy" in err and "make hub-proxy" in err
    with pytest.raises(SystemExit):
        main(["local", "--users", " , ", "--workdir", str(tmp_path / "w")])
    assert "names nobody" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()  # nothing written before the checks pass


def test_three_participants_log_in_open_a_dashboard_and_move_a_slider(hub):
    opened = []
    try:
        for user in USERS:
            opened.append((user, *_login(hub, user)))
        for user, _context, page, _errors, _outside in opened:
            page.wait_for_url(f"**/user/{user}/voila/render/**", timeout=180_000)
        for user, _context, page, errors, outside in opened:
            page.wait_for_selector("#rendered_cells img.widget-image[src]", timeout=180_000)
            assert page.query_selector(".crmkit-message") is None, user
            assert "retention" in page.inner_text("body").lower(), user
            before = dashboard_state(page)
            assert move_a_control(page) == "slider"
            assert wait_for_change(page, before), f"{user}: the dashboard did not answer"
            page.screenshot(path=str(SHOTS / f"hub-{user}.png"), full_page=True)
            assert errors == [], f"{user}: page errors {errors}"
            assert outside == [], f"{user}: requests that leave this machine {outside}"
        servers = _user_servers(hub["workdir"])
        assert sorted(servers) == sorted(USERS)
        sizes = {u: _rss_tree(p) / 2**20 for u, p in servers.items()}
        print("hub: memory per participant (server + dashboard kernel), MiB:",
              {u: round(v) for u, v in sizes.items()})  # fmt: skip
        # each participant's server is their own: a home folder each, no shared kernel
        assert len({p.pid for p in servers.values()}) == len(USERS)
    finally:
        for _user, context, *_ in opened:
            context.close()


def test_a_wrong_password_gets_no_server(hub):
    context, page, _errors, _outside = _login(hub, "ana", "not-the-password")
    try:
        page.wait_for_load_state("load")
        assert "/hub/login" in page.url
        assert "invalid" in page.inner_text("body").lower()
        # someone not on the class list gets nothing either
        context2, page2, _e, _o = _login(hub, "mallory")
        page2.wait_for_load_state("load")
        assert "/user/mallory" not in page2.url
        assert "mallory" not in _user_servers(hub["workdir"])
        context2.close()
    finally:
        context.close()


def test_stopping_the_hub_stops_every_participants_server(hub):
    # runs last in this module (pytest keeps file order): the fixture's hub is stopped here
    before = _user_servers(hub["workdir"])
    pids = [p.pid for p in before.values()]
    stop_tree(hub["proc"], grace=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(psutil.pid_exists(pid) for pid in pids):
        time.sleep(0.5)
    assert not [pid for pid in pids if psutil.pid_exists(pid)]
    assert _user_servers(hub["workdir"]) == {}

