"""The workshop's kernel manager: Jupyter Server's, made safe for preheated kernels.

Voila keeps a pool of preheated kernels (``preheat_kernel``) and protects
them from the idle culler while they wait. But the moment a kernel leaves the
pool for a participant's page, its last activity is the time it was
preheated: with a server started well before the room arrives, that is longer
ago than ``cull_idle_timeout``, the page has not connected its websocket yet,
and the culler's next pass shuts the kernel down under the participant (whose
page then hangs).

:class:`WorkshopKernelManager` spares a kernel that has never had a page
connected for ``connect_grace`` seconds after it was started or last seen in
the pool. Once a page has connected, the usual rules apply: idle for
``cull_idle_timeout`` with no connection left, and it is shut down. Voila
builds its pooled manager on top of this class
(``--VoilaConfiguration.multi_kernel_manager_class``).

:class:`V1WebsocketConnection` closes kernel websockets that do not speak the
v1 kernel protocol (browsers do). Voila 0.5's websocket handler reads every
binary message as v1; sent to an old-protocol client, a widget's binary
message (a figure) makes it loop for minutes and the server freezes for the
whole room (``--Voila.kernel_websocket_connection_class``).
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer

__all__ = [
    "WorkshopKernelManager",
    "V1WebsocketConnection",
    "VOILA_POOL_VERSIONS",
    "voila_pool_supported",
]

V1 = "v1.kernel.websocket.jupyter.org"
#: Voila versions whose kernel pool :meth:`WorkshopKernelManager._pooled_kernel_ids` reads.
VOILA_POOL_VERSIONS = ("0.5.",)


def voila_pool_supported() -> bool:
    """True when the installed Voila keeps its pool as this module expects."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("voila").startswith(VOILA_POOL_VERSIONS)
    except PackageNotFoundError:
        return False


class WorkshopKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` whose culler waits for a kernel's first page."""

    connect_grace = Integer(
        120,
        config=True,
        help="Seconds a kernel that never had a page connected is spared by the culler, "
        "counted from its start or from when it left the preheated pool.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected_once: set[str] = set()
        self._waiting_since: dict[str, float] = {}

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        self._connected_once.add(kernel_id)

    def _pooled_kernel_ids(self) -> set[str]:
        """Kernels waiting, preheated, in Voila's pool (empty without preheating).

        The one place that reads a private attribute of another library:
        Voila's pooled manager (built on this class) keeps its pool in
        ``_pools`` and has no public way to list the kernels in it. Read only
        on the Voila versions in :data:`VOILA_POOL_VERSIONS` (the tests fail
        on any other, so an upgrade is checked by hand first); elsewhere this
        finds nothing and the grace period counts from a kernel's start.
        """
        if not voila_pool_supported():
            return set()
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in list(pool):
                if task.done() and not task.cancelled() and task.exception() is None:
                    result = task.result()
                    if isinstance(result, dict) and "kernel_id" in result:
                        ids.add(result["kernel_id"])
        return ids

    async def cull_kernels(self):
        now = time.monotonic()
        pooled = self._pooled_kernel_ids()
        current = set(self.list_kernel_ids())
        for kernel_id in current:
            if kernel_id in pooled or kernel_id not in self._waiting_since:
                self._waiting_since[kernel_id] = now
        for gone in set(self._waiting_since) - current:
            del self._waiting_since[gone]
        self._connected_once &= current
        return await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id):
        kernel = self.get_kernel(kernel_id) if kernel_id in self else None
        waited = time.monotonic() - self._waiting_since.get(kernel_id, time.monotonic())
        if (
            kernel is not None
            and getattr(kernel, "execution_state", None) != "dead"
            and kernel_id not in self._connected_once
            and waited < self.connect_grace
        ):
            return None
        return await super().cull_kernel_if_idle(kernel_id)


class V1WebsocketConnection(ZMQChannelsWebsocketConnection):
    """A kernel websocket that only serves clients of the v1 protocol; others are closed."""

    def connect(self):
        future = super().connect()
        if self.subprotocol != V1:
            self.log.warning(
                "crmkit workshop: closed a kernel websocket of an old-protocol client "
                "(kernel %s); browsers use %s.",
                self.kernel_id,
                V1,
            )
            self.websocket_handler.close(1002, f"use the {V1} protocol")
        return future

    def handle_outgoing_message(self, stream, outgoing_msg):
        if self.subprotocol != V1:
            return None  # never hand a binary message to Voila's v1-only reader
        return super().handle_outgoing_message(stream, outgoing_msg)
