"""The grading sandbox's own promises, one sandbox at a time and two side by side.

CI once failed because two sandboxes ran as the same user: a submission that
forked up to its limit on processes used up the neighbour's too (Linux counts
processes per user), and the honest neighbour graded beside it got no kernel.
As root, each sandbox now runs as a user of its own; these tests hold one
sandbox at its limit and start another beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from crmkit.exercises.sandbox import (
    FIRST_UID,
    Limits,
    kernel_env,
    prepare_scratch,
    sandbox_prefix,
    sandbox_problem,
    sandbox_user,
)

LIMITS = Limits(processes=12, cpu_seconds=60)

HOLD = """
import os, sys, time
kids = 0
while True:
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(120)
        os._exit(0)
    kids += 1
print("held", kids, flush=True)
time.sleep(120)
"""

NEIGHBOUR = """
import getpass, subprocess, sys, threading
threads = [threading.Thread(target=lambda: None) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for _ in range(3):
    subprocess.run([sys.executable, "-c", "pass"], check=True)
print("ok", getpass.getuser(), open("/etc/passwd").read().count("\\n"), flush=True)
"""


@pytest.fixture
def sandboxes(tmp_path):
    problem = sandbox_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to sandbox: {problem}")
        pytest.skip(problem)

    def command(name: str, uid: int, code: str) -> list[str]:
        scratch, ipc = tmp_path / name / "scratch", tmp_path / name / "ipc"
        prepare_scratch(scratch, ipc, uid)
        env = kernel_env("/home/participant/answers.json")
        return [*sandbox_prefix(scratch, ipc, LIMITS, env, uid), sys.executable, "-c", code]

    return command


def _hold(command) -> subprocess.Popen:
    hog = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = hog.stdout.readline().split()
    assert line[:1] == ["held"], line
    assert 1 <= int(line[1]) < LIMITS.processes, line
    return hog


def _neighbour(command) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_each_sandbox_has_a_user_of_its_own():
    with ExitStack() as stack:
        uids = [stack.enter_context(sandbox_user()) for _ in range(5)]
    assert len(set(uids)) == 5
    if os.geteuid() == 0:
        assert all(FIRST_UID <= u < 2**31 for u in uids), uids
        with sandbox_user() as again:  # a finished sandbox's user is free again
            assert again in uids
    else:
        assert set(uids) == {os.getuid()}


SHARED = "as an ordinary user, one grader's sandboxes share that user's processes"


@pytest.mark.skipif(os.geteuid() != 0, reason=SHARED)
def test_a_sandbox_at_its_process_limit_leaves_its_neighbour_room(sandboxes):
    with sandbox_user() as hog_uid, sandbox_user() as other_uid:
        hog = _hold(sandboxes("hog", hog_uid, HOLD))
        try:
            beside = _neighbour(sandboxes("beside", other_uid, NEIGHBOUR))
            # the control: the same neighbour as the hog's user has no room left,
            # which is what happened when every sandbox ran as `nobody`
            same = _neighbour(sandboxes("same", hog_uid, NEIGHBOUR))
        finally:
            hog.kill()
            hog.wait(timeout=30)
    assert beside.returncode == 0, beside.stderr[-800:]
    words = beside.stdout.split()
    assert words[:2] == ["ok", "participant"], beside.stdout
    assert int(words[2]) == 3  # root, participant, nobody: no account of the host
    assert same.returncode != 0
    assert any(
        m in same.stderr
        for m in ("can't start new thread", "Resource temporarily unavailable", "BlockingIOError")
    ), same.stderr[-800:]


def test_the_sandbox_sees_its_own_passwd_not_the_hosts(sandboxes):
    with sandbox_user() as uid:
        done = _neighbour(sandboxes("one", uid, NEIGHBOUR))
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.split()[1] == "participant"
    host = Path("/etc/passwd").read_text(encoding="utf-8")
    assert host.count("\n") > 3  # the check above means something on this host
