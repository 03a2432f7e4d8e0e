"""Idempotency-Key on POST: the same key and body replay the first response.

The key row is inserted in the same transaction as the business effect, so a
concurrent duplicate blocks on the unique index until the first request commits,
then replays its stored response: exactly one effect however many retries race.
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable

from django.db import connection, transaction
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.errors import BusinessConflict, InvalidInput
from common.models import IdempotencyRecord

MAX_KEY_LENGTH = 200
REPLAY_HEADER = "Idempotent-Replayed"


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def _claim(user_id, key: str, method: str, path: str, fingerprint: str) -> bool:
    table = IdempotencyRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (user_id, key, method, path, request_hash, response_status, response_body, created_at)
            VALUES (%s, %s, %s, %s, %s, 0, NULL, now())
            ON CONFLICT (user_id, key) DO NOTHING
            RETURNING id
            """,
            [user_id, key, method, path, fingerprint],
        )
        return cursor.fetchone() is not None


def run_idempotent(request, key: str, handle: Callable[[], Response]) -> Response:
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("Idempotency-Key", f"Use at most {MAX_KEY_LENGTH} printable characters.")
    body = request._request.body
    fingerprint = request_fingerprint(request.method, request.path, body)
    with transaction.atomic():
        if not _claim(request.user.pk, key, request.method, request.path, fingerprint):
            record = IdempotencyRecord.objects.get(user=request.user, key=key)
            if record.request_hash != fingerprint:
                raise BusinessConflict(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.",
                    details={"key": key},
                )
            response = Response(record.response_body, status=record.response_status)
            response[REPLAY_HEADER] = "true"
            return response
        response = handle()
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        stored = json.loads(JSONRenderer().render(response.data)) if response.data is not None else None
        IdempotencyRecord.objects.filter(user=request.user, key=key).update(
            response_status=response.status_code, response_body=stored
        )
        return response
