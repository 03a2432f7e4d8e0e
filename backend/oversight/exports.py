"""CSV exports for the regulator, streamed row by row from the database."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Iterator

from django.db.models import QuerySet

from audit.models import AuditEvent
from common.fields import format_money
from financing.models import Financing

# Spreadsheets run cells that start like a formula (OWASP "CSV injection"); such text gets a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FINANCING_COLUMNS = [
    "id", "status", "exporter_id", "exporter_name", "exporter_uscc", "bank_id", "bank_name", "bank_bic",
    "receivable_id", "invoice_number", "buyer_country", "currency", "requested_amount", "approved_amount",
    "repaid_amount", "outstanding_amount", "interest_rate", "tenor_days", "applied_at", "approved_at",
    "disbursed_at", "due_date", "closed_at", "chain_status", "chain_tx_hash",
]

AUDIT_EVENT_COLUMNS = [
    "seq", "created_at", "type", "actor_username", "actor_organization_id", "actor_organization_name",
    "object_type", "object_id", "payload", "payload_hash", "prev_hash", "entry_hash",
    "batch_first_seq", "batch_last_seq", "batch_root", "anchor_status", "anchor_tx_hash", "anchor_block_number",
]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_stream(columns: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _chain_status(status: str | None) -> str:
    if status is None:
        return ""
    return {"confirmed": "confirmed", "failed": "failed"}.get(status, "pending")


def financing_rows(financings: QuerySet[Financing]) -> Iterator[list[Any]]:
    rows = financings.order_by("applied_at", "id").values_list(
        "id", "status", "exporter_id", "exporter__name", "exporter__uscc", "bank_id", "bank__name", "bank__bic",
        "receivable_id", "receivable__invoice_number", "receivable__buyer_country", "currency", "requested_amount",
        "approved_amount", "repaid_amount", "interest_rate", "tenor_days", "applied_at", "approved_at",
        "disbursed_at", "due_date", "closed_at", "chain_tx__status", "chain_tx__tx_hash",
    )
    for (id_, status, exporter_id, exporter_name, uscc, bank_id, bank_name, bic, receivable_id, invoice, country,
         currency, requested, approved, repaid, rate, tenor, applied_at, approved_at, disbursed_at, due_date,
         closed_at, chain_status, tx_hash) in rows.iterator(chunk_size=2000):
        outstanding = (approved or Decimal(0)) - repaid if status in Financing.OPEN_FOR_REPAYMENT else Decimal(0)
        yield [
            id_, status, exporter_id, exporter_name, uscc, bank_id, bank_name, bic, receivable_id, invoice, country,
            currency, format_money(requested, currency), format_money(approved, currency) if approved is not None else None,
            format_money(repaid, currency), format_money(outstanding, currency),
            format(rate, "f") if rate is not None else None, tenor, applied_at, approved_at, disbursed_at, due_date,
            closed_at, _chain_status(chain_status), tx_hash,
        ]


def audit_event_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    rows = events.order_by("seq").values_list(
        "seq", "created_at", "type", "actor__username", "actor_organization_id", "actor_organization__name",
        "object_type", "object_id", "payload", "payload_hash", "prev_hash", "entry_hash",
        "batch__first_seq", "batch__last_seq", "batch__root", "batch__chain_tx__status",
        "batch__chain_tx__tx_hash", "batch__chain_tx__block_number",
    )
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[8] = json.dumps(row[8], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row[15] = _chain_status(row[15]) if row[12] is not None else "unbatched"
        yield row

