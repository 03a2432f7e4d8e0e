from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.permissions import IsOperator
from common.rendering import represent
from common.views import PlatformAPIView, PlatformViewSet
from organizations import services
from organizations.selectors import organizations_visible_to
from organizations.serializers import MeSerializer, OrganizationOnboardSerializer, OrganizationSerializer


class OrganizationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=[(k, k) for k in ("exporter", "bank", "regulator", "operator")])
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = services.Organization
        fields = ["kind", "name", "uscc", "bic"]


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlatformViewSet):
    queryset = services.Organization.objects.none()  # the real one depends on the user
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return organizations_visible_to(self.request.user).order_by("name", "id")

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsOperator()]
        return super().get_permissions()

    @extend_schema(request=OrganizationOnboardSerializer, responses={201: OrganizationSerializer})
    def create(self, request):
        data = OrganizationOnboardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        org = services.organization_onboard(
            actor=request.user,
            kind=v["kind"],
            name=v["name"],
            uscc=v.get("uscc"),
            bic=v.get("bic"),
            safe_classification=v.get("safe_classification"),
            country=v.get("country", "CN"),
            grace_days=v.get("grace_days"),
            admin_username=v["admin_user"]["username"],
            admin_password=v["admin_user"]["password"],
        )
        org = organizations_visible_to(request.user).get(pk=org.pk)
        return Response(represent(OrganizationSerializer, org), status=status.HTTP_201_CREATED)


class MeView(PlatformAPIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(represent(MeSerializer, request.user))
