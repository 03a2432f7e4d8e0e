from __future__ import annotations

import json
import uuid

from django.db import connection, transaction
from django.utils import timezone
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.services import audit_append
from chain.models import ChainAccount
from chain.services import chain_call_enqueue, uuid_to_bytes32
from common.errors import BusinessConflict
from common.fields import SafeCharField
from common.prefetch import attach_prefetched
from common.rendering import represent
from common.views import PlatformAPIView
from customs.models import Declaration
from receivables.models import Receivable, ReceivableAllocation
from receivables.serializers import ReceivableCreateSerializer, ReceivableSerializer
from receivables.services import (DUPLICATES_NAMED, AllocationRequest, receivable_fingerprint,
                                  receivable_match_fingerprint, submitted_event_data)


class FloorSerializer(serializers.Serializer):
    reason = SafeCharField(max_length=200, min_length=1)


class FloorView(PlatformAPIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = FloorSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject = uuid.uuid4()
        with transaction.atomic():
            if request.query_params.get("mode") == "chain":
                signer = ChainAccount.objects.get(organization_id=request.user.organization_id)
                # A well-formed one-argument call of the registry, as a disbursement writes it.
                chain_call_enqueue(signer=signer, contract="FinancingRegistry", function="recordDisbursement",
                                   args=[uuid_to_bytes32(subject)], subject_type="bench", subject_id=subject)
            audit_append(event_type="bench.floor", actor=request.user, object_type="bench", object_id=subject,
                         data={"reason": data.validated_data["reason"]})
        return Response({"id": str(subject), "reason": data.validated_data["reason"]}, status=201)


# --- The submission in one statement ------------------------------------------------------------------
#
# The least a receivable submission can cost on this stack: the platform's own serializers in and out,
# and every read and write of the submission in ONE statement (lock the declarations, check owner,
# currency and room, read the suspected duplicates, insert the receivable and its allocations, add to
# the declarations), then the audit append. The platform's service issues these as separate ORM
# statements, and reads the declarations through the customs adapter first; a stored procedure is the
# usual cure for that, and this measures what it could win at most. Left out, as the benchmark never
# takes those paths: the service's detailed refusals (a refusal is a plain 409 here) and the alert on a
# suspected duplicate (its invoices never match).

_SUBMISSION_SQL = """
WITH req AS (SELECT * FROM unnest(%(numbers)s::text[], %(amounts)s::numeric[]) WITH ORDINALITY AS t(number, amount, i)),
d AS (SELECT cd.id, cd.number, cd.export_date, cd.currency, cd.fob_value, cd.allocated_amount, cd.financed_amount,
             req.amount AS wanted, req.i
        FROM customs_declaration cd JOIN req ON req.number = cd.number
       WHERE cd.exporter_id = %(exporter)s AND cd.currency = %(currency)s
       ORDER BY cd.id FOR UPDATE OF cd),
ok AS (SELECT count(*) = %(n)s AND bool_and(wanted <= fob_value - allocated_amount) AS ok FROM d),
m AS (SELECT coalesce(array_agg(id::text), '{}') AS ids
        FROM (SELECT id FROM receivables_receivable
               WHERE match_fingerprint = %(match)s AND invoice_number <> %(invoice)s
               ORDER BY created_at DESC, id DESC LIMIT %(named)s) newest),
r AS (INSERT INTO receivables_receivable (id, exporter_id, invoice_number, buyer_name, buyer_country, currency, amount,
             issue_date, due_date, financed_amount, received_amount, surplus_amount, status, fingerprint,
             match_fingerprint, declaration_check, suspected_duplicate_of, created_by_id, created_at)
      SELECT %(id)s, %(exporter)s, %(invoice)s, %(buyer)s, %(country)s, %(currency)s, %(amount)s, %(issue)s, %(due)s,
             0, 0, 0, 'open', %(fingerprint)s, %(match)s, %(check)s::jsonb, to_jsonb(m.ids), %(user)s, %(now)s
        FROM ok, m WHERE ok.ok
      RETURNING id),
a AS (INSERT INTO receivables_receivableallocation (receivable_id, declaration_id, amount)
      SELECT r.id, d.id, d.wanted FROM r, d ORDER BY d.i RETURNING id, declaration_id),
u AS (UPDATE customs_declaration cd SET allocated_amount = cd.allocated_amount + d.wanted
        FROM d, r WHERE cd.id = d.id RETURNING cd.id)
SELECT d.id, d.number, d.export_date, d.currency, d.fob_value, d.allocated_amount, d.financed_amount, d.wanted,
       (SELECT a.id FROM a WHERE a.declaration_id = d.id), m.ids
  FROM d, m ORDER BY d.i
"""


class OneStatementSubmissionView(PlatformAPIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = ReceivableCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user, exporter, now, rid = request.user, request.user.organization, timezone.now(), uuid.uuid4()
        fingerprint = receivable_fingerprint(exporter.uscc, v["invoice_number"])
        match = receivable_match_fingerprint(v["buyer_name"], v["currency"], v["amount"], v["due_date"])
        check = {"status": "passed", "source": "customs", "checked_at": now.isoformat(), "declarations": []}
        wanted = v["declarations"]
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_SUBMISSION_SQL, {
                    "numbers": [d["number"] for d in wanted], "amounts": [d["amount"] for d in wanted], "n": len(wanted),
                    "exporter": exporter.pk, "currency": v["currency"], "match": match, "invoice": v["invoice_number"],
                    "named": DUPLICATES_NAMED, "id": rid, "buyer": v["buyer_name"], "country": v["buyer_country"],
                    "amount": v["amount"], "issue": v["issue_date"], "due": v["due_date"], "fingerprint": fingerprint,
                    "check": json.dumps(check), "user": user.pk, "now": now})
                rows = cursor.fetchall()
            if len(rows) != len(wanted) or rows[0][8] is None:
                raise BusinessConflict("refused", "A declaration is unknown, in another currency or without room.")
            receivable = Receivable(
                id=rid, exporter=exporter, invoice_number=v["invoice_number"], buyer_name=v["buyer_name"],
                buyer_country=v["buyer_country"], currency=v["currency"], amount=v["amount"], issue_date=v["issue_date"],
                due_date=v["due_date"], fingerprint=fingerprint, match_fingerprint=match, declaration_check=check,
                suspected_duplicate_of=rows[0][9], created_by=user, created_at=now)
            attach_prefetched(receivable, "allocations", [
                ReceivableAllocation(id=row[8], receivable=receivable, amount=row[7], declaration=Declaration(
                    id=row[0], number=row[1], export_date=row[2], currency=row[3], fob_value=row[4],
                    allocated_amount=row[5] + row[7], financed_amount=row[6]))
                for row in rows])
            audit_append(event_type="receivable.submitted", actor=user, object_type="receivable", object_id=rid,
                         data=submitted_event_data(receivable, [AllocationRequest(**d) for d in wanted]),
                         visible_to=[exporter.pk])
        return Response(represent(ReceivableSerializer, receivable), status=201)
