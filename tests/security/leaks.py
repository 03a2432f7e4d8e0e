"""The secret-leak scan: every response, log line and audit payload the suites produce, against every key.

`LeakLog` records the body and headers of each response Django produces in this process (the test
client and the in-process WSGI app that schemathesis drives both go through
`BaseHandler.get_response`; streamed bodies are copied as they are read) and every log record,
formatted with its traceback. `secret_needles()` decrypts every chain key the platform holds, with
`chain.keys`, to know what to look for: the key in hex (any case, with or without 0x, so a 64-hex
string equal to a key is found too) and in base64, its Fernet ciphertext, and the Fernet keys
themselves.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.handlers.base import BaseHandler


OWN_LOGGERS = ("common", "organizations", "chain", "audit", "customs", "receivables", "financing", "credit",
               "oversight", "workers", "config")


@dataclass
class Needle:
    text: str
    what: str
    case_insensitive: bool = False


@dataclass
class LeakLog:
    pending: list[tuple[str, str]] = field(default_factory=list)
    scanned: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, source: str, text: str) -> None:
        with self._lock:
            self.pending.append((source, text))

    def take(self) -> list[tuple[str, str]]:
        with self._lock:
            items, self.pending = self.pending, []
            self.scanned += len(items)
            return items


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _record_response(log: LeakLog, request, response) -> None:
    source = f"response {request.method} {request.get_full_path()} -> {response.status_code}"
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    if getattr(response, "streaming", False):
        chunks: list[bytes] = []

        def tee(content):
            for chunk in content:
                chunks.append(chunk if isinstance(chunk, bytes) else str(chunk).encode())
                yield chunk
            log.add(source + " (streamed)", headers + "\n" + _decode(b"".join(chunks)))

        response.streaming_content = tee(response.streaming_content)
        log.add(source + " (headers)", headers)
    else:
        log.add(source, headers + "\n" + _decode(response.content))


class _LogCapture(logging.Handler):
    def __init__(self, log: LeakLog):
        super().__init__(level=logging.DEBUG)
        self.log = log
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            # The raw arguments too: a formatter could truncate or a message could fail to format.
            text += "\n" + repr(record.args)
        except Exception as exc:  # noqa: BLE001 - a broken log call must not hide what it carried
            text = f"{record.msg!r} {record.args!r} ({exc})"
        self.log.add(f"log {record.name}", text)


class Recording:
    """Patch the request handler and the root logger; undo on stop()."""

    def __init__(self, log: LeakLog):
        self.log = log
        self._original = BaseHandler.get_response
        self._handler = _LogCapture(log)
        self._levels: dict[str, int] = {}

    def start(self) -> None:
        original, log = self._original, self.log

        def get_response(handler, request):
            response = original(handler, request)
            _record_response(log, request, response)
            return response

        BaseHandler.get_response = get_response
        logging.getLogger().addHandler(self._handler)
        # Our own DEBUG lines too: a key in one would leak wherever LOG_LEVEL=DEBUG.
        for name in OWN_LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(logging.DEBUG)

    def ensure(self) -> None:
        """Put the handler and levels back if logging was reconfigured since start()."""
        root = logging.getLogger()
        if self._handler not in root.handlers:
            root.addHandler(self._handler)
        for name in OWN_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)

    def stop(self) -> None:
        BaseHandler.get_response = self._original
        logging.getLogger().removeHandler(self._handler)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)


def secret_needles() -> list[Needle]:
    from chain import keys
    from chain.models import ChainAccount

    needles: list[Needle] = []
    for account in ChainAccount.objects.all():
        raw = bytes(keys.signing_account(bytes(account.encrypted_key), account.address).key)
        label = f"private key of chain account {account.label} ({account.address})"
        needles.append(Needle(raw.hex(), label, case_insensitive=True))
        needles.append(Needle(base64.b64encode(raw).decode(), label + " as base64"))
        needles.append(Needle(base64.urlsafe_b64encode(raw).decode().rstrip("="), label + " as urlsafe base64"))
        needles.append(Needle(bytes(account.encrypted_key).decode(), f"encrypted key of {account.label}"))
    for index, key in enumerate(settings.CHAIN_KEY_ENCRYPTION_KEYS):
        needles.append(Needle(key, f"CHAIN_KEY_ENCRYPTION_KEYS[{index}]"))
    if settings.CHAIN_PLATFORM_PRIVATE_KEY:
        needles.append(Needle(settings.CHAIN_PLATFORM_PRIVATE_KEY.lower().removeprefix("0x"),
                              "CHAIN_PLATFORM_PRIVATE_KEY", case_insensitive=True))
    return needles


def stored_payloads() -> list[tuple[str, str]]:
    """What the platform stores to show others: audit payloads, alerts, chain call arguments and errors."""
    from audit.models import AuditEvent
    from chain.models import ChainTransaction
    from oversight.models import Alert

    items = [(f"audit event {seq}", json.dumps(payload, ensure_ascii=False))
             for seq, payload in AuditEvent.objects.values_list("seq", "payload")]
    items += [(f"alert {pk}", f"{message}\n{json.dumps(data, ensure_ascii=False)}")
              for pk, message, data in Alert.objects.values_list("pk", "message", "data")]
    items += [(f"chain tx {pk}", f"{json.dumps(args)}\n{error}")
              for pk, args, error in ChainTransaction.objects.values_list("pk", "args", "error_message")]
    return items


def find_leaks(items: list[tuple[str, str]], needles: list[Needle]) -> list[str]:
    found = []
    for source, text in items:
        lowered = text.lower()
        for needle in needles:
            if (needle.text.lower() in lowered) if needle.case_insensitive else (needle.text in text):
                found.append(f"{needle.what} found in {source}")
    return found
