from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.permissions import IsOperator
from common.rendering import represent
from common.views import PlatformViewSet
from customs import services
from customs.models import Declaration
from customs.selectors import declarations_visible_to
from customs.serializers import DeclarationCreateSerializer, DeclarationSerializer


class DeclarationFilter(filters.FilterSet):
    export_date_from = filters.DateFilter(field_name="export_date", lookup_expr="gte")
    export_date_to = filters.DateFilter(field_name="export_date", lookup_expr="lte")
    has_available = filters.BooleanFilter(method="filter_has_available")

    class Meta:
        model = Declaration
        fields = ["number", "currency", "exporter", "destination_country"]

    def filter_has_available(self, queryset, name, value):
        from django.db.models import F

        return queryset.filter(financed_amount__lt=F("fob_value")) if value else queryset.filter(financed_amount=F("fob_value"))


class DeclarationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter

    def get_queryset(self):
        return declarations_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsOperator()]
        return super().get_permissions()

    @extend_schema(request=DeclarationCreateSerializer, responses={201: DeclarationSerializer})
    def create(self, request):
        data = DeclarationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declaration = services.declaration_register(actor=request.user, **data.validated_data)
        return Response(represent(DeclarationSerializer, declaration), status=status.HTTP_201_CREATED)
