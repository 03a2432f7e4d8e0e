from __future__ import annotations

import uuid

from django.db import transaction
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.services import audit_append
from chain.models import ChainAccount
from chain.services import chain_call_enqueue, uuid_to_bytes32
from common.fields import SafeCharField
from common.views import PlatformAPIView


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
