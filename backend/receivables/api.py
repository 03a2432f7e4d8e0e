from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.permissions import IsExporter
from common.rendering import represent
from common.views import PlatformViewSet
from receivables.models import Receivable
from receivables.selectors import receivables_visible_to
from receivables.serializers import ReceivableCreateSerializer, ReceivableSerializer
from receivables.services import AllocationRequest, receivable_submit


class ReceivableFilter(filters.FilterSet):
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    invoice_number = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Receivable
        fields = ["status", "currency", "exporter", "buyer_country"]


class ReceivableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    serializer_class = ReceivableSerializer
    filterset_class = ReceivableFilter

    def get_queryset(self):
        return receivables_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsExporter()]
        return super().get_permissions()

    @extend_schema(request=ReceivableCreateSerializer, responses={201: ReceivableSerializer})
    def create(self, request):
        data = ReceivableCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        receivable = receivable_submit(
            exporter_user=request.user,
            invoice_number=v["invoice_number"],
            buyer_name=v["buyer_name"],
            buyer_country=v["buyer_country"],
            currency=v["currency"],
            amount=v["amount"],
            issue_date=v["issue_date"],
            due_date=v["due_date"],
            declarations=[AllocationRequest(number=d["number"], amount=d["amount"]) for d in v["declarations"]],
        )
        # The service returns the receivable with its exporter and allocations loaded: no re-read. Without
        # a request in its context the serializer shows no matching receivables (the regulator's to see),
        # what the submitting exporter is shown anyway.
        return Response(represent(ReceivableSerializer, receivable), status=status.HTTP_201_CREATED)
