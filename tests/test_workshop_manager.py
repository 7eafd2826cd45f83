"""crmkit.workshop.manager: the kernel manager's culling rule and the Voila pool it reads."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import types

import pytest


class _Kernel:
    def __init__(self, idle_for):
        self.execution_state = "idle"
        self.last_activity = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=idle_for)
        self.kernel_spec = types.SimpleNamespace(metadata={})
        self.kernel_name = "python3"
        self.reason = ""


def test_a_kernel_is_not_culled_before_its_first_page_connects_but_is_after_it_leaves():
    pytest.importorskip("jupyter_server")
    from crmkit.workshop.manager import WorkshopKernelManager

    m = WorkshopKernelManager(cull_idle_timeout=10, connect_grace=60)
    culled = []

    async def shutdown(kernel_id, *a, **k):
        culled.append(kernel_id)
        m._kernels.pop(kernel_id)

    m.shutdown_kernel = shutdown
    # Preheated long ago, just taken from the pool, its page not connected yet.
    m._kernels["fresh"] = _Kernel(idle_for=600)
    m._kernel_connections["fresh"] = 0
    asyncio.run(m.cull_kernels())
    assert culled == []
    # The page connected, then its tab vanished: culled once idle for 10 s.
    m.notify_connect("fresh")
    m.notify_disconnect("fresh")
    asyncio.run(m.cull_kernels())
    assert culled == ["fresh"]
    # A kernel whose page never connected is culled after the grace period.
    m._kernels["lost"] = _Kernel(idle_for=600)
    m._kernel_connections["lost"] = 0
    asyncio.run(m.cull_kernels())
    m._waiting_since["lost"] -= 61
    asyncio.run(m.cull_kernel_if_idle("lost"))
    assert culled == ["fresh", "lost"]


def test_the_installed_voila_keeps_its_pool_where_the_manager_reads_it():
    """An upgraded Voila fails here: check ``_pooled_kernel_ids`` by hand, then add the version."""
    pytest.importorskip("voila")
    import inspect

    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from crmkit.workshop.manager import VOILA_POOL_VERSIONS, voila_pool_supported

    assert voila_pool_supported(), f"Voila is not one of {VOILA_POOL_VERSIONS}"
    source = inspect.getsource(voila_kernel_manager_factory)
    assert "self._pools[notebook_name] = pool" in source
    assert '"kernel_id": kernel_id' in source
    # the refill reads its pool size from the public setting at each call (the room's cap)
    assert "notebook_config: dict = self.kernel_pools_config.get(" in source


def _pooled_manager(room_size, pool_size):
    """Voila's pooled manager built on ours, as ``crmkit workshop`` runs it, with no notebook."""
    import tempfile

    from traitlets.config import Configurable
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from crmkit.workshop.manager import WorkshopKernelManager

    class App(Configurable):  # what Voila's manager reads from its Voila app
        root_dir, notebook_path = tempfile.mkdtemp(), None
        base_url, server_url, port = "/", "/", 8866

    cls = voila_kernel_manager_factory(WorkshopKernelManager, True, pool_size)
    m = cls(parent=App(), room_size=room_size, fill_delay=0)
    m.started, numbers = [], itertools.count(1)

    async def start(notebook_path, kernel_id=None, **kwargs):  # instead of a real kernel
        kernel_id = f"new{next(numbers)}"
        m._kernels[kernel_id] = _Kernel(idle_for=0)
        m.started.append(kernel_id)
        return {"kernel_id": kernel_id}

    m._initialize = start
    return m


def _ready(m, notebook, *kernel_ids):
    """Preheated kernels waiting in ``notebook``'s pool (started, rendered)."""
    loop = asyncio.get_event_loop()
    for k in kernel_ids:
        m._kernels[k] = _Kernel(idle_for=0)
        done = loop.create_future()
        done.set_result({"kernel_id": k})
        m._pools.setdefault(notebook, []).append(done)


def _take(m, notebook):
    """A page takes the first kernel of the pool; Voila then asks for a refill."""
    task = m._pools[notebook].pop(0)
    m.fill_if_needed(notebook_name=notebook)
    return task.result()["kernel_id"]


async def _refilled(m):
    """The kernels the pool started since the last call (stand-ins, see _pooled_manager)."""
    await asyncio.gather(*(t for pool in m._pools.values() for t in pool))
    started, m.started[:] = list(m.started), []
    return started


def test_the_pool_is_never_refilled_beyond_the_room_and_a_freed_seat_is_preheated(monkeypatch):
    pytest.importorskip("voila")
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    async def scenario():
        nb = "1-retention-economics.ipynb"
        m = _pooled_manager(room_size=3, pool_size=3)
        _ready(m, nb, "k1", "k2", "k3")
        assert (m.seats_taken(), m.room_is_full()) == (0, False)
        # the room arrives: each takes a preheated kernel, and no kernel is started
        assert [_take(m, nb) for _ in range(3)] == ["k1", "k2", "k3"]
        assert await _refilled(m) == []
        assert m.get_pool_size(nb) == 0 and (m.seats_taken(), m.room_is_full()) == (3, True)
        # a tab closes: its seat is free again, and preheated (one kernel starting)
        async def shut(self, kernel_id, *a, **k):
            self._kernels.pop(kernel_id)

        monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", shut)
        await m.shutdown_kernel("k2")
        assert len(await _refilled(m)) == 1
        assert m.get_pool_size(nb) == 1 and not m.room_is_full()
        # the whole room reloads at once: a page that takes a kernel still starting holds
        # its seat, and the pool does not start one more for it
        await m.shutdown_kernel("k1")
        assert m.get_pool_size(nb) == 2  # new1 ready, one more starting
        _take(m, nb)  # the one ready
        starting = m._pools[nb].pop(0)  # taken before it started
        m.fill_if_needed(notebook_name=nb)
        assert m.get_pool_size(nb) == 0 and (m.seats_taken(), m.room_is_full()) == (3, True)
        assert await _refilled(m) == []
        await starting
        assert (m.seats_taken(), len(m._kernels)) == (3, 3)
        m.started.clear()
        # while the server stops, nothing is refilled
        m._closing = True
        await m.shutdown_kernel("k3")
        assert await _refilled(m) == [] and m.get_pool_size(nb) == 0

    asyncio.run(scenario())


def test_without_a_room_size_voila_refills_its_pool_as_it_does_alone():
    pytest.importorskip("voila")

    async def scenario():
        nb = "1-retention-economics.ipynb"
        m = _pooled_manager(room_size=0, pool_size=2)
        _ready(m, nb, "k1", "k2")
        _take(m, nb)
        _take(m, nb)
        assert len(await _refilled(m)) == 2  # a new kernel for each one taken
        assert m.get_pool_size(nb) == 2 and not m.room_is_full()

    asyncio.run(scenario())
