"""Run a submitted notebook's kernel in a sandbox: bubblewrap, rlimits, nothing else reachable.

Grading runs code that participants wrote. Each submission's kernel is started
by :class:`SandboxedKernelManager` (a ``jupyter_client`` kernel manager whose
command is wrapped) inside `bubblewrap <https://github.com/containers/bubblewrap>`_
(Debian: ``apt-get install bubblewrap``), which gives it

* its own PID, network, IPC and host-name namespaces: no network at all (the
  kernel talks to the grader over Unix sockets in a folder of its own), and
  when the sandbox ends every process started in it ends too;
* a file system made of read-only binds of the system (``/usr``, ``/lib``,
  ``/bin``, a few files of ``/etc``) and of the Python environment (the
  interpreter, the virtual environment, the crmkit package), a private
  ``/tmp`` and one writable scratch folder (its home and working folder) that
  holds a copy of the one notebook; no other submission, no trainer edition,
  no manifest, no home folder of the grader;
* resource limits (``prlimit``): address space, processes, CPU seconds, file
  size and open files. Wall time and the total size of what is written are
  watched by the grader, which kills the whole sandbox when a limit is passed.

As root, each sandbox's kernel runs as a user of its own (``setpriv``), a
number from a range no account uses (:func:`sandbox_user`), so that the limit
on processes holds (the kernel exempts root from it) and is that submission's
alone: Linux counts processes per user, so a submission that forks up to its
limit must not leave its neighbour, graded beside it, unable to start a kernel.
As an ordinary user, bubblewrap makes a user namespace and the limit counts
that user's processes, so it is set above the number they already run (and
the sandboxes of one grader share it).

:func:`sandbox_problem` says why no sandbox can be had here (not Linux, no
``bwrap``, no user namespaces...) and how to get one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

__all__ = [
    "Limits",
    "SandboxedKernelManager",
    "sandbox_problem",
    "sandbox_prefix",
    "prepare_scratch",
    "sandbox_user",
    "FIRST_UID",
    "SLOTS",
]

# Sandbox users (as root): FIRST_UID + grader's pid * SLOTS + slot. Linux pids
# are below 2**22, so the range ends below 2**31 and no two graders share a uid.
FIRST_UID = 1_600_000_000
SLOTS = 128
_SLOTS_TAKEN: set = set()
_SLOTS_LOCK = threading.Lock()
_ETC = (
    "/etc/ld.so.cache",
    "/etc/fonts",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
)
_SYSTEM = ("/usr", "/bin", "/lib", "/lib64", "/sbin")
HOME = "/home/participant"


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    Parameters
    ----------
    memory : int, default=3 GiB
        Address space of each process, in bytes (a Python kernel with pandas
        and matplotlib maps about 1 GiB).
    processes : int, default=64
        Processes and threads at once.
    cpu_seconds : int, default=300
        CPU time of each process.
    file_size : int, default=64 MiB
        Largest file a process may write.
    scratch : int, default=256 MiB
        All that the submission writes in its scratch folder, together.
    output : int, default=2 MiB
        Text and images the notebook sends back to the grader.
    """

    memory: int = 3 * 2**30
    processes: int = 64
    cpu_seconds: int = 300
    file_size: int = 64 * 2**20
    scratch: int = 256 * 2**20
    output: int = 2 * 2**20


_PROBLEM: list = []  # cached answer of sandbox_problem()


def sandbox_problem() -> str | None:
    """None when a sandbox can run here, else why not and how to get one."""
    if _PROBLEM:
        return _PROBLEM[0]
    problem = None
    if not sys.platform.startswith("linux"):
        problem = (
            f"grading in a sandbox needs Linux (bubblewrap); this is {sys.platform}. Grade on a "
            "Linux machine, or pass --no-sandbox to run the notebooks with your own permissions."
        )
    else:
        missing = [t for t in ("bwrap", "prlimit") + (("setpriv",) if _root() else ()) if not
                   shutil.which(t)]  # fmt: skip
        if missing:
            problem = (
                f"grading in a sandbox needs {', '.join(missing)} (missing). Install it: "
                "apt-get install bubblewrap util-linux (as root), then grade again; or pass "
                "--no-sandbox to run the notebooks with your own permissions."
            )
        else:
            probe = subprocess.run(
                [*_bwrap_args(), "--", "/bin/true"], capture_output=True, text=True, timeout=30
            )
            if probe.returncode != 0:
                problem = (
                    "bubblewrap is installed but cannot make a sandbox here "
                    f"({probe.stderr.strip()[:200]}). On Debian/Ubuntu unprivileged user "
                    "namespaces must be allowed (sysctl kernel.unprivileged_userns_clone=1), or "
                    "grade as root; or pass --no-sandbox."
                )
    _PROBLEM.append(problem)
    return problem


def _root() -> bool:
    return os.geteuid() == 0


def _bwrap_args() -> list[str]:
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if _root():
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    for path in _SYSTEM:
        if os.path.lexists(path):
            args += ["--ro-bind", path, path]
    return args


def _python_paths() -> list[Path]:
    """The folders the kernel needs: the interpreter, the environment, crmkit itself."""
    import crmkit

    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    paths.add(Path(crmkit.__file__).resolve().parent)
    exe = Path(sys.executable)
    paths.add(exe.resolve().parent.parent)
    out = []
    for p in sorted(paths, key=lambda p: len(p.parts)):
        if not any(q in p.parents or q == p for q in out):
            out.append(p)
    return out


@contextmanager
def sandbox_user() -> Iterator[int]:
    """The user id one sandbox runs as, its own while the ``with`` block lasts.

    As root: a fresh id from a range no account uses (see :data:`FIRST_UID`),
    so that the sandbox's limit on processes counts its processes only. As an
    ordinary user: that user's own id (bubblewrap maps it).
    """
    if not _root():
        yield os.getuid()
        return
    with _SLOTS_LOCK:
        free = next((i for i in range(SLOTS) if i not in _SLOTS_TAKEN), None)
        if free is None:
            raise RuntimeError(
                f"sandbox_user: {SLOTS} sandboxes already run in this process; grade with "
                f"fewer workers (at most {SLOTS})."
            )
        _SLOTS_TAKEN.add(free)
    try:
        yield FIRST_UID + os.getpid() * SLOTS + free
    finally:
        with _SLOTS_LOCK:
            _SLOTS_TAKEN.discard(free)


def _user_processes() -> int:
    uid, n = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    n += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return n


def prepare_scratch(scratch: Path, ipc: Path, uid: int) -> None:
    """Make the scratch and socket folders the sandbox's user ``uid`` can write.

    Also writes ``passwd`` and ``group`` beside ``ipc`` (bound read-only as the
    sandbox's ``/etc/passwd`` and ``/etc/group``), naming that user
    ``participant``: the sandbox sees no account of the host.
    """
    for folder in (scratch, ipc):
        folder.mkdir(parents=True, exist_ok=True)
        if _root():
            for p in (folder, *folder.rglob("*")):
                os.chown(p, uid, uid)
        folder.chmod(0o700)
    etc = ipc.parent
    (etc / "passwd").write_text(
        f"root:x:0:0::/root:/usr/sbin/nologin\nparticipant:x:{uid}:{uid}::{HOME}:/usr/sbin/nologin\n"
        f"nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n",
        encoding="utf-8",
    )
    (etc / "group").write_text(
        f"root:x:0:\nparticipant:x:{uid}:\nnogroup:x:65534:\n", encoding="utf-8"
    )
    for name in ("passwd", "group"):
        (etc / name).chmod(0o644)


def sandbox_prefix(scratch: Path, ipc: Path, limits: Limits, env: dict, uid: int) -> list[str]:
    """The command that goes before the kernel's own: bwrap, then the limits.

    ``scratch`` becomes the kernel's home and working folder (``/home/participant``);
    ``ipc`` (the kernel's sockets and connection file) is bound at its own path.
    Run :func:`prepare_scratch` with the same ``uid`` first (from :func:`sandbox_user`).
    """
    args = _bwrap_args()
    args += ["--perms", "0755", "--dir", "/etc"]  # else bwrap makes it 0700: unreadable
    for path in _ETC:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for name in ("passwd", "group"):
        args += ["--ro-bind", str(ipc.parent / name), f"/etc/{name}"]
    # /tmp first: the sockets' folder may be under the host's /tmp, bound below it.
    args += ["--perms", "1777", "--size", str(64 * 2**20), "--tmpfs", "/tmp"]
    made = {"/", "/tmp", "/proc", "/dev", "/home"}
    python = _python_paths()
    for p in [*python, ipc]:
        for parent in reversed(p.parents):
            s = str(parent)
            if s not in made and not any(s == x or s.startswith(x + "/") for x in _SYSTEM):
                args += ["--perms", "0755", "--dir", s]
                made.add(s)
    for p in python:
        args += ["--ro-bind", str(p), str(p)]
    args += ["--bind", str(ipc), str(ipc)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "0755", "--dir", "/home", "--bind", str(scratch), HOME, "--chdir", HOME]
    args += ["--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--"]
    if _root():
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"]  # fmt: skip
        nproc = limits.processes
    else:
        nproc = _user_processes() + limits.processes
    args += [
        "prlimit",
        f"--as={limits.memory}",
        f"--nproc={nproc}",
        f"--cpu={limits.cpu_seconds}",
        f"--fsize={limits.file_size}",
        "--nofile=256",
        "--core=0",
        "--",
    ]
    return args


def kernel_env(answers_file: str) -> dict:
    """The whole environment of a sandboxed kernel (nothing of the grader's)."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": HOME,
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": f"{HOME}/.matplotlib",
        "MPLBACKEND": "Agg",
        "IPYTHONDIR": f"{HOME}/.ipython",
        "JUPYTER_RUNTIME_DIR": f"{HOME}/.jupyter-runtime",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "LANG": "C.UTF-8",
        "USER": "participant",
        "LOGNAME": "participant",
        "CRMKIT_ANSWERS_FILE": answers_file,
    }


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel starts inside :func:`sandbox_prefix`.

    Set ``prefix`` (the command list) and ``uid`` (the sandbox's user) before
    starting the kernel; use the ``ipc`` transport with ``ip`` and
    ``connection_file`` in the bound folder.
    """

    prefix: list = []
    uid: int = -1

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        # The connection file (written just before, by this manager) must be
        # readable by the sandbox's user; its folder is private to the run.
        if _root() and self.connection_file and os.path.exists(self.connection_file):
            os.chown(self.connection_file, self.uid, self.uid)
        return [*self.prefix, *cmd]
