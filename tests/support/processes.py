"""Starting and stopping the real processes tests need: Anvil and a Celery worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ANVIL_BIN = Path(os.environ.get("ANVIL", REPO / "contracts" / "node_modules" / ".bin" / "anvil"))
# Automine plus a block every second. In automine alone, Anvil can leave transactions that arrive out of
# nonce order in its pool for good (foundry-rs/foundry#10122, "only reproducible in the auto mode"; seen
# here: the 200-writes fault test stalled with the next nonce in the pool, and evm_mine mined empty
# blocks). infra/scripts/anvil.sh starts the dev node the same way.
ANVIL_MINING = ["--mixed-mining", "--block-time", "1"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc(url: str, method: str, params: list | None = None, timeout: float = 2.0):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())["result"]


@dataclass
class Anvil:
    port: int
    state_path: Path | None = None
    chain_id: int = 31337
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    extra_args: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Anvil":
        args = [str(ANVIL_BIN), "--host", "127.0.0.1", "--port", str(self.port), "--chain-id", str(self.chain_id),
                *ANVIL_MINING]
        if self.state_path is not None:
            args += ["--state", str(self.state_path)]
        args += self.extra_args
        log = open(self.log_path or os.devnull, "ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"anvil exited with {self.process.returncode}")
            try:
                rpc(self.url, "eth_chainId")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("anvil did not start within 30 s")

    def kill(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None


@dataclass
class Worker:
    env: dict[str, str]
    queues: str = "celery,chain,audit"
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def start(self, *, beat: bool = False) -> "Worker":
        args = [
            str(REPO / ".venv" / "bin" / "celery"), "-A", "workers.celery_app", "worker",
            "--loglevel=INFO", "--concurrency=1", "-Q", self.queues, "--without-gossip", "--without-mingle",
            "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]
        if beat:
            args += ["-B", "--schedule", str((self.log_path or Path("/tmp/x")).with_suffix(".beat"))]
        log = open(self.log_path or os.devnull, "ab")
        self.process = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def kill(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.2, message: str = "condition"):
    """Poll until predicate() is truthy; return its value. Bounded, so a broken path fails instead of hanging."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout} s")
