from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chain.services import chain_block
from common.fields import CurrencyField, MoneyField, SafeCharField
from credit.models import CreditAccess, CreditAuthorization, Penalty, Scope
from organizations.serializers import ChainStatusSerializer

SCOPE_CHOICES = list(Scope.ORDER)


class ScopeListField(serializers.ListField):
    """A nonempty list of distinct known scopes."""

    child = serializers.ChoiceField(choices=SCOPE_CHOICES)

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", len(SCOPE_CHOICES))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        scopes = super().to_internal_value(data)
        if len(set(scopes)) != len(scopes):
            raise serializers.ValidationError("A scope is listed twice.")
        return scopes


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()


class CreditAuthorizationCreateSerializer(serializers.Serializer):
    bank = serializers.UUIDField(help_text="The id of the bank being authorized.")
    purpose = SafeCharField(max_length=200, min_length=3)
    scopes = ScopeListField()
    data_from = serializers.DateField(help_text="First day of the data the bank may see.")
    data_to = serializers.DateField(help_text="Last day (inclusive) of the data the bank may see; not in the future.")
    valid_from = serializers.DateTimeField(required=False, help_text="Defaults to now. Whole seconds are kept.")
    expires_at = serializers.DateTimeField(help_text="After valid_from and in the future. Whole seconds are kept.")


class TypedDataSerializer(serializers.Serializer):
    """The EIP-712 typed data (eth_signTypedData_v4 JSON) that the exporter's key signed."""

    types = serializers.DictField(child=serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    primaryType = serializers.CharField()  # noqa: N815 - the EIP-712 JSON's own key
    domain = serializers.DictField()
    message = serializers.DictField()


class CreditAuthorizationSerializer(serializers.ModelSerializer):
    exporter = serializers.UUIDField(source="exporter_id", read_only=True)
    exporter_name = serializers.CharField(source="exporter.name", read_only=True)
    bank = serializers.UUIDField(source="bank_id", read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SCOPE_CHOICES), read_only=True)
    status = serializers.SerializerMethodField()
    typed_data = TypedDataSerializer(read_only=True)
    chain = serializers.SerializerMethodField()
    grant_chain = serializers.SerializerMethodField()
    revoke_chain = serializers.SerializerMethodField()

    class Meta:
        model = CreditAuthorization
        fields = ["id", "exporter", "exporter_name", "bank", "bank_name", "purpose", "scopes", "data_from", "data_to",
                  "valid_from", "expires_at", "status", "digest", "signature", "signer_address", "typed_data",
                  "chain", "grant_chain", "revoke_chain", "created_at", "revoked_at", "expired_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CreditAuthorization.Status.values))
    def get_status(self, obj) -> str:
        # Expiry holds from `expires_at` on, whether or not the beat task has flipped the row yet.
        effective = getattr(obj, "effective_status", None)
        if effective is not None:
            return effective
        return obj.effective_status(timezone.now())

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        return chain_block(obj.chain_tx)

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_grant_chain(self, obj):
        return chain_block(obj.grant_tx)

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_revoke_chain(self, obj):
        return chain_block(obj.revoke_tx)


class CreditAccessSerializer(serializers.ModelSerializer):
    """One lookup: who (bank, user), when, which scopes, under which authorization, and the outcome."""

    bank = OrganizationRefSerializer(read_only=True)
    user = UserRefSerializer(read_only=True)
    exporter = serializers.UUIDField(source="requested_exporter_id", read_only=True)
    authorization = serializers.UUIDField(source="requested_authorization_id", read_only=True, allow_null=True)
    time = serializers.DateTimeField(source="occurred_at", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SCOPE_CHOICES), read_only=True)
    refused = serializers.BooleanField(read_only=True)
    chain = serializers.SerializerMethodField()

    class Meta:
        model = CreditAccess
        fields = ["id", "bank", "user", "exporter", "authorization", "time", "scopes", "outcome", "refused",
                  "reason", "data_from", "data_to", "chain"]
        read_only_fields = fields

    @extend_schema_field(ChainStatusSerializer(allow_null=True))
    def get_chain(self, obj):
        return chain_block(obj.chain_tx)


class CreditReportQuerySerializer(serializers.Serializer):
    authorization = serializers.UUIDField(required=False, help_text="The authorization the lookup relies on.")
    scopes = serializers.CharField(
        required=False, max_length=100,
        help_text="Comma-separated scopes to look up; all the authorization grants when absent.",
    )

    def validate_scopes(self, value):
        scopes = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in scopes if s not in Scope.BITS]
        if not scopes or unknown:
            raise serializers.ValidationError(f"Use one or more of {', '.join(Scope.ORDER)}.")
        if len(set(scopes)) != len(scopes):
            raise serializers.ValidationError("A scope is listed twice.")
        return scopes


# ----------------------------------------------------------------- the report (documentation and output shape)


class PeriodSerializer(serializers.Serializer):
    data_from = serializers.DateField()
    data_to = serializers.DateField()


class BasicOrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    country = serializers.CharField()


class BasicRegistrationSerializer(serializers.Serializer):
    onboarded_at = serializers.DateTimeField()
    chain_address = serializers.CharField(allow_null=True)
    chain = ChainStatusSerializer(allow_null=True)


class BasicSectionSerializer(serializers.Serializer):
    organization = BasicOrganizationSerializer()
    registration = BasicRegistrationSerializer()
    classification = serializers.CharField(help_text="The exporter's SAFE classification (A, B or C).")


class DeclarationMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM of the export date.")
    currency = serializers.CharField()
    count = serializers.IntegerField()
    fob_value = serializers.CharField(help_text="Decimal string.")


class FxReceiptsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    declared_value = serializers.CharField(help_text="FOB value declared in the period (decimal string).")
    receipt_count = serializers.IntegerField()
    received_amount = serializers.CharField(help_text="FX received in the period (decimal string).")
    received_ratio = serializers.CharField(allow_null=True, help_text="received / declared, 4 decimals.")


class FinancingCurrencySerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField()
    financed_count = serializers.IntegerField()
    repaid_on_time = serializers.IntegerField()
    repaid_late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    written_off = serializers.IntegerField()
    rejected = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    financed_amount = serializers.CharField()
    repaid_amount = serializers.CharField()
    outstanding_amount = serializers.CharField()
    overdue_amount = serializers.CharField()


class FinancingHistorySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Financings applied for in the period, at any bank.")
    financed_count = serializers.IntegerField()
    repaid_on_time = serializers.IntegerField()
    repaid_late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    written_off = serializers.IntegerField()
    rejected = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    by_currency = FinancingCurrencySerializer(many=True)


class TransactionCreditSerializer(serializers.Serializer):
    period = PeriodSerializer()
    declarations_by_month = DeclarationMonthSerializer(many=True)
    fx_receipts = FxReceiptsSerializer(many=True)
    average_days_export_to_receipt = serializers.CharField(allow_null=True)
    financing = FinancingHistorySerializer()


class PenaltyEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    decided_on = serializers.DateField()
    imposed_by = serializers.CharField()
    amount = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    reference = serializers.CharField()


class RegulatoryCreditSerializer(serializers.Serializer):
    period = PeriodSerializer()
    safe_classification = serializers.ChoiceField(choices=["A", "B", "C"])
    penalties = PenaltyEntrySerializer(many=True)


class CreditReportSerializer(serializers.Serializer):
    """One key per scope looked up, and none for the others."""

    basic = BasicSectionSerializer(required=False)
    transaction_credit = TransactionCreditSerializer(required=False)
    regulatory_credit = RegulatoryCreditSerializer(required=False)


# ----------------------------------------------------------------- penalties


class PenaltyCreateSerializer(serializers.Serializer):
    exporter = serializers.UUIDField()
    decided_on = serializers.DateField()
    amount = MoneyField(required=False, allow_null=True)
    currency = CurrencyField(required=False, allow_null=True)
    reason = SafeCharField(max_length=500, min_length=3, multiline=True)
    reference = SafeCharField(max_length=64, min_length=1)


class PenaltySerializer(serializers.ModelSerializer):
    exporter = serializers.UUIDField(source="exporter_id", read_only=True)
    imposed_by = OrganizationRefSerializer(read_only=True)
    amount = MoneyField(read_only=True, allow_null=True)

    class Meta:
        model = Penalty
        fields = ["id", "exporter", "imposed_by", "decided_on", "amount", "currency", "reason", "reference",
                  "created_at"]
        read_only_fields = fields
