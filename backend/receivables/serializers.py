from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import CountryField, CurrencyField, MoneyField, SafeCharField, check_money_scale
from common.permissions import REGULATOR, role_of
from receivables.models import Receivable


class AllocationInputSerializer(serializers.Serializer):
    number = serializers.RegexField(r"^[0-9]{18}$", max_length=18,
                                    error_messages={"invalid": "A customs declaration number has 18 digits."})
    amount = MoneyField()


class ReceivableCreateSerializer(serializers.Serializer):
    invoice_number = SafeCharField(max_length=64, min_length=1)
    buyer_name = SafeCharField(max_length=200, min_length=1)
    buyer_country = CountryField()
    currency = CurrencyField()
    amount = MoneyField()
    issue_date = serializers.DateField()
    due_date = serializers.DateField()
    declarations = AllocationInputSerializer(many=True, allow_empty=False, max_length=50)

    def validate(self, attrs):
        errors = {}
        problem = check_money_scale(attrs["amount"], attrs["currency"])
        if problem:
            errors["amount"] = [problem]
        for index, item in enumerate(attrs["declarations"]):
            problem = check_money_scale(item["amount"], attrs["currency"])
            if problem:
                errors[f"declarations[{index}].amount"] = [problem]
        if attrs["due_date"] <= attrs["issue_date"]:
            errors["due_date"] = ["The due date must be after the issue date."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AllocationSerializer(serializers.Serializer):
    number = serializers.CharField(source="declaration.number")
    amount = MoneyField(currency_source="declaration.currency")
    export_date = serializers.DateField(source="declaration.export_date")
    fob_value = MoneyField(source="declaration.fob_value", currency_source="declaration.currency")
    financed_amount = MoneyField(source="declaration.financed_amount", currency_source="declaration.currency")
    available_amount = MoneyField(source="declaration.available_amount", currency_source="declaration.currency")


class ReceivableSerializer(serializers.ModelSerializer):
    exporter_name = serializers.CharField(source="exporter.name", read_only=True)
    amount = MoneyField(read_only=True)
    financed_amount = MoneyField(read_only=True)
    available_amount = MoneyField(read_only=True)
    received_amount = MoneyField(read_only=True)
    surplus_amount = MoneyField(read_only=True)
    declarations = AllocationSerializer(source="allocations", many=True, read_only=True)
    suspected_duplicate = serializers.SerializerMethodField()
    suspected_duplicate_of = serializers.SerializerMethodField()

    class Meta:
        model = Receivable
        fields = ["id", "exporter", "exporter_name", "invoice_number", "buyer_name", "buyer_country", "currency",
                  "amount", "financed_amount", "available_amount", "received_amount", "surplus_amount",
                  "issue_date", "due_date", "status", "fingerprint", "declaration_check", "declarations",
                  "suspected_duplicate", "suspected_duplicate_of", "created_at"]
        read_only_fields = fields

    def get_suspected_duplicate(self, obj) -> bool:
        return bool(obj.suspected_duplicate_of)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_suspected_duplicate_of(self, obj):
        # Which other receivables match is the regulator's to see; a bank sees the warning only.
        request = self.context.get("request")
        if request is not None and role_of(request.user) == REGULATOR:
            return obj.suspected_duplicate_of
        return []
