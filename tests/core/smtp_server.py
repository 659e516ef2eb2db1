"""A real SMTP server (aiosmtpd) the tests control: it collects what it accepts, and can refuse."""
from __future__ import annotations

import asyncio
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Accepts mail (``received``: the Message-IDs, in order) unless ``refusing`` is set."""

    def __init__(self, delay: float = 0.0):
        self.received: list[str] = []
        self.refusing = False
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            return "451 4.3.0 Mail server busy, try again later"
        text = envelope.content.decode("utf-8", "replace")
        message_id = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                           if line.lower().startswith("message-id:")), "")
        with self._lock:
            self.received.append(message_id)
        return "250 OK"


class SmtpServer:
    def __init__(self, app, relay: Relay):
        self.app, self.relay = app, relay
        self.controller = Controller(relay, hostname="127.0.0.1", port=free_port())

    def __enter__(self) -> Relay:
        self.controller.start()
        self.old = {k: self.app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
        self.app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=self.controller.port)
        return self.relay

    def __exit__(self, *exc):
        self.app.config.update(self.old)
        self.controller.stop()
