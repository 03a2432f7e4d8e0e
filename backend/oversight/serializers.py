from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import SafeCharField, format_money
from oversight.models import Alert


@extend_schema_field({"type": "string", "format": "decimal", "example": "125000.00"})
class AmountField(serializers.Field):
    """A read-only amount as a decimal string with the digits of the row's `currency`."""

    def get_attribute(self, instance):
        return instance.get(self.source), instance.get("currency")

    def to_representation(self, value):
        amount, currency = value
        return format_money(Decimal(amount or 0), currency)


@extend_schema_field({"type": "string", "format": "decimal", "example": "0.4250"})
class ShareField(serializers.Field):
    def to_representation(self, value):
        return format(Decimal(value).quantize(Decimal("0.0001")), "f")


class BankRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    bic = serializers.CharField(allow_null=True)


class VolumeByBankSerializer(serializers.Serializer):
    bank = BankRefSerializer()
    currency = serializers.CharField()
    count = serializers.IntegerField()
    amount = AmountField()


class VolumeByCurrencySerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField()
    amount = AmountField()


class VolumeByMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM of disbursement.")
    currency = serializers.CharField()
    count = serializers.IntegerField()
    amount = AmountField()


class VolumesSerializer(serializers.Serializer):
    by_bank = VolumeByBankSerializer(many=True)
    by_currency = VolumeByCurrencySerializer(many=True)
    by_month = VolumeByMonthSerializer(many=True)


class ApplicationsByStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()


class PortfolioSerializer(serializers.Serializer):
    currency = serializers.CharField()
    outstanding = AmountField(help_text="Approved minus repaid, of disbursed, partially repaid and overdue financings.")
    outstanding_count = serializers.IntegerField()
    overdue = AmountField(help_text="Outstanding past the due date plus the bank's grace days.")
    overdue_count = serializers.IntegerField()
    repaid = AmountField()
    repaid_count = serializers.IntegerField(help_text="Financings repaid in full.")
    disbursed = AmountField()
    written_off = AmountField()


class BlockedByBankSerializer(serializers.Serializer):
    bank = BankRefSerializer()
    currency = serializers.CharField()
    count = serializers.IntegerField()
    requested = AmountField()


class DoubleFinancingSerializer(serializers.Serializer):
    blocked_attempts = serializers.IntegerField(help_text="Approvals refused because another financing held the balance.")
    blocked_by_bank = BlockedByBankSerializer(many=True)
    suspected_duplicate_receivables = serializers.IntegerField()


class RefusalCountSerializer(serializers.Serializer):
    reason = serializers.CharField()
    count = serializers.IntegerField()


class LookupsByBankSerializer(serializers.Serializer):
    bank = BankRefSerializer()
    served = serializers.IntegerField()
    refused = serializers.IntegerField()


class CreditLookupsSerializer(serializers.Serializer):
    served = serializers.IntegerField()
    refused = serializers.IntegerField()
    refused_by_reason = RefusalCountSerializer(many=True)
    by_bank = LookupsByBankSerializer(many=True)


class ConcentrationByBankSerializer(serializers.Serializer):
    bank = BankRefSerializer()
    currency = serializers.CharField()
    outstanding = AmountField()
    count = serializers.IntegerField()
    share = ShareField(help_text="Share of the currency's total outstanding, 0 to 1.")


class ConcentrationByCountrySerializer(serializers.Serializer):
    country = serializers.CharField(help_text="The buyer's country (ISO 3166-1 alpha-2).")
    currency = serializers.CharField()
    outstanding = AmountField()
    count = serializers.IntegerField()
    share = ShareField(help_text="Share of the currency's total outstanding, 0 to 1.")


class ConcentrationSerializer(serializers.Serializer):
    by_bank = ConcentrationByBankSerializer(many=True)
    by_buyer_country = ConcentrationByCountrySerializer(many=True)


class OversightStatsSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    period_from = serializers.DateField(allow_null=True, help_text="Applied to volumes, blocked attempts and lookups.")
    period_to = serializers.DateField(allow_null=True)
    volumes = VolumesSerializer()
    applications = ApplicationsByStatusSerializer(many=True)
    portfolio = PortfolioSerializer(many=True, help_text="Per currency, as of now.")
    double_financing = DoubleFinancingSerializer()
    credit_lookups = CreditLookupsSerializer()
    concentration = ConcentrationSerializer()


class StatsQuerySerializer(serializers.Serializer):
    period_from = serializers.DateField(required=False)
    period_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("period_from") and attrs.get("period_to") and attrs["period_to"] < attrs["period_from"]:
            raise serializers.ValidationError({"period_to": ["The end of the period is before its start."]})
        return attrs


class AlertSerializer(serializers.ModelSerializer):
    acknowledged_by = serializers.SerializerMethodField()
    acknowledged = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "kind", "severity", "message", "subject_type", "subject_id", "data", "created_at",
                  "acknowledged", "acknowledged_at", "acknowledged_by", "acknowledgement_note"]
        read_only_fields = fields

    def get_acknowledged(self, obj) -> bool:
        return obj.acknowledged_at is not None

    def get_acknowledged_by(self, obj) -> str | None:
        return obj.acknowledged_by.username if obj.acknowledged_by_id else None


class AlertAcknowledgeSerializer(serializers.Serializer):
    note = SafeCharField(max_length=500, required=False, allow_blank=True, default="", multiline=True)


class ExportQuerySerializer(serializers.Serializer):
    period_from = serializers.DateField(required=False)
    period_to = serializers.DateField(required=False)
