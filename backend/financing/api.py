from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.errors import ApiError, NotFound
from common.permissions import BANK, IsBank, IsExporter, role_of
from common.rendering import represent
from common.views import PlatformViewSet
from financing import services
from financing.models import Financing, FxReceipt
from financing.selectors import financings_visible_to, fx_receipts_visible_to
from financing.serializers import (
    FinancingApplySerializer,
    FinancingApproveSerializer,
    FinancingRejectSerializer,
    FinancingSerializer,
    FxReceiptCreateSerializer,
    FxReceiptSerializer,
)
from organizations.models import Organization
from receivables.selectors import receivables_visible_to


class FinancingFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Financing.Status.choices)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Financing
        fields = ["status", "bank", "exporter", "receivable", "currency"]


class FinancingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """Transitions (approve, reject, disburse, withdraw, write off) do not read the financing here:
    each service reads it once, locked, filtered on the acting bank or exporter, and answers 404 for
    anyone else's (the same as for an unknown id). A body is validated first, which says nothing of
    the object."""

    serializer_class = FinancingSerializer
    filterset_class = FinancingFilter

    def get_queryset(self):
        return financings_visible_to(self.request.user)

    def get_permissions(self):
        if self.action in ("create", "withdraw"):
            return [IsAuthenticated(), IsExporter()]
        if self.action in ("approve", "reject", "disburse", "write_off"):
            return [IsAuthenticated(), IsBank()]
        return super().get_permissions()

    def _respond(self, financing, code=status.HTTP_200_OK):
        return Response(represent(FinancingSerializer, financings_visible_to(self.request.user).get(pk=financing.pk)),
                        status=code)

    @extend_schema(request=FinancingApplySerializer, responses={201: FinancingSerializer})
    def create(self, request):
        data = FinancingApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        receivable = receivables_visible_to(request.user).filter(pk=v["receivable"]).first()
        if receivable is None:
            raise ApiError("invalid", "Unknown receivable.", status_code=400, details={"receivable": ["Unknown receivable."]})
        bank = Organization.objects.filter(pk=v["bank"], kind=Organization.Kind.BANK).first()
        if bank is None:
            raise ApiError("invalid", "Unknown bank.", status_code=400, details={"bank": ["Unknown bank."]})
        financing = services.financing_apply(exporter_user=request.user, receivable=receivable, bank=bank,
                                             amount=v["amount"], tenor_days=v["tenor_days"])
        return self._respond(financing, status.HTTP_201_CREATED)

    @extend_schema(request=FinancingApproveSerializer, responses=FinancingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = FinancingApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        financing = services.financing_approve(bank_user=request.user, financing_id=pk,
                                               amount=data.validated_data.get("amount"),
                                               interest_rate=data.validated_data["interest_rate"])
        # Returned with its parties, receivable, reservations and chain entry loaded: no re-read.
        return Response(represent(FinancingSerializer, financing))

    @extend_schema(request=FinancingRejectSerializer, responses=FinancingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = FinancingRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(services.financing_reject(bank_user=request.user, financing_id=pk,
                                                       reason=data.validated_data["reason"]))

    @extend_schema(request=None, responses=FinancingSerializer)
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        return self._respond(services.financing_disburse(bank_user=request.user, financing_id=pk))

    @extend_schema(request=None, responses=FinancingSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._respond(services.financing_withdraw(exporter_user=request.user, financing_id=pk))

    @extend_schema(request=None, responses=FinancingSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request, pk=None):
        return self._respond(services.financing_write_off(bank_user=request.user, financing_id=pk))


class FxReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    serializer_class = FxReceiptSerializer
    filterset_fields = ["receivable", "currency"]

    def get_queryset(self):
        return fx_receipts_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsBank()]
        return super().get_permissions()

    @extend_schema(request=FxReceiptCreateSerializer, responses={201: FxReceiptSerializer})
    def create(self, request):
        data = FxReceiptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        receivable = receivables_visible_to(request.user).filter(pk=v["receivable"]).first()
        if receivable is None or role_of(request.user) != BANK:
            raise NotFound("No such receivable among those applied to your bank.")
        receipt = services.fx_receipt_record(bank_user=request.user, receivable=receivable, amount=v["amount"],
                                             currency=v["currency"], value_date=v["value_date"],
                                             payer_name=v["payer_name"], reference=v["reference"])
        receipt = FxReceipt.objects.select_related("receivable").prefetch_related("repayments").get(pk=receipt.pk)
        return Response(represent(FxReceiptSerializer, receipt), status=status.HTTP_201_CREATED)
