from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chain.services import chain_block
from common.fields import CountryField, CurrencyField, MoneyField, SafeCharField, check_money_scale
from customs.models import Declaration
from organizations.serializers import ChainStatusSerializer


class DeclarationCreateSerializer(serializers.Serializer):
    number = serializers.RegexField(r"^[0-9]{18}$", max_length=18,
                                    error_messages={"invalid": "A customs declaration number has 18 digits."})
    exporter_uscc = serializers.CharField(max_length=18, min_length=18)
    export_date = serializers.DateField()
    currency = CurrencyField()
    fob_value = MoneyField()
    destination_country = CountryField()
    consignee = SafeCharField(max_length=200)

    def validate(self, attrs):
        problem = check_money_scale(attrs["fob_value"], attrs["currency"])
        if problem:
            raise serializers.ValidationError({"fob_value": [problem]})
        return attrs


class DeclarationSerializer(serializers.ModelSerializer):
    exporter_uscc = serializers.CharField(source="exporter.uscc", read_only=True)
    exporter_name = serializers.CharField(source="exporter.name", read_only=True)
    fob_value = MoneyField(read_only=True)
    allocated_amount = MoneyField(read_only=True)
    financed_amount = MoneyField(read_only=True)
    available_amount = MoneyField(read_only=True)
    chain = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = ["id", "number", "exporter", "exporter_uscc", "exporter_name", "export_date", "currency",
                  "fob_value", "allocated_amount", "financed_amount", "available_amount",
                  "destination_country", "consignee", "fingerprint", "chain", "created_at"]
        read_only_fields = fields

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        return chain_block(obj.chain_tx)
