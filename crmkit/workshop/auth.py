"""Room codes for the workshop server: who may open a dashboard, and who the trainer is.

Voila authenticates every page, API call and kernel websocket through Jupyter
Server's identity provider (``--Voila.identity_provider_class``).
:class:`RoomIdentityProvider` knows two codes:

* the **room code**, which ``crmkit workshop`` prints inside the participants'
  link (``http://ADDRESS:8866/?code=ROOM``): a visitor without it gets a plain
  page asking for the trainer's link, and no kernel is started for them;
* the **trainer code**, for the trainer's pages (merging the room's
  scorecards), which the room code does not open.

A code given in the address is kept in a signed cookie (Tornado's secure
cookie, with Voila's cookie secret) for the rest of the visit, so the
dashboards' own requests need no code. Codes are compared in constant time.
Without codes (the default on 127.0.0.1) everyone who can reach the server is
let in, as before. The codes reach the server through the environment
(:data:`ROOM_CODE_ENV`, :data:`TRAINER_CODE_ENV`), not the command line, which
other users of the machine can read.
"""

from __future__ import annotations

import hmac
import html
import os
import secrets

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web
from traitlets import Integer, List, Unicode, default

__all__ = [
    "ROOM_CODE_ENV",
    "TRAINER_CODE_ENV",
    "COOKIE",
    "RoomIdentityProvider",
    "RoomLoginHandler",
    "new_code",
]

ROOM_CODE_ENV = "CRMKIT_ROOM_CODE"
TRAINER_CODE_ENV = "CRMKIT_TRAINER_CODE"
RETRY_SECONDS = 60
COOKIE = "crmkit-room"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:34em;margin:4em auto;padding:0 1em;
line-height:1.5;color:#1a1a1a}}h1{{font-size:1.4em}}</style></head>
<body><main><h1>{title}</h1><p>{text}</p></main></body></html>
"""


def new_code() -> str:
    """A fresh code that is easy to read aloud and hard to guess (about 48 bits)."""
    return secrets.token_urlsafe(6)


class RoomIdentityProvider(IdentityProvider):
    """Lets in visitors who bring the room code; the trainer's pages want the trainer code."""

    room_code = Unicode(config=True, help="Code that participants' links carry ('' = open).")
    trainer_code = Unicode(config=True, help="Code of the trainer's pages ('' = open).")
    trainer_pages = List(
        Unicode(),
        default_value=["6-merge-scorecards.ipynb"],
        config=True,
        help="Request paths containing one of these are the trainer's pages.",
    )

    room_size = Integer(
        config=True,
        help="Seats of the room (live kernels not waiting in the preheated pool) beyond "
        "which a new page is asked to wait ('the room is full'); 0: no cap.",
    )

    @default("room_size")
    def _room_size_default(self):
        from crmkit.workshop.manager import ROOM_SIZE_ENV

        try:
            return max(0, int(os.environ.get(ROOM_SIZE_ENV, "0")))
        except ValueError:
            return 0

    @default("room_code")
    def _room_code_default(self):
        return os.environ.get(ROOM_CODE_ENV, "")

    @default("trainer_code")
    def _trainer_code_default(self):
        return os.environ.get(TRAINER_CODE_ENV, "")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Voila passes its own login handler; the room's page replaces it.
        self.login_handler_class = RoomLoginHandler

    @property
    def auth_enabled(self) -> bool:
        return bool(self.room_code or self.trainer_code)

    @property
    def login_available(self) -> bool:
        return self.auth_enabled or self.room_size > 0

    def room_full(self, handler: web.RequestHandler) -> bool:
        """Whether every seat (:attr:`room_size`) is taken: live kernels not in the pool.

        The preheated kernels waiting in the pool are free seats
        (:meth:`crmkit.workshop.manager.WorkshopKernelManager.seats_taken`).
        """
        if self.room_size <= 0:
            return False
        manager = handler.settings.get("kernel_manager")
        if manager is None:
            return False
        taken = getattr(manager, "seats_taken", None)
        return (taken() if taken else len(manager.list_kernel_ids())) >= self.room_size

    def _starts_a_kernel(self, handler: web.RequestHandler) -> bool:
        from voila.handler import VoilaHandler

        return isinstance(handler, VoilaHandler) and handler.request.method == "GET"

    def _role_for(self, given: str) -> str | None:
        if self.trainer_code and hmac.compare_digest(given, self.trainer_code):
            return "trainer"
        if self.room_code and hmac.compare_digest(given, self.room_code):
            return "participant"
        return None

    def is_trainer_page(self, path: str) -> bool:
        return any(page in path for page in self.trainer_pages)

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        user = await self._room_user(handler)
        if user is None or user.username == "trainer":
            return user
        if self._starts_a_kernel(handler) and self.room_full(handler):
            return None  # the page says the room is full and retries (RoomLoginHandler)
        return user

    async def _room_user(self, handler: web.RequestHandler) -> User | None:
        if not self.auth_enabled:
            return await super().get_user(handler)
        role = None
        given = handler.get_query_argument("code", None)
        if given:
            role = self._role_for(given)
            if role is not None:
                handler.set_secure_cookie(COOKIE, role, expires_days=1, httponly=True,
                                          samesite="Lax")  # fmt: skip
        if role is None:
            stored = handler.get_secure_cookie(COOKIE, max_age_days=1)
            role = stored.decode() if stored in (b"participant", b"trainer") else None
        if role is None and not self.room_code:
            role = "participant"  # no room code: the room is open, only trainer pages are not
        if role is None:
            return None
        if role != "trainer" and self.trainer_code and self.is_trainer_page(handler.request.path):
            return None
        return User(username=role, name=role, display_name=role)


class RoomLoginHandler(web.RequestHandler):
    """The page a visitor without the right code sees: what to do, and nothing started."""

    async def get(self):
        provider = self.settings.get("identity_provider")
        target = self.get_query_argument("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"  # only a page of this server
        trainer = provider is not None and provider.is_trainer_page(target)
        admitted = provider is not None and await provider._room_user(self) is not None
        if admitted and provider.room_full(self):
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            refresh = (
                f'<meta http-equiv="refresh" content="{RETRY_SECONDS};url={html.escape(target)}">'
            )
            page = _PAGE.format(
                title="The room is full",
                text="Every seat of this workshop's server is taken. This page tries again "
                "in a minute by itself; keep it open. If it goes on, tell the trainer.",
            )
            self.finish(page.replace("</head>", refresh + "</head>", 1))
            return
        if trainer:
            title = "This page is for the trainer"
            text = (
                "It opens with the trainer's link. Participants: go back to the link the "
                "trainer shared for the dashboards."
            )
        else:
            title = "Ask the trainer for the room link"
            text = (
                "These workshop dashboards open with the link the trainer shares in the room "
                "(it ends in <code>?code=...</code>). Ask for it, then open that link."
            )
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_PAGE.format(title=html.escape(title), text=text))
