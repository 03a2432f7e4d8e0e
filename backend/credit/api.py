from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.errors import ApiError
from common.filters import IsoDateTimeFilter
from common.permissions import EXPORTER, OPERATOR, REGULATOR, IsBank, IsExporter, role_of, roles
from common.rendering import represent
from common.views import PlatformAPIView, PlatformViewSet
from credit import services
from credit.models import CreditAccess, CreditAuthorization, Penalty, Scope
from credit.selectors import (
    accesses_visible_to, authorization_accesses, authorizations_visible_to, penalties_visible_to,
)
from credit.serializers import (
    CreditAccessSerializer, CreditAuthorizationCreateSerializer, CreditAuthorizationSerializer,
    CreditReportQuerySerializer, CreditReportSerializer, PenaltyCreateSerializer, PenaltySerializer,
)

IsRegulatorOrOperator = roles(REGULATOR, OPERATOR)
CanReadPenalties = roles(REGULATOR, OPERATOR, EXPORTER)
STATUS_CHOICES = [(s, s) for s in CreditAuthorization.Status.values]
SCOPE_CHOICES = [(s, s) for s in Scope.ORDER]


class CreditAuthorizationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=STATUS_CHOICES, field_name="effective_status",
                                  help_text="The effective status: an active grant past its expiry is expired.")
    bank = filters.UUIDFilter(field_name="bank_id")
    exporter = filters.UUIDFilter(field_name="exporter_id")
    scope = filters.ChoiceFilter(choices=SCOPE_CHOICES, method="filter_scope", help_text="Grants that include this scope.")

    class Meta:
        model = CreditAuthorization
        fields = ["status", "bank", "exporter", "scope"]

    def filter_scope(self, queryset, name, value):
        from django.db.models import F

        return queryset.annotate(scope_bit=F("scope_mask").bitand(Scope.BITS[value])).filter(scope_bit__gt=0)


class CreditAccessFilter(filters.FilterSet):
    outcome = filters.ChoiceFilter(choices=CreditAccess.Outcome.choices)
    refused = filters.BooleanFilter(method="filter_refused")
    bank = filters.UUIDFilter(field_name="bank_id")
    exporter = filters.UUIDFilter(field_name="requested_exporter_id")
    authorization = filters.UUIDFilter(field_name="requested_authorization_id")
    since = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = CreditAccess
        fields = ["outcome", "refused", "bank", "exporter", "authorization", "since", "until"]

    def filter_refused(self, queryset, name, value):
        served = CreditAccess.Outcome.SERVED
        return queryset.exclude(outcome=served) if value else queryset.filter(outcome=served)


@extend_schema_view(
    list=extend_schema(summary="Credit authorizations: the exporter's grants, a bank's received grants, or all (regulator)."),
    retrieve=extend_schema(summary="One credit authorization, with its EIP-712 typed data and signature."),
)
class CreditAuthorizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    serializer_class = CreditAuthorizationSerializer
    filterset_class = CreditAuthorizationFilter

    def get_queryset(self):
        return authorizations_visible_to(self.request.user)

    def get_permissions(self):
        if self.action in ("create", "revoke"):
            return [IsAuthenticated(), IsExporter()]
        return super().get_permissions()

    @extend_schema(
        summary="Grant a credit authorization (exporter); signed with the exporter's chain key (EIP-712).",
        request=CreditAuthorizationCreateSerializer,
        responses={201: CreditAuthorizationSerializer},
    )
    def create(self, request):
        data = CreditAuthorizationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        authorization = services.credit_authorization_grant(
            user=request.user,
            bank_id=v["bank"],
            purpose=v["purpose"],
            scopes=v["scopes"],
            data_from=v["data_from"],
            data_to=v["data_to"],
            valid_from=v.get("valid_from"),
            expires_at=v["expires_at"],
        )
        authorization = self.get_queryset().get(pk=authorization.pk)
        return Response(represent(CreditAuthorizationSerializer, authorization), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke a credit authorization (its exporter); lookups under it are refused at once.",
        request=None,
        responses={200: CreditAuthorizationSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        revoked = services.credit_authorization_revoke(user=request.user, authorization_id=pk)
        authorization = self.get_queryset().get(pk=revoked.pk)
        return Response(represent(CreditAuthorizationSerializer, authorization))

    @extend_schema(
        summary="Every lookup made under this authorization, served or refused (its exporter, the regulator).",
        responses={200: CreditAccessSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, serializer_class=CreditAccessSerializer)
    def accesses(self, request, pk=None):
        authorization = get_object_or_404(authorizations_visible_to(request.user), pk=pk)
        if role_of(request.user) not in (EXPORTER, REGULATOR):
            raise ApiError("permission_denied", "Only the exporter and the regulator read the access log.",
                           status_code=403)
        page = self.paginate_queryset(authorization_accesses(authorization))
        return self.get_paginated_response(CreditAccessSerializer(page, many=True).data)


class CreditAccessViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    """All lookups: about the exporter (to it, even those citing no authorization), made by a bank (to it), all (regulator)."""

    serializer_class = CreditAccessSerializer
    filterset_class = CreditAccessFilter

    def get_queryset(self):
        return accesses_visible_to(self.request.user)


class CreditReportView(PlatformAPIView):
    permission_classes = [IsAuthenticated, IsBank]

    @extend_schema(
        summary="An exporter's credit profile under an authorization granted to your bank.",
        description=(
            "One top-level key per scope looked up (all the authorization grants, or those named in `scopes`), "
            "figures limited to the authorization's data period. Served or refused, every lookup is logged "
            "(the exporter sees it) and written to the audit log; a served one is recorded on chain from the "
            "bank's account. The `Credit-Access-Id` response header names the access-log entry."
        ),
        parameters=[CreditReportQuerySerializer],
        responses={
            200: CreditReportSerializer,
            403: OpenApiResponse(description="authorization_required, authorization_revoked, "
                                             "authorization_expired or scope_not_authorized; logged as an attempt."),
        },
    )
    def get(self, request, exporter_id):
        query = CreditReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lookup = services.credit_report_lookup(
            user=request.user,
            exporter_id=exporter_id,
            authorization_id=query.validated_data.get("authorization"),
            scopes=query.validated_data.get("scopes"),
        )
        # The selector builds the report in its JSON form; CreditReportSerializer documents it in the
        # schema (and the credit-profile tests check it would return the report unchanged), so the
        # report is not copied through it on every lookup.
        response = Response(lookup.report)
        response["Credit-Access-Id"] = str(lookup.access.pk)
        return response


class PenaltyFilter(filters.FilterSet):
    exporter = filters.UUIDFilter(field_name="exporter_id")
    decided_from = filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_to = filters.DateFilter(field_name="decided_on", lookup_expr="lte")

    class Meta:
        model = Penalty
        fields = ["exporter", "decided_from", "decided_to"]


class PenaltyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilter

    def get_queryset(self):
        return penalties_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsRegulatorOrOperator()]
        return [IsAuthenticated(), CanReadPenalties()]

    @extend_schema(
        summary="Record an administrative penalty on an exporter (regulator or operator).",
        request=PenaltyCreateSerializer,
        responses={201: PenaltySerializer},
    )
    def create(self, request):
        data = PenaltyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        penalty = services.penalty_record(
            user=request.user,
            exporter_id=v["exporter"],
            decided_on=v["decided_on"],
            amount=v.get("amount"),
            currency=v.get("currency"),
            reason=v["reason"],
            reference=v["reference"],
        )
        penalty = self.get_queryset().get(pk=penalty.pk)
        return Response(represent(PenaltySerializer, penalty), status=status.HTTP_201_CREATED)
