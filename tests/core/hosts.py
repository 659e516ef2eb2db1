"""The parts of tests/core/test_multihost.py: an SMTP relay the test controls (stopped, slow, held
mid-conversation) and the processes it starts (each in a group of its own, logged, always stopped)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from tests.core.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]


# The SMTP relay the test controls ------------------------------------------------------------------

class Relay:
    """A real SMTP server (aiosmtpd) on 127.0.0.1: records every message it accepts; can be stopped
    (connections refused) and can hold a conversation at RCPT, like a slow relay, so that the
    worker can be killed while it waits in the middle of a delivery."""

    def __init__(self):
        self.port = free_port()
        self.received: list[tuple[str, str, str]] = []  # (Message-ID, To, Subject), in order
        self.bodies: dict[str, str] = {}
        self.hold_after: int | None = None  # let this many more recipients through, then hold one
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            hold = self.hold_after is not None and not self.release.is_set() and self.hold_after <= 0
            if self.hold_after is not None and not hold:
                self.hold_after -= 1
        if hold:
            self.holding.set()
            while not self.release.is_set():  # the worker waits here until it is killed
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append((str(message["Message-ID"]), str(message["To"]), str(message["Subject"])))
            self.bodies[str(message["Message-ID"])] = message.get_body(preferencelist=("plain",)).get_content()
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.received)


# The processes ------------------------------------------------------------------------------------

class Processes:
    """The processes this test starts, each in a process group of its own, logged to files."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs = env, logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.running[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.running.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()

    def tails(self) -> str:
        return "\n".join(f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:])
                         for path in sorted(self.logs.glob("*.log")))


def run(env: dict, *args: str) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def wait_for(what: str, check, timeout: float, every: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
