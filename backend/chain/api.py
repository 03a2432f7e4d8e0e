"""The operator's view of the chain writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from chain.selectors import outbox_summary
from common.permissions import IsOperator
from common.views import PlatformAPIView

_ENTRY = {
    "id": serializers.UUIDField(),
    "contract": serializers.CharField(),
    "function": serializers.CharField(),
}

OutboxSummarySerializer = inline_serializer(
    "ChainWrites",
    fields={
        "in_flight": inline_serializer("ChainWritesInFlight", fields={
            "pending": serializers.IntegerField(), "signed": serializers.IntegerField(), "sent": serializers.IntegerField(),
        }),
        "oldest_unconfirmed": inline_serializer("ChainWriteWaiting", fields={
            **_ENTRY,
            "status": serializers.CharField(),
            "created_at": serializers.DateTimeField(),
            "age_seconds": serializers.IntegerField(),
            "late": serializers.BooleanField(help_text="Waiting longer than late_after_seconds."),
        }, allow_null=True),
        "failed_last_24h": serializers.IntegerField(help_text="Failed writes (not those a chain-reset replay superseded)."),
        "latest_failure": inline_serializer("ChainWriteFailure", fields={
            **_ENTRY,
            "error_code": serializers.CharField(),
            "error_message": serializers.CharField(),
            "updated_at": serializers.DateTimeField(),
        }, allow_null=True),
        "late_after_seconds": serializers.IntegerField(help_text="CHAIN_STUCK_SECONDS."),
    },
)


class ChainWritesView(PlatformAPIView):
    """How the outbox fares: writes in flight by state, the oldest unconfirmed, recent failures."""

    permission_classes = [IsAuthenticated, IsOperator]

    @extend_schema(responses={200: OutboxSummarySerializer})
    def get(self, request):
        return Response(outbox_summary())
