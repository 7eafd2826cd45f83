"""The workshop past one machine: every participant's own server, on JupyterHub.

``crmkit workshop`` serves a room from one computer (one Voila process, one
kernel per page). A class larger than one computer holds runs on
`JupyterHub <https://jupyterhub.readthedocs.io>`_, which institutions already
use for classes: each participant logs in and gets a Jupyter server of their
own with crmkit installed, the dashboards through Voila's server extension
(``/user/NAME/voila/render/crmkit-dashboards/...``) and the exercises through
an nbgitpuller link. The README's "A class on JupyterHub" section has the
Zero-to-JupyterHub configuration for a class of 200; this module holds what
both a Kubernetes deployment and a local hub need:

- :func:`singleuser_config`: the Voila settings of ``crmkit workshop`` (the
  kit's template, code hidden, friendly errors, patient timeouts) as a Jupyter
  server configuration, written by :func:`write_singleuser_config` into a
  folder that goes on ``JUPYTER_CONFIG_PATH`` (or into ``/etc/jupyter`` of a
  Docker image);
- :func:`copy_dashboards`: the participants' dashboards into a home folder (the
  trainer's merge page stays out: on a hub it belongs to the trainer alone);
- :func:`singleuser_environment`: the environment of a participant's server;
- :func:`configure_local_hub`: a JupyterHub on this computer for a small class
  or a rehearsal (dummy passwords, local processes, everything on loopback),
  used by the tests with three participants in Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from crmkit.paths import package_dir
from crmkit.workshop.server import (
    CELL_ERROR,
    CELL_TIMEOUT,
    DASHBOARDS,
    DASHBOARDS_DIR,
    NOT_PREHEATED,
    TEMPLATE,
    TEMPLATE_ROOT,
)

__all__ = [
    "DASHBOARDS_FOLDER",
    "PROXY_PACKAGE",
    "configure_local_hub",
    "copy_dashboards",
    "dashboard_url",
    "install_template",
    "main",
    "proxy_command",
    "singleuser_config",
    "singleuser_environment",
    "write_singleuser_config",
]

#: The folder, in each participant's home, that holds the dashboards.
DASHBOARDS_FOLDER = "crmkit-dashboards"
#: The npm package and lock file of configurable-http-proxy (JupyterHub's proxy).
PROXY_PACKAGE = package_dir("workshop", "share", "hub")


def singleuser_config() -> dict:
    """The Jupyter server configuration of a participant's server (Voila's extension)."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"voila.server_extension": True},
            # No CDN: Voila's page loads MathJax from cdnjs unless both are
            # null (the standalone ``voila`` leaves them unset; a server doesn't).
            "tornado_settings": {"mathjax_url": None, "mathjax_config": None},
        },
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "theme": "light",
            "strip_sources": True,
            "show_tracebacks": False,
        },
        "VoilaExecutor": {
            "cell_error_instruction": CELL_ERROR,
            "cell_timeout_instruction": CELL_TIMEOUT,
            "iopub_timeout": 60,
            "startup_timeout": 180,
        },
    }


def write_singleuser_config(folder: str | Path) -> Path:
    """Write :func:`singleuser_config` as ``jupyter_server_config.json`` in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jupyter_server_config.json"
    path.write_text(json.dumps(singleuser_config(), indent=2) + "\n", encoding="utf-8")
    return path


def copy_dashboards(home: str | Path, *, overwrite: bool = False) -> Path:
    """Copy the participants' dashboards into ``home``/crmkit-dashboards.

    A dashboard already there is left as it is (the participant may have
    changed it) unless ``overwrite=True``; one that is missing (new in this
    version of the kit, or deleted) is copied.
    """
    target = Path(home) / DASHBOARDS_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for d in DASHBOARDS.values():
        dest = target / d.filename
        if d.name not in NOT_PREHEATED and (overwrite or not dest.exists()):
            shutil.copyfile(DASHBOARDS_DIR / d.filename, dest)
    return target


def dashboard_url(name: str, user: str | None = None) -> str:
    """The path of dashboard ``name`` on a hub (for ``user``, or ``/user-redirect``)."""
    if name not in DASHBOARDS or name in NOT_PREHEATED:
        names = ", ".join(n for n in DASHBOARDS if n not in NOT_PREHEATED)
        raise ValueError(f"dashboard_url: `name` {name!r} is not a participant's dashboard; "
                         f"use one of {names}.")  # fmt: skip
    prefix = f"/user/{user}" if user else "/user-redirect"
    return f"{prefix}/voila/render/{DASHBOARDS_FOLDER}/{DASHBOARDS[name].filename}"


def singleuser_environment(config_dir: str | Path, data_dir: str | Path | None = None) -> dict:
    """The environment of a participant's server: the kit's template, config and data."""
    env = {
        "JUPYTER_PATH": str(TEMPLATE_ROOT),
        "JUPYTER_CONFIG_PATH": str(Path(config_dir).resolve()),
        "MPLBACKEND": "Agg",
    }
    if data_dir is not None:
        env["CRMKIT_DATA_DIR"] = str(Path(data_dir).resolve())
    return env


def proxy_command(node_modules: str | Path | None = None) -> list[str]:
    """The configurable-http-proxy command: from ``node_modules`` or the PATH.

    ``make hub-proxy`` installs it (npm, the version locked in
    ``crmkit/workshop/share/hub``) into ``.hub/node_modules`` of the checkout.
    """
    candidates = []
    if node_modules is not None:
        candidates.append(Path(node_modules) / ".bin" / "configurable-http-proxy")
    found = shutil.which("configurable-http-proxy")
    if found:
        candidates.append(Path(found))
    for c in candidates:
        if c.exists():
            return [str(c)]
    raise FileNotFoundError(
        "configurable-http-proxy (JupyterHub's proxy, from npm) was not found"
        + (f" in {str(node_modules)!r}" if node_modules is not None else "")
        + ". Install it with `make hub-proxy` (or `npm install -g configurable-http-proxy`)."
    )


def configure_local_hub(
    c,
    *,
    workdir: str | Path,
    port: int,
    hub_port: int,
    api_port: int,
    password: str,
    users: list[str] | tuple[str, ...],
    proxy: list[str],
    data_dir: str | Path | None = None,
    admin: str | None = None,
) -> None:
    """Set a JupyterHub config ``c`` for a hub on this computer (loopback only).

    Participants log in with their name and the shared ``password``
    (``DummyAuthenticator``: for a rehearsal or a trusted room, never the
    internet); each gets a Jupyter server of their own as a local process
    (``SimpleLocalProcessSpawner``) with home ``workdir/homes/NAME`` holding the
    dashboards, and lands on the retention-economics dashboard. Only the names
    in ``users`` (and ``admin``) may log in.
    """
    if not password:
        raise ValueError("configure_local_hub: `password` must not be empty; choose one to share.")
    workdir = Path(workdir).resolve()
    homes = workdir / "homes"
    homes.mkdir(parents=True, exist_ok=True)
    config_dir = workdir / "singleuser-config"
    write_singleuser_config(config_dir)

    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.port = port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = hub_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{api_port}"
    c.ConfigurableHTTPProxy.command = list(proxy)
    c.ConfigurableHTTPProxy.pid_file = str(workdir / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{workdir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(workdir / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(workdir / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True  # the hub's stop stops every participant's server

    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = password
    c.Authenticator.allowed_users = set(users)
    if admin:
        c.Authenticator.admin_users = {admin}

    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
    c.Spawner.default_url = dashboard_url("retention-economics").replace("/user-redirect", "")
    c.Spawner.environment = singleuser_environment(config_dir, data_dir)
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120

    def _prepare(spawner):
        home = homes / spawner.user.name
        home.mkdir(parents=True, exist_ok=True)
        copy_dashboards(home)

    c.Spawner.pre_spawn_hook = _prepare


def install_template(share: str | Path) -> Path:
    """Copy the kit's Voila template into ``share``/voila/templates (a Jupyter data folder).

    For a Docker image: ``sys.prefix``/share/jupyter is on every server's
    Jupyter path, so the template is found without ``JUPYTER_PATH``.
    """
    src = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE
    dest = Path(share) / "voila" / "templates" / TEMPLATE
    shutil.copytree(src, dest, dirs_exist_ok=True)
    return dest


_LOCAL_CONFIG = """\
# Written by `python -m crmkit.workshop.hub local`: a JupyterHub on this computer.
import json, os
from crmkit.workshop.hub import configure_local_hub
configure_local_hub(c, **json.loads(os.environ["CRMKIT_LOCAL_HUB"]))
"""


def main(argv: list[str] | None = None) -> int:
    """``python -m crmkit.workshop.hub``: set up an image, a home, or run a local hub."""
    import argparse
    import json
    import secrets
    import socket

    parser = argparse.ArgumentParser(
        prog="python -m crmkit.workshop.hub",
        description="The workshop on JupyterHub (see the README, 'A class on JupyterHub').",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    img = sub.add_parser("image", help="in a Docker image: write the server config and template")
    img.add_argument("--config-dir", default="/etc/jupyter", help="default: /etc/jupyter")
    img.add_argument("--share-dir", default=str(Path(sys.prefix) / "share" / "jupyter"),
                     help="a Jupyter data folder (default: sys.prefix/share/jupyter)")  # fmt: skip
    home = sub.add_parser("dashboards", help="copy the dashboards into a home folder")
    home.add_argument("home", help="e.g. /home/jovyan")
    home.add_argument("--overwrite", action="store_true", help="replace a participant's copy")
    local = sub.add_parser("local", help="run a JupyterHub on this computer (a rehearsal)")
    local.add_argument("--users", required=True, help="comma-separated names: the class list")
    local.add_argument("--password", help="shared password (default: made up and printed)")
    local.add_argument("--port", type=int, default=8000, help="default: 8000 (on 127.0.0.1)")
    local.add_argument("--workdir", default="crmkit-hub",
                       help="its homes and database (default: ./crmkit-hub)")  # fmt: skip
    local.add_argument("--node-modules", default=".hub/node_modules",
                       help="where `make hub-proxy` put configurable-http-proxy")  # fmt: skip
    local.add_argument("--data", help="the dashboards' dataset folder (default: the kit's)")
    args = parser.parse_args(argv)

    if args.command == "image":
        print(write_singleuser_config(args.config_dir))
        print(install_template(args.share_dir))
        return 0
    if args.command == "dashboards":
        print(copy_dashboards(args.home, overwrite=args.overwrite))
        return 0
    users = [u.strip() for u in args.users.split(",") if u.strip()]
    if not users:
        parser.error(f"--users {args.users!r} names nobody; give names like ana,bo,cy")
    try:
        proxy = proxy_command(args.node_modules)
    except FileNotFoundError as e:
        parser.error(str(e))

    def free() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    password = args.password or secrets.token_urlsafe(9)
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "jupyterhub_config.py"
    config.write_text(_LOCAL_CONFIG, encoding="utf-8")
    settings = {"workdir": str(workdir), "port": args.port, "hub_port": free(),
                "api_port": free(), "password": password, "users": users, "proxy": proxy,
                "data_dir": args.data}  # fmt: skip
    env = {**os.environ, "CRMKIT_LOCAL_HUB": json.dumps(settings)}
    print(f"JupyterHub on http://127.0.0.1:{args.port}/ for {', '.join(users)}; "
          f"password: {password}. Ctrl-C stops it and every participant's server.")  # fmt: skip
    import subprocess

    return subprocess.call([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                           cwd=workdir, env=env)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
