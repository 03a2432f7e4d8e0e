from django.http import StreamingHttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.models import AuditEvent
from audit.selectors import active_network_id, audit_event_proof, audit_events_visible_to, audit_export_lines
from audit.serializers import (
    AuditEventSerializer,
    AuditExportQuerySerializer,
    AuditProofSerializer,
    AuditVerificationSerializer,
)
from audit.verification import audit_log_verify
from common.filters import IsoDateTimeFilter
from common.permissions import IsRegulator
from common.rendering import represent
from common.views import PlatformAPIView, PlatformViewSet

SEQ_MAX = 2**62


class AuditEventFilter(filters.FilterSet):
    type = filters.CharFilter(max_length=80)
    object_type = filters.CharFilter(max_length=40)
    object_id = filters.CharFilter(max_length=80)
    actor_organization = filters.UUIDFilter()
    seq_from = filters.NumberFilter(field_name="seq", lookup_expr="gte", min_value=1, max_value=SEQ_MAX)
    seq_to = filters.NumberFilter(field_name="seq", lookup_expr="lte", min_value=1, max_value=SEQ_MAX)
    created_from = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_to = IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = AuditEvent
        fields = ["type", "object_type", "object_id", "actor_organization"]


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """The audit log: the regulator reads all of it; others read the events about their own objects."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    lookup_field = "seq"
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return audit_events_visible_to(self.request.user).select_related("actor_organization").order_by("seq")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "active_network": active_network_id()}

    @extend_schema(
        responses={200: AuditProofSerializer, 404: OpenApiResponse(description="Not visible, or not anchored yet.")},
        description="The RFC 9162 inclusion proof of the event in its anchored batch; 404 until it is anchored.",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def proof(self, request, seq=None):
        proof = audit_event_proof(user=request.user, seq=int(seq))
        return Response(represent(AuditProofSerializer, proof))


class AuditVerificationView(PlatformAPIView):
    permission_classes = [IsAuthenticated, IsRegulator]

    @extend_schema(
        responses={200: AuditVerificationSerializer},
        description="Checks every entry hash, chain link and batch root against the AuditAnchor contract, like the "
        "standalone verifier does from an export; names the first bad seq and why.",
    )
    def get(self, request):
        return Response(represent(AuditVerificationSerializer, audit_log_verify()))


class AuditExportView(PlatformAPIView):
    """The log as JSON Lines, for the standalone verifier (`tradefin-verify`)."""

    permission_classes = [IsAuthenticated, IsRegulator]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[AuditExportQuerySerializer],
        responses={(200, "application/jsonl"): OpenApiTypes.STR},
        description="One JSON object per line and event, in seq order: payload, hashes and the batch with its "
        "anchoring. Feed it to `tradefin-verify log` with the chain's RPC URL and the AuditAnchor address.",
    )
    def get(self, request):
        query = AuditExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        response = StreamingHttpResponse(
            audit_export_lines(from_seq=query.validated_data["from_seq"], to_seq=query.validated_data.get("to_seq")),
            content_type="application/jsonl; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="audit-log.jsonl"'
        return response
