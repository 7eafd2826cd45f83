"""crmkit.workshop.manager: the kernel manager's culling rule and the Voila pool it reads."""

from __future__ import annotations

import asyncio
import datetime as dt
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
