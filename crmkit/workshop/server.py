"""Serve the workshop dashboards with Voila: the command, its settings and why.

:func:`voila_command` builds the command line and :func:`voila_env` its
environment; :func:`serve` runs it in the foreground (``crmkit workshop``).
The settings, each for a reason:

- **Loopback by default** (``--Voila.ip=127.0.0.1``): nothing is reachable from
  the network unless the trainer passes ``host="0.0.0.0"``. (The standalone
  ``voila`` command runs as root without ``--allow-root``, and refuses that
  option, unlike ``jupyter lab``.)
- **No CDN**: the ``crmkit`` template (``share/jupyter/voila/templates/crmkit``
  in this package, found through ``JUPYTER_PATH``) is Voila's ``lab`` template
  without its Font Awesome links; Voila's own bundle already carries Font
  Awesome 5 for the widgets' icons.
- **Code hidden, tracebacks to the trainer**: ``strip_sources`` and
  ``show_tracebacks=False``; participants read a friendly line, Voila logs
  the traceback to the console (and :mod:`crmkit.workshop.dashboard` copies a
  kernel's stderr there too).
- **Preheated kernels**: ``preheat_kernel`` keeps ``pool_size`` kernels per
  dashboard started and already executed, so a participant's page renders
  without waiting for Python to start (the ``merge-scorecards`` dashboard,
  for the trainer, is left out of the pool). With a room size the preheated
  kernels are seats kept ready: the pool is never refilled beyond the room
  (:mod:`crmkit.workshop.manager`), so a room that arrives takes its kernels
  without a single new one competing for the cores.
- **Light kernels**: a dashboard imports only its widget's module, a widget
  that uses no data loads no world, the others unpickle the world the server
  loaded once (:func:`write_world_cache`), and numerical libraries use one
  thread each.
- **Culling**: a kernel whose page is gone (closed tab, a laptop that left:
  the websocket pings stop) and that has been idle for ``cull_idle_timeout``
  seconds is shut down (``cull_connected=False``: open pages are never
  culled). A tab closed normally shuts its kernel down at once (the template
  sets the cookie Voila's page needs for that); a laptop that leaves without
  closing stops answering the server's websocket pings (Jupyter Server's
  defaults: every 30 s, closed after 90 s without an answer), which makes its
  kernel disconnected, then culled. :mod:`crmkit.workshop.manager` keeps the
  culler off a kernel just taken from the pool until its page connects.
- **A room at once**: kernels talk to the server over Unix sockets (no TCP
  port collisions when many start together), Voila waits longer for a busy
  kernel's output, and websockets of the old kernel protocol (which freeze
  Voila 0.5) are refused.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crmkit.paths import package_dir

__all__ = [
    "Dashboard",
    "DASHBOARDS",
    "DASHBOARDS_DIR",
    "TEMPLATE",
    "TEMPLATE_ROOT",
    "dashboard_path",
    "voila_command",
    "voila_env",
    "serve",
    "write_world_cache",
]

HERE = package_dir("workshop")
DASHBOARDS_DIR = HERE / "dashboards"
#: A Jupyter data directory holding ``voila/templates/crmkit``.
TEMPLATE_ROOT = HERE / "share" / "jupyter"
TEMPLATE = "crmkit"
KERNEL_MANAGER = "crmkit.workshop.manager.WorkshopKernelManager"
WEBSOCKET_CONNECTION = "crmkit.workshop.manager.V1WebsocketConnection"
IDENTITY_PROVIDER = "crmkit.workshop.auth.RoomIdentityProvider"

#: Environment variables the dashboards read (set by ``crmkit workshop``).
DATA_DIR_ENV = "CRMKIT_DATA_DIR"
SCORECARDS_ENV = "CRMKIT_SCORECARDS_DIR"
#: The world, loaded once by the server and pickled for its kernels (:func:`write_world_cache`).
WORLD_CACHE_ENV = "CRMKIT_WORLD_CACHE"
#: One thread per numerical library in a kernel: a kernel draws one figure at a
#: time, and a room of kernels each starting a thread per core only competes.
ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: What participants see when a dashboard's code fails (Voila adds "There was
#: an error when executing cell [N]." before it).
CELL_ERROR = (
    "Sorry, this dashboard could not be shown. Please tell the trainer: the details "
    "are in the trainer's console."
)
CELL_TIMEOUT = "Please tell the trainer: the dashboard took too long to start."


@dataclass(frozen=True)
class Dashboard:
    name: str  # the --dashboard NAME
    filename: str  # in DASHBOARDS_DIR
    widget: str | None  # name in crmkit.widgets.registry(); None for the trainer's merge
    title: str
    module: str | None = None  # the widget's module in crmkit.widgets: the only one imported
    world: bool = True  # whether the widget works on a world (loaded by the kernel)


DASHBOARDS: dict[str, Dashboard] = {
    d.name: d
    for d in (
        Dashboard(
            "retention-economics",
            "1-retention-economics.ipynb",
            "retention_simulator",
            "Retention economics simulator",
            module="economics",
            world=False,  # the model runs on assumptions
        ),
        Dashboard(
            "lifecycle",
            "2-lifecycle.ipynb",
            "lifecycle_simulator",
            "Lifecycle simulator",
            module="lifecycle",
        ),
        Dashboard(
            "strategy-scorecard",
            "3-strategy-scorecard.ipynb",
            "strategy_self_assessment",
            "Ten-strategy scorecard",
            module="strategy",
            world=False,  # a self-assessment uses no data
        ),
        Dashboard(
            "segments",
            "4-segments.ipynb",
            "segment_explorer",
            "Segment explorer",
            module="segments",
        ),
        Dashboard(
            "termination",
            "5-termination.ipynb",
            "termination_explorer",
            "Termination what-if",
            module="termination",
        ),
        Dashboard(
            "merge-scorecards",
            "6-merge-scorecards.ipynb",
            None,
            "Merge the room's scorecards (trainer)",
        ),
    )
}

#: Dashboards kept out of the kernel pool (only the trainer opens them).
NOT_PREHEATED = ("merge-scorecards",)


def dashboard_path(name: str) -> Path:
    """The notebook of dashboard ``name`` (a key of :data:`DASHBOARDS`)."""
    if name not in DASHBOARDS:
        raise ValueError(f"unknown dashboard {name!r}; choose one of {', '.join(DASHBOARDS)}.")
    return DASHBOARDS_DIR / DASHBOARDS[name].filename


def voila_command(
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    dashboard: str | None = None,
    root: str | Path | None = None,
    pool_size: int = 2,
    cull_idle_timeout: int = 300,
    cull_interval: int = 60,
    refill_delay: int = 5,
    python: str | None = None,
    extra: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """The Voila command line that serves the dashboards.

    Parameters
    ----------
    host : str, default="127.0.0.1"
        Address to listen on. ``"0.0.0.0"`` opens the dashboards (and a
        Python kernel per visitor) to the whole network.
    port : int, default=8866
    dashboard : str, optional
        Serve only this dashboard (a key of :data:`DASHBOARDS`), at ``/``.
        Default: all of them, listed at ``/``.
    root : str or Path, optional
        Folder of dashboard notebooks to serve (default: the package's
        ``dashboards/``).
    pool_size : int, default=2
        Preheated kernels kept ready per dashboard; 0 switches preheating off.
    cull_idle_timeout : int, default=300
        Seconds after which an idle kernel without an open page is shut down.
    cull_interval : int, default=60
        Seconds between two checks for such kernels.
    refill_delay : int, default=5
        Seconds after a preheated kernel is taken before a new one is started
        in its place.
    python : str, optional
        The Python that runs Voila (default: this one).
    extra : sequence of str
        More Voila arguments, appended last.

    Returns
    -------
    list of str

    Examples
    --------
    >>> cmd = voila_command(port=8900, pool_size=0, python="python")
    >>> cmd[:3], "--Voila.ip=127.0.0.1" in cmd, "--port=8900" in cmd
    (['python', '-m', 'voila'], True, True)
    """
    if not isinstance(host, str) or not host:
        raise TypeError(f"voila_command: `host` must be an address (str), got {host!r}.")
    for arg, value, low in (
        ("port", port, 1),
        ("pool_size", pool_size, 0),
        ("cull_idle_timeout", cull_idle_timeout, 1),
        ("cull_interval", cull_interval, 1),
        ("refill_delay", refill_delay, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"voila_command: `{arg}` must be a whole number, got {value!r}.")
        if value < low or (arg == "port" and value > 65535):
            hint = "1-65535" if arg == "port" else f">= {low}"
            raise ValueError(f"voila_command: `{arg}` must be {hint}; got {value}.")
    root = Path(root) if root is not None else DASHBOARDS_DIR
    if dashboard is not None:
        target = root / DASHBOARDS[dashboard].filename if dashboard in DASHBOARDS else None
        if target is None:
            dashboard_path(dashboard)  # raises with the list of names
        if not target.is_file():
            raise ValueError(f"voila_command: dashboard notebook {str(target)!r} is missing.")
    elif not root.is_dir():
        raise ValueError(f"voila_command: no dashboards folder {str(root)!r}.")
    cmd = [python or sys.executable, "-m", "voila"]
    cmd.append(str(target) if dashboard is not None else str(root))
    cmd += [
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # the announced address is the one served, or an error
        f"--template={TEMPLATE}",
        "--theme=light",
        "--strip_sources=True",
        # The plain list of dashboards (Voila's JupyterLab-style list loads the
        # widget manager without a kernel, which logs errors in the browser).
        "--classic_tree=True",
        "--show_tracebacks=False",
        f"--VoilaExecutor.cell_error_instruction={CELL_ERROR}",
        f"--VoilaExecutor.cell_timeout_instruction={CELL_TIMEOUT}",
        # When the whole room arrives, kernels share a few cores: wait longer for
        # a kernel's output (nbclient's 4 s default drops the widget of a busy
        # kernel) and for a kernel to start.
        "--VoilaExecutor.iopub_timeout=60",
        "--VoilaExecutor.startup_timeout=180",
        # Culling: closed tabs and vanished laptops free their kernels.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # ...and a kernel just taken from the preheated pool is not culled before
        # its page connects (crmkit/workshop/manager.py says why).
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        # A client on the old websocket protocol would freeze Voila 0.5: refused.
        f"--Voila.kernel_websocket_connection_class={WEBSOCKET_CONNECTION}",
        # Room and trainer codes (crmkit/workshop/auth.py; open when none is set).
        f"--Voila.identity_provider_class={IDENTITY_PROVIDER}",
    ]

    if os.name == "posix":
        # Kernels talk to the server over Unix sockets: when a room's worth of
        # kernels start at once, random TCP ports collide ("Address already in
        # use") and a participant's kernel dies; sockets in the server's private
        # connection folder also keep other local users out.
        cmd.append("--KernelManager.transport=ipc")
    if pool_size > 0:
        cmd += [
            "--preheat_kernel=True",
            f"--pool_size={pool_size}",
            # Refill the pool a little after a kernel is taken, not while the room
            # is still arriving and every core renders a page.
            f"--VoilaKernelManager.fill_delay={refill_delay}",
        ]
        if dashboard is None:
            deny = [DASHBOARDS[n].filename for n in NOT_PREHEATED]
            cmd.append("--VoilaKernelManager.preheat_denylist=" + repr(deny).replace("'", '"'))
    cmd += list(extra)
    return cmd


def voila_env(
    base: dict | None = None,
    *,
    data_dir: str | Path | None = None,
    scorecards=None,
    room_code: str = "",
    trainer_code: str = "",
    world_cache: str | Path | None = None,
) -> dict:
    """The environment for :func:`voila_command`.

    Puts this package's template folder first on ``JUPYTER_PATH``, uses the
    Agg matplotlib backend and one thread per numerical library (unless set
    already), and passes ``data_dir`` (the dashboards' dataset,
    :func:`crmkit.lessons.lesson_world`) and ``scorecards`` (the folder the
    merge dashboard reads) as ``CRMKIT_DATA_DIR`` and ``CRMKIT_SCORECARDS_DIR``,
    ``world_cache`` (:func:`write_world_cache`) as ``CRMKIT_WORLD_CACHE``,
    and the room and trainer codes (:mod:`crmkit.workshop.auth`; empty: open).
    """
    env = dict(os.environ if base is None else base)
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["MPLBACKEND"] = "Agg"
    env["PYTHONUNBUFFERED"] = "1"
    for key in ONE_THREAD:
        env.setdefault(key, "1")
    if world_cache is not None:
        env[WORLD_CACHE_ENV] = str(Path(world_cache).resolve())
    for key, value in ((DATA_DIR_ENV, data_dir), (SCORECARDS_ENV, scorecards)):
        if value is not None:
            path = Path(value).expanduser().resolve()
            if not path.is_dir():
                flag = "--data" if key == DATA_DIR_ENV else "--scorecards"
                raise ValueError(f"{flag} {str(value)!r} is not a folder.")
            env[key] = str(path)
    from crmkit.workshop.auth import ROOM_CODE_ENV, TRAINER_CODE_ENV

    env[ROOM_CODE_ENV], env[TRAINER_CODE_ENV] = room_code or "", trainer_code or ""
    return env


def urls(
    host: str,
    port: int,
    dashboard: str | None = None,
    *,
    room_code: str | None = None,
    trainer_code: str | None = None,
) -> list[tuple[str, str]]:
    """``(title, address)`` of each dashboard as a browser on this machine opens it.

    With codes, each address carries the code that opens it (the trainer's
    pages the trainer code, the others the room code).
    """
    shown = "127.0.0.1" if host in ("127.0.0.1", "0.0.0.0", "localhost", "") else host
    base = f"http://{shown}:{port}"

    def with_code(url, name):
        code = trainer_code if name in NOT_PREHEATED and trainer_code else room_code
        return f"{url}?code={code}" if code else url

    if dashboard is not None:
        return [(DASHBOARDS[dashboard].title, with_code(f"{base}/", dashboard))]
    found = [(d.title, with_code(f"{base}/voila/render/{d.filename}", d.name))
             for d in DASHBOARDS.values()]  # fmt: skip
    if room_code:
        found.insert(0, ("All dashboards (the participants' link)", f"{base}/?code={room_code}"))
    return found


def write_world_cache(folder: str | Path, data_dir=None) -> Path:
    """Load the dashboards' world once and pickle it into ``folder``; return the file.

    Every dashboard kernel then unpickles it (:func:`crmkit.workshop.dashboard.dashboard_world`)
    instead of reading and checking the CSV files again. ``folder`` should be
    private to the server (``tempfile.mkdtemp``): a kernel trusts what it unpickles.
    """
    import pickle

    from crmkit.lessons import lesson_world

    path = Path(folder) / "world.pickle"
    with open(path, "wb") as f:
        pickle.dump(lesson_world(data_dir), f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def needs_world(dashboard: str | None = None) -> bool:
    """Whether the served dashboards (one, or all) load a world."""
    served = [DASHBOARDS[dashboard]] if dashboard is not None else DASHBOARDS.values()
    return any(d.widget is not None and d.world for d in served)


LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: What one dashboard kernel holds, with room to grow while it is used: measured
#: 173 MiB preheated (retention-economics, ``benchmarks/bench_workshop.py``) and
#: 170-190 MiB for the dashboards that hold the world (210-235 MB before each
#: kernel imported only its widget and unpickled the world).
KERNEL_MIB = 250


def default_room_size(available: int | None = None) -> int:
    """Participants whose kernels fit in 80 % of the memory available now (at most 200).

    Parameters
    ----------
    available : int, optional
        Bytes; default: this machine's available memory (Linux), else 40 kernels.

    Examples
    --------
    >>> default_room_size(24 * 2**30)
    78
    """
    if available is None:
        try:
            with open("/proc/meminfo") as f:
                line = next(x for x in f if x.startswith("MemAvailable:"))
            available = int(line.split()[1]) * 1024
        except (OSError, StopIteration, ValueError):
            return 40
    return max(1, min(200, int(0.8 * available / (KERNEL_MIB * 2**20))))


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    dashboard: str | None = None,
    pool_size: int = 2,
    data_dir=None,
    scorecards=None,
    cull_idle_timeout: int = 300,
    room_code: str | None = None,
    trainer_code: str | None = None,
    room_size: int | None = None,
    dry_run: bool = False,
    out=None,
) -> int:
    """Run Voila in the foreground until Ctrl-C, SIGTERM or SIGHUP; return its exit status.

    Beyond loopback a room code is required: one is made up when none is given
    (and a trainer code with it). However the wrapper is stopped, Voila and
    every kernel it started are stopped with it (see :func:`stop_tree`).
    """
    out = out or sys.stdout
    from crmkit.workshop.auth import new_code
    from crmkit.workshop.manager import ROOM_SIZE_ENV

    open_to_network = host not in LOOPBACK
    if open_to_network and not room_code:
        room_code = new_code()
    if room_code and not trainer_code:
        trainer_code = new_code()
    if room_code and trainer_code and room_code == trainer_code:
        raise ValueError("the room code and the trainer code must differ.")
    cmd = voila_command(
        host=host,
        port=port,
        dashboard=dashboard,
        pool_size=pool_size,
        cull_idle_timeout=cull_idle_timeout,
        cull_interval=max(10, min(60, cull_idle_timeout // 5)),
    )
    env = voila_env(data_dir=data_dir, scorecards=scorecards, room_code=room_code or "",
                    trainer_code=trainer_code or "")  # fmt: skip
    if room_size is None:
        room_size = default_room_size()
    env[ROOM_SIZE_ENV] = str(room_size)
    if dry_run:
        print(shlex.join(cmd), file=out)
        return 0
    print("crmkit workshop: the dashboards (code hidden) will be at", file=out)
    for title, url in urls(host, port, dashboard, room_code=room_code,
                           trainer_code=trainer_code):  # fmt: skip
        print(f"  {title:40s} {url}", file=out)
    if room_code:
        print(
            f"\nRoom code: {room_code} (in the links above: share the participants' link). "
            f"Trainer code: {trainer_code} (keep it to yourself).",
            file=out,
        )
    if open_to_network:
        print(
            f"\nWARNING: listening on {host}: anyone on this network who has the room link can\n"
            "open the dashboards, and each of them starts a Python kernel on this machine. Use\n"
            "only on a trusted room network, behind a firewall, and stop the server (Ctrl-C)\n"
            "after the session. Participants use this machine's address instead of 127.0.0.1.",
            file=out,
        )
    if room_size > 0:
        print(
            f"Room size: {room_size} seats (a kernel each, about "
            f"{room_size * KERNEL_MIB / 1024:.1f} GiB); the preheated kernels are seats kept "
            "ready, never more than the room. Beyond it a page says the room is full and "
            "retries by itself.",
            file=out,
        )
    if pool_size:
        print(
            f"Starting {pool_size} preheated kernel(s) per dashboard: the first pages are ready "
            "in a minute or so. For a room on one dashboard, --pool-size as large as the room "
            "has a kernel ready for everyone and starts none while the room works.",
            file=out,
        )
    print("Tracebacks appear in this console. Stop with Ctrl-C.\n", file=out, flush=True)
    cache_dir = tempfile.mkdtemp(prefix="crmkit-workshop-")  # private (0700), removed at the end
    try:
        if needs_world(dashboard):
            env[WORLD_CACHE_ENV] = str(write_world_cache(cache_dir, data_dir))
        return _run(cmd, env)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def _run(cmd, env) -> int:
    # Its own session (a terminal's Ctrl-C reaches only this wrapper, which stops
    # the whole tree) and no terminal input (Voila would ask "Shutdown?" first).
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdin=subprocess.DEVNULL)
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return stop_tree(proc)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            stop_tree(proc)


def stop_tree(proc, *, grace: float = 15.0) -> int:
    """Stop Voila and every process it started (its kernels); return Voila's exit status.

    Voila is asked first (SIGTERM: it shuts its kernels down); whatever of its
    process tree is still alive after ``grace`` seconds is killed.
    """
    import psutil

    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            proc.send_signal(sig)
            proc.wait(timeout=grace / 2)
            break
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            break
    _, alive = psutil.wait_procs(tree, timeout=2)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    return proc.wait()
