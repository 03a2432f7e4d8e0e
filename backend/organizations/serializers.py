from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chain.services import chain_block
from common.fields import CountryField, SafeCharField
from organizations.models import Organization, User
from organizations.validators import normalize_bic, normalize_uscc


class ChainStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "confirmed", "failed"])
    tx_hash = serializers.CharField(allow_null=True)
    block_number = serializers.IntegerField(allow_null=True)


class OrganizationSerializer(serializers.ModelSerializer):
    chain_address = serializers.SerializerMethodField()
    chain = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "uscc", "bic", "safe_classification", "country", "grace_days",
                  "chain_address", "chain", "created_at"]
        read_only_fields = fields

    def get_chain_address(self, obj) -> str | None:
        account = getattr(obj, "chain_account", None)
        return account.address if account else None

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        record = getattr(obj, "chain_record", None)
        return chain_block(record.chain_tx if record else None)


class AdminUserSerializer(serializers.Serializer):
    username = SafeCharField(max_length=150, min_length=3)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)

    def validate_username(self, value):
        if not all(c.isalnum() or c in "@.+-_" for c in value):
            raise serializers.ValidationError("Use letters, digits and @.+-_ only.")
        return value


class OrganizationOnboardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["exporter", "bank", "regulator"])
    name = SafeCharField(max_length=200, min_length=2)
    uscc = serializers.CharField(max_length=40, required=False, allow_null=True)
    bic = serializers.CharField(max_length=20, required=False, allow_null=True)
    safe_classification = serializers.ChoiceField(choices=["A", "B", "C"], required=False, allow_null=True)
    country = CountryField(required=False, default="CN")
    grace_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    admin_user = AdminUserSerializer()

    def validate(self, attrs):
        errors = {}
        kind = attrs["kind"]
        if kind == "exporter":
            if not attrs.get("uscc"):
                errors["uscc"] = ["An exporter needs its Unified Social Credit Code."]
            else:
                try:
                    attrs["uscc"] = normalize_uscc(attrs["uscc"])
                except ValueError as exc:
                    errors["uscc"] = [str(exc)]
            if not attrs.get("safe_classification"):
                errors["safe_classification"] = ["An exporter needs its SAFE classification (A, B or C)."]
        elif attrs.get("uscc"):
            errors["uscc"] = ["Only exporters have a USCC here."]
        if kind == "bank":
            if not attrs.get("bic"):
                errors["bic"] = ["A bank needs its SWIFT BIC."]
            else:
                try:
                    attrs["bic"] = normalize_bic(attrs["bic"])
                except ValueError as exc:
                    errors["bic"] = [str(exc)]
        elif attrs.get("bic"):
            errors["bic"] = ["Only banks have a BIC here."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class MeOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class MeSerializer(serializers.ModelSerializer):
    organization = MeOrganizationSerializer(read_only=True)
    email = serializers.CharField(read_only=True, help_text="Empty when none is on file.")  # "" is no valid "email"
    role = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "organization"]
