from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chain.services import chain_block
from common.fields import CurrencyField, MoneyField, SafeCharField, check_money_scale
from financing.models import Financing, FxReceipt
from financing.selectors import next_actor
from organizations.serializers import ChainStatusSerializer


class OrgRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    bic = serializers.CharField(allow_null=True, required=False)


class FinancingApplySerializer(serializers.Serializer):
    receivable = serializers.UUIDField()
    bank = serializers.UUIDField()
    amount = MoneyField()
    tenor_days = serializers.IntegerField(min_value=1, max_value=720)


class FinancingApproveSerializer(serializers.Serializer):
    amount = MoneyField(required=False)
    interest_rate = serializers.DecimalField(max_digits=7, decimal_places=4, min_value=0, max_value=100,
                                             coerce_to_string=True)

    def validate_interest_rate(self, value):
        if not isinstance(self.initial_data.get("interest_rate"), str):
            raise serializers.ValidationError("Send the rate as a decimal string such as \"4.25\" (percent a year).")
        return value


class FinancingRejectSerializer(serializers.Serializer):
    reason = SafeCharField(max_length=500, min_length=1, multiline=True)


class ReservationSerializer(serializers.Serializer):
    declaration = serializers.CharField(source="declaration.number")
    amount = MoneyField(currency_source="declaration.currency")
    released = serializers.SerializerMethodField()

    def get_released(self, obj) -> bool:
        return obj.released_at is not None


class FinancingSerializer(serializers.ModelSerializer):
    exporter = OrgRefSerializer(read_only=True)
    bank = OrgRefSerializer(read_only=True)
    receivable_invoice_number = serializers.CharField(source="receivable.invoice_number", read_only=True)
    requested_amount = MoneyField(read_only=True)
    approved_amount = MoneyField(read_only=True, allow_null=True)
    repaid_amount = MoneyField(read_only=True, allow_zero=True)
    outstanding_amount = MoneyField(read_only=True, allow_zero=True)
    interest_rate = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True, allow_null=True)
    next_action_by = serializers.SerializerMethodField()
    reservations = ReservationSerializer(many=True, read_only=True)
    chain = serializers.SerializerMethodField()
    chain_record = serializers.SerializerMethodField()

    class Meta:
        model = Financing
        fields = ["id", "receivable", "receivable_invoice_number", "exporter", "bank", "currency", "requested_amount",
                  "approved_amount", "repaid_amount", "outstanding_amount", "interest_rate", "tenor_days", "status",
                  "next_action_by", "reject_reason", "applied_at", "approved_at", "disbursed_at", "due_date",
                  "closed_at", "reservations", "chain", "chain_record"]
        read_only_fields = fields

    def get_next_action_by(self, obj) -> str | None:
        return next_actor(obj)

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        return chain_block(obj.chain_tx)

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain_record(self, obj):
        return chain_block(obj.record_tx)


class FxReceiptCreateSerializer(serializers.Serializer):
    receivable = serializers.UUIDField()
    amount = MoneyField()
    currency = CurrencyField()
    value_date = serializers.DateField()
    payer_name = SafeCharField(max_length=200, min_length=1)
    reference = SafeCharField(max_length=64, min_length=1)

    def validate(self, attrs):
        problem = check_money_scale(attrs["amount"], attrs["currency"])
        if problem:
            raise serializers.ValidationError({"amount": [problem]})
        return attrs


class RepaymentSerializer(serializers.Serializer):
    financing = serializers.UUIDField(source="financing_id")
    amount = MoneyField(currency_source="financing.currency")
    chain = serializers.SerializerMethodField()

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        return chain_block(obj.chain_tx)


class FxReceiptSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    applied_amount = MoneyField(read_only=True, allow_zero=True)
    surplus_amount = MoneyField(read_only=True, allow_zero=True)
    repayments = RepaymentSerializer(many=True, read_only=True)
    receivable_status = serializers.CharField(source="receivable.status", read_only=True)

    class Meta:
        model = FxReceipt
        fields = ["id", "receivable", "receivable_status", "bank", "amount", "currency", "value_date", "payer_name",
                  "reference", "applied_amount", "surplus_amount", "repayments", "created_at"]
        read_only_fields = fields
