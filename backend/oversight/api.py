from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audit.api import AuditEventFilter
from audit.selectors import audit_events_visible_to
from common.filters import IsoDateTimeFilter
from common.permissions import IsRegulator
from common.rendering import represent
from common.views import PlatformAPIView, PlatformViewSet
from financing.models import Financing
from oversight import services
from oversight.exports import AUDIT_EVENT_COLUMNS, FINANCING_COLUMNS, audit_event_rows, csv_stream, financing_rows
from oversight.models import Alert
from oversight.selectors import alerts_visible_to, oversight_stats
from oversight.serializers import (
    AlertAcknowledgeSerializer,
    AlertSerializer,
    ExportQuerySerializer,
    OversightStatsSerializer,
    StatsQuerySerializer,
)


class OversightStatsView(PlatformAPIView):
    permission_classes = [IsAuthenticated, IsRegulator]

    @extend_schema(
        parameters=[StatsQuerySerializer],
        responses={200: OversightStatsSerializer},
        description="Volumes by bank, currency and month; outstanding, overdue and repaid per currency; blocked "
        "double-financing attempts and suspected duplicates; refused credit lookups; concentration per bank and "
        "per buyer country. Amounts are never added across currencies.",
    )
    def get(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = oversight_stats(period_from=query.validated_data.get("period_from"),
                                period_to=query.validated_data.get("period_to"))
        return Response(represent(OversightStatsSerializer, stats))


class AlertFilter(filters.FilterSet):
    kind = filters.CharFilter(max_length=60)
    severity = filters.ChoiceFilter(choices=Alert.Severity.choices)
    acknowledged = filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True)
    subject_type = filters.CharFilter(max_length=40)
    subject_id = filters.CharFilter(max_length=80)
    created_from = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_to = IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = Alert
        fields = ["kind", "severity", "subject_type", "subject_id"]


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Alerts: the regulator sees all of them; a party named on an alert sees that one."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilter

    def get_queryset(self):
        return alerts_visible_to(self.request.user).order_by("-created_at", "id")

    def get_permissions(self):
        if self.action == "acknowledge":
            return [IsAuthenticated(), IsRegulator()]
        return super().get_permissions()

    @extend_schema(request=AlertAcknowledgeSerializer, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        data = AlertAcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_acknowledge(alert=alert, user=request.user, note=data.validated_data["note"])
        return Response(represent(AlertSerializer, alert))


class _CsvExportView(PlatformAPIView):
    permission_classes = [IsAuthenticated, IsRegulator]
    filename = "export.csv"

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    def csv_response(self, columns, rows) -> StreamingHttpResponse:
        response = StreamingHttpResponse(csv_stream(columns, rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="{self.filename.replace(".csv", "")}-{stamp}.csv"'
        return response


class FinancingsCsvView(_CsvExportView):
    filename = "financings.csv"

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="Every financing (optionally applied within the period), one row each, amounts as decimal strings.",
    )
    def get(self, request):
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        financings = Financing.objects.all()
        if query.validated_data.get("period_from"):
            financings = financings.filter(applied_at__date__gte=query.validated_data["period_from"])
        if query.validated_data.get("period_to"):
            financings = financings.filter(applied_at__date__lte=query.validated_data["period_to"])
        return self.csv_response(FINANCING_COLUMNS, financing_rows(financings))


class AuditEventsCsvView(_CsvExportView):
    filename = "audit-events.csv"

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str), OpenApiParameter("object_type", str), OpenApiParameter("object_id", str),
            OpenApiParameter("actor_organization", OpenApiTypes.UUID),
            OpenApiParameter("seq_from", int), OpenApiParameter("seq_to", int),
            OpenApiParameter("created_from", OpenApiTypes.DATETIME), OpenApiParameter("created_to", OpenApiTypes.DATETIME),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="The audit events (filterable like GET /api/audit/events/), one row each, with their hashes "
        "and anchoring. For verification, prefer the JSON Lines export.",
    )
    def get(self, request):
        events = AuditEventFilter(request.query_params, queryset=audit_events_visible_to(request.user))
        if not events.is_valid():
            raise ValidationError(events.errors)
        return self.csv_response(AUDIT_EVENT_COLUMNS, audit_event_rows(events.qs))
