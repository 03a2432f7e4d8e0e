"""A whole platform in processes for fault injection: Anvil, gunicorn, a Celery worker with beat.

Traffic goes through HTTP; afterwards `check_promise` verifies what the platform promises:
every 2xx has exactly one row, one audit event and exactly one on-chain record; the audit
chain verifies; no declaration is financed over its value; no transaction was sent twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.support.processes import REPO, Anvil, Worker, free_port, wait_until


@dataclass
class Response:
    status: int
    body: dict


class Http:
    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None, timeout: float = 15) -> Response:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Response(response.status, json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            try:
                payload = json.loads(error.read() or b"{}")
            except ValueError:
                payload = {}
            return Response(error.code, payload)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            return Response(0, {"error": str(error)})

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)


@dataclass
class Stack:
    env: dict
    tmp: Path
    anvil: Anvil
    web: subprocess.Popen | None = None
    worker: Worker | None = None
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_web(self) -> None:
        log = open(self.tmp / "web.log", "ab")
        self.web = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "gunicorn"), "config.wsgi:application",
             "--config", str(REPO / "backend" / "config" / "gunicorn.py"), "--chdir", str(REPO / "backend"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "3", "--timeout", "60"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until(lambda: Http(self.url).get("/api/health/").status in (200, 503), timeout=60, message="web up")

    def start_worker(self) -> None:
        self.worker = Worker(env=self.env, log_path=self.tmp / "worker.log").start(beat=True)

    def kill_worker(self, sig=signal.SIGKILL) -> None:
        if self.worker:
            self.worker.kill(sig)

    def stop(self) -> None:
        if self.worker:
            self.worker.kill()
        if self.web and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait(timeout=20)


def login(stack: Stack, username: str) -> Http:
    response = Http(stack.url).post("/api/auth/token/", {"username": username, "password": "demo-pass-2026"})
    assert response.status == 200, response.body
    return Http(stack.url, response.body["token"])


@dataclass
class Traffic:
    """Bounded traffic: declarations, receivables, applications and approvals, recorded by outcome."""

    stack: Stack
    operator: Http
    exporter: Http
    banks: list[Http]
    exporter_uscc: str
    bank_ids: list[str]
    ok: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) of every 2xx
    other: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0

    def _next(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def _record(self, kind: str, response: Response) -> bool:
        with self.lock:
            if 200 <= response.status < 300:
                self.ok.append((kind, response.body["id"]))
                return True
            self.other[(kind, response.status)] += 1
            return False

    def one_round(self) -> None:
        n = self._next()
        number = f"5316{os.getpid() % 10000:04d}{n:010d}"
        declaration = self.operator.post("/api/customs/declarations/", {
            "number": number, "exporter_uscc": self.exporter_uscc, "export_date": "2026-11-01", "currency": "USD",
            "fob_value": "1000.00", "destination_country": "VN", "consignee": "Fault Test Buyer"})
        if not self._record("declaration", declaration):
            return
        receivable = self.exporter.post("/api/receivables/", {
            "invoice_number": f"F-{number}", "buyer_name": "Fault Test Buyer", "buyer_country": "VN", "currency": "USD",
            "amount": "1000.00", "issue_date": "2026-11-01", "due_date": "2027-01-01",
            "declarations": [{"number": number, "amount": "1000.00"}]})
        if not self._record("receivable", receivable):
            return
        bank_index = n % len(self.banks)
        financing = self.exporter.post("/api/financings/", {"receivable": receivable.body["id"], "bank": self.bank_ids[bank_index],
                                                            "amount": "800.00", "tenor_days": 30})
        if not self._record("financing", financing):
            return
        approved = self.banks[bank_index].post(f"/api/financings/{financing.body['id']}/approve/", {"interest_rate": "4.00"})
        self._record("approval", approved)

    def run(self, *, rounds: int, threads: int = 4, deadline_s: float = 120) -> None:
        stop_at = time.monotonic() + deadline_s
        with ThreadPoolExecutor(max_workers=threads) as pool:
            futures = [pool.submit(self._guarded, stop_at) for _ in range(rounds)]
            for future in futures:
                future.result()

    def _guarded(self, stop_at: float) -> None:
        if time.monotonic() < stop_at:
            self.one_round()


def wait_for_outbox_drained(timeout: float = 120) -> None:
    """Wait until the platform is quiet: every audit event is in a batch and no chain write is in flight.

    The anchoring task closes a batch up to AUDIT_BATCH_MAX_SECONDS after the last event and signs its
    transaction then, so an outbox that is empty for a moment is not yet quiet: a check of the signers'
    nonces against the node would race the last anchor's signing.
    """
    from audit.models import AuditEvent
    from chain.models import ChainTransaction

    def quiet() -> bool:
        # Events first: a batch is closed in the same transaction that enqueues its anchor, so once no
        # event waits for a batch, an anchor still to be sent shows in the outbox query that follows.
        if AuditEvent.objects.filter(batch__isnull=True).exists():
            return False
        return not ChainTransaction.objects.filter(status__in=["pending", "signed", "sent"]).exists()

    wait_until(quiet, timeout=timeout, interval=0.5, message="every event anchored and the outbox drained")


def check_promise(traffic: Traffic) -> dict:
    """Assert the platform's promise after a fault; returns figures for the report."""
    figures = check_promise_for(traffic.ok)
    figures["refused_or_failed"] = {f"{k[0]}:{k[1]}": v for k, v in traffic.other.items()}
    return figures


def check_promise_for(ok: list[tuple[str, str]]) -> dict:
    from tradefin_verifier.hashing import GENESIS_PREV_HASH, entry_hash, payload_hash
    from audit.models import AuditEvent
    from chain import client
    from chain.deploy import contract_address
    from chain.models import ChainTransaction, ChainNetwork
    from chain.services import uuid_to_bytes32
    from customs.models import Declaration
    from financing.models import Financing, Reservation
    from receivables.models import Receivable

    models = {"declaration": Declaration, "receivable": Receivable, "financing": Financing, "approval": Financing}
    audit_types = {"declaration": "declaration.registered", "receivable": "receivable.submitted",
                   "financing": "financing.applied", "approval": "financing.approved"}
    for kind, object_id in ok:
        assert models[kind].objects.filter(pk=object_id).count() == 1, (kind, object_id)
        assert AuditEvent.objects.filter(type=audit_types[kind], object_id=object_id).count() == 1, (kind, object_id)

    # The audit chain verifies, entry by entry, with no gap.
    prev = GENESIS_PREV_HASH
    expected_seq = 1
    for seq, payload, stored_prev, stored_hash in AuditEvent.objects.order_by("seq").values_list(
            "seq", "payload", "prev_hash", "entry_hash").iterator():
        assert seq == expected_seq, f"gap before seq {seq}"
        assert stored_prev == prev, f"broken link at seq {seq}"
        assert entry_hash(prev, payload_hash(payload)) == stored_hash, f"bad hash at seq {seq}"
        prev = stored_hash
        expected_seq += 1

    # No declaration financed over its value; reservations add up.
    for declaration in Declaration.objects.all():
        assert 0 <= declaration.financed_amount <= declaration.fob_value
        held = sum((r.amount for r in Reservation.objects.filter(declaration=declaration, released_at__isnull=True)), Decimal(0))
        assert held == declaration.financed_amount

    # Exactly one on-chain record per 2xx that writes on chain.
    w3 = client.web3()
    registry = w3.eth.contract(address=contract_address("FinancingRegistry"), abi=client.abi("FinancingRegistry"))
    declared = Counter(bytes(e["args"]["fingerprint"]) for e in registry.events.DeclarationRegistered().get_logs(from_block=0))
    recorded = Counter(bytes(e["args"]["financingId"]) for e in registry.events.FinancingRecorded().get_logs(from_block=0))
    for kind, object_id in ok:
        if kind == "declaration":
            fingerprint = bytes.fromhex(Declaration.objects.get(pk=object_id).fingerprint[2:])
            assert declared[fingerprint] == 1, object_id
        if kind == "approval":
            assert recorded[uuid_to_bytes32(object_id)] == 1, object_id
    assert all(count == 1 for count in declared.values())
    assert all(count == 1 for count in recorded.values())

    # No chain write failed (a chain reset fails what was in flight; the replay writes it again).
    failed = ChainTransaction.objects.filter(status="failed").exclude(error_code="chain_reset")
    assert not failed.exists(), list(failed.values_list("contract", "function", "error_code")[:5])

    # No transaction sent twice: per signer, the nonces we signed are unique and equal the node's count.
    network = ChainNetwork.objects.get(active=True)
    signed = ChainTransaction.objects.filter(network=network).exclude(nonce=None)
    for signer_id in set(signed.values_list("signer_id", flat=True)):
        rows = signed.filter(signer_id=signer_id)
        nonces = sorted(rows.values_list("nonce", flat=True))
        assert len(nonces) == len(set(nonces))
        address = rows.first().signer.address
        mined = w3.eth.get_transaction_count(address)
        assert mined == nonces[-1] + 1 == len(nonces), (
            f"signer {address}: node count {mined} (pending {w3.eth.get_transaction_count(address, 'pending')}), "
            f"highest stored nonce {nonces[-1]}, {len(nonces)} stored; rows: "
            + "; ".join(f"{n} {s} {c}.{f} {h}" for n, s, c, f, h in
                        rows.order_by("nonce").values_list("nonce", "status", "contract", "function", "tx_hash")[:200]))
    return {"ok": len(ok)}
