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

It also keeps the room within its **size** (``room_size``, from
``crmkit workshop --room-size``): a seat is a live kernel that is not waiting
in the pool (a participant's, or the trainer's). The preheated kernels are the
seats still free, so the pool is never refilled beyond the room: with a pool
as large as the room, every participant finds a kernel ready and no kernel
starts while the room works (Voila alone would start a new one each time one
is taken, and a room of 40 would start 40 more kernels, competing for the
cores with the pages and sliders of those who just arrived). A seat that frees
(a tab closed, a kernel culled) is preheated again. :mod:`crmkit.workshop.auth`
shows the "room is full" page when every seat is taken.

:class:`V1WebsocketConnection` closes kernel websockets that do not speak the
v1 kernel protocol (browsers do). Voila 0.5's websocket handler reads every
binary message as v1; sent to an old-protocol client, a widget's binary
message (a figure) makes it loop for minutes and the server freezes for the
whole room (``--Voila.kernel_websocket_connection_class``).
"""

from __future__ import annotations

import os
import time

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, default

__all__ = [
    "WorkshopKernelManager",
    "V1WebsocketConnection",
    "ROOM_SIZE_ENV",
    "VOILA_POOL_VERSIONS",
    "voila_pool_supported",
]

V1 = "v1.kernel.websocket.jupyter.org"
#: Seats of the room, a kernel each (``crmkit workshop --room-size``); 0 or unset: no cap.
ROOM_SIZE_ENV = "CRMKIT_ROOM_SIZE"
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

    room_size = Integer(
        config=True,
        help="Seats of the room: live kernels not waiting in the preheated pool, beyond "
        "which the pool is not refilled (and new pages are asked to wait); 0: no cap.",
    )

    @default("room_size")
    def _room_size_default(self):
        try:
            return max(0, int(os.environ.get(ROOM_SIZE_ENV, "0")))
        except ValueError:
            return 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected_once: set[str] = set()
        self._waiting_since: dict[str, float] = {}
        self._closing = False
        self._refills: set = set()  # the pool's kernels being started (asyncio tasks)
        self._keep_pool_within_the_room()

    def seats_taken(self) -> int:
        """Kernels of pages: live and not waiting in the pool, or taken from it while starting.

        A page that takes a kernel the pool is still starting (a whole room
        reloading at once) holds its seat before the kernel is live.
        """
        pooled = {t for pool in self._voila_pools().values() for t in pool}
        starting_for_pages = sum(1 for t in self._refills if not t.done() and t not in pooled)
        return len(set(self.list_kernel_ids()) - self._pooled_kernel_ids()) + starting_for_pages

    def room_is_full(self) -> bool:
        """Whether every seat of the room (:attr:`room_size`) is taken; never without a size."""
        return self.room_size > 0 and self.seats_taken() >= self.room_size

    def _keep_pool_within_the_room(self) -> None:
        """Make Voila's pool refill (``fill_if_needed``) preheat only the room's free seats.

        Voila's pooled manager (a subclass of this one) refills its pool to
        ``pool_size`` whenever a kernel is taken. Here its public refill method
        is wrapped, on this instance only: the pool a notebook may have is
        lowered to what the free seats allow (``kernel_pools_config``, its
        public setting, for the length of the call). Only with a room size,
        and on the Voila versions whose pool :meth:`_voila_pools` reads.
        """
        fill = getattr(self, "fill_if_needed", None)
        if fill is None or not voila_pool_supported():
            return

        def fill_within_the_room(delay=None, notebook_name=None, **kwargs):
            if self._closing:
                return None
            if self.room_size <= 0:
                return fill(delay, notebook_name, **kwargs)
            pools = self._voila_pools()
            free = self.room_size - self.seats_taken() - sum(len(p) for p in pools.values())
            config = dict(self.kernel_pools_config)
            own = dict(config.get(notebook_name, config.get("default", {})))
            wanted = own.get("pool_size", 1)
            allowed = min(wanted, len(pools.get(notebook_name, ())) + max(0, free))
            if allowed < wanted:
                self.kernel_pools_config = {**config, notebook_name: {**own, "pool_size": allowed}}
            try:
                fill(delay, notebook_name, **kwargs)
            finally:
                self.kernel_pools_config = config
            for task in self._voila_pools().get(notebook_name, ()):
                if not task.done() and task not in self._refills:
                    self._refills.add(task)
                    task.add_done_callback(self._refills.discard)

        self.fill_if_needed = fill_within_the_room

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        result = await super().shutdown_kernel(kernel_id, *args, **kwargs)
        if self.room_size > 0 and not self._closing and hasattr(self, "fill_if_needed"):
            for notebook_name in list(self._voila_pools()):
                self.fill_if_needed(notebook_name=notebook_name)  # the freed seat, preheated
        return result

    async def shutdown_all(self, *args, **kwargs):
        self._closing = True  # no refill while the server stops
        return await super().shutdown_all(*args, **kwargs)

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        self._connected_once.add(kernel_id)

    def _voila_pools(self) -> dict:
        """Voila's pool: ``{notebook: [task, ...]}`` (empty without preheating).

        The one place that reads a private attribute of another library:
        Voila's pooled manager (built on this class) keeps its pool in
        ``_pools`` and has no public way to list the kernels in it. Read only
        on the Voila versions in :data:`VOILA_POOL_VERSIONS` (the tests fail
        on any other, so an upgrade is checked by hand first); elsewhere this
        finds nothing: the grace period counts from a kernel's start, and the
        pool is refilled as Voila does it, beyond the room.
        """
        if not voila_pool_supported():
            return {}
        return getattr(self, "_pools", None) or {}

    def _pooled_kernel_ids(self) -> set[str]:
        """Kernels waiting, preheated, in Voila's pool (started, not yet taken)."""
        ids = set()
        for pool in self._voila_pools().values():
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
