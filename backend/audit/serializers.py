from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audit.models import AuditEvent
from audit.selectors import anchoring_state
from chain.services import chain_block
from organizations.serializers import ChainStatusSerializer

HEX64 = {"min_length": 64, "max_length": 64}


class AuditActorSerializer(serializers.Serializer):
    user = serializers.UUIDField(allow_null=True)
    username = serializers.CharField(allow_null=True)
    organization = serializers.UUIDField(allow_null=True)
    organization_name = serializers.CharField(allow_null=True)


class AuditObjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class AuditBatchRefSerializer(serializers.Serializer):
    first_seq = serializers.IntegerField()
    last_seq = serializers.IntegerField()
    root = serializers.CharField(**HEX64)


class AuditAnchoringSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["unbatched", "pending", "anchored", "failed"],
        help_text="unbatched: not in a batch yet; pending: batch closed, anchor not confirmed on the current chain; "
        "anchored: the batch root is on chain (a proof is available); failed: the anchor transaction failed.",
    )
    batch = AuditBatchRefSerializer(allow_null=True)
    chain = ChainStatusSerializer(allow_null=True)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    object = serializers.SerializerMethodField()
    anchoring = serializers.SerializerMethodField()
    payload = serializers.JSONField(help_text="The hashed payload; its RFC 8785 canonical form hashes to payload_hash.")

    class Meta:
        model = AuditEvent
        fields = ["seq", "type", "actor", "object", "payload", "payload_hash", "prev_hash", "entry_hash",
                  "created_at", "anchoring"]
        read_only_fields = fields

    @extend_schema_field(AuditActorSerializer(allow_null=True))
    def get_actor(self, obj):
        if obj.actor_id is None:
            return None
        org = obj.actor_organization
        return {"user": obj.actor_id, "username": obj.actor.username if obj.actor else None,
                "organization": org.pk if org else None, "organization_name": org.name if org else None}

    @extend_schema_field(AuditObjectSerializer)
    def get_object(self, obj):
        return {"type": obj.object_type, "id": obj.object_id}

    @extend_schema_field(AuditAnchoringSerializer)
    def get_anchoring(self, obj):
        batch = obj.batch
        return {
            "state": anchoring_state(batch, self.context.get("active_network")),
            "batch": None if batch is None else {"first_seq": batch.first_seq, "last_seq": batch.last_seq, "root": batch.root},
            "chain": chain_block(batch.chain_tx) if batch is not None else None,
        }


class AuditAnchorRefSerializer(serializers.Serializer):
    contract = serializers.CharField(help_text="The AuditAnchor contract's address.")
    chain_id = serializers.IntegerField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField()
    first_seq = serializers.IntegerField()
    last_seq = serializers.IntegerField()


class AuditProofSerializer(serializers.Serializer):
    leaf_index = serializers.IntegerField(help_text="Position of the event in its batch (seq - first_seq).")
    tree_size = serializers.IntegerField(help_text="Number of events in the batch (last_seq - first_seq + 1).")
    entry_hash = serializers.CharField(**HEX64)
    audit_path = serializers.ListField(child=serializers.CharField(**HEX64),
                                       help_text="RFC 9162 inclusion path, leaf to root, hex.")
    root = serializers.CharField(**HEX64, help_text="The batch's RFC 9162 Merkle root, as anchored.")
    anchor = AuditAnchorRefSerializer()


class ChainResetSerializer(serializers.Serializer):
    chain_id = serializers.IntegerField()
    genesis_hash = serializers.CharField()
    contract = serializers.CharField(help_text="The AuditAnchor that was left behind.")
    active_from = serializers.DateTimeField()
    superseded_at = serializers.DateTimeField()
    batches_anchored = serializers.IntegerField(help_text="Batches anchored on that chain before it was left.")


class AnchoringSummarySerializer(serializers.Serializer):
    batches = serializers.IntegerField()
    anchored = serializers.IntegerField(help_text="Batches confirmed on the current chain.")
    pending = serializers.IntegerField()
    failed = serializers.IntegerField()
    re_anchored = serializers.IntegerField(
        help_text="Batches closed before the current AuditAnchor was deployed (a reset), anchored again on it.")
    awaiting_re_anchoring = serializers.IntegerField()
    unbatched_events = serializers.IntegerField()


class VerifiedChainSerializer(serializers.Serializer):
    chain_id = serializers.IntegerField()
    genesis_hash = serializers.CharField()
    block_number = serializers.IntegerField()
    contract = serializers.CharField(allow_null=True)


class AuditVerificationSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when the whole log was checked and nothing is wrong.")
    verified_through_seq = serializers.IntegerField(help_text="Every event up to this seq matches a root on chain.")
    first_bad_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text=(
        "Why the check failed: missing_event, out_of_order, invalid_record, payload_hash_mismatch, "
        "entry_hash_mismatch, broken_chain_link, entry_rewritten, batch_boundary_mismatch, batch_missing_on_chain, "
        "root_mismatch, stored_root_mismatch; or why it could not run: chain_unavailable, chain_reset_detected, "
        "anchor_contract_missing, anchors_unreadable, not_deployed."))
    message = serializers.CharField(allow_blank=True)
    last_seq = serializers.IntegerField()
    anchored_through_seq = serializers.IntegerField(help_text="The chain anchors seqs 1..this.")
    unanchored_from_seq = serializers.IntegerField(
        allow_null=True, help_text="Events from this seq on passed the hash-chain checks but are not anchored yet.")
    events_checked = serializers.IntegerField()
    batches_verified = serializers.IntegerField()
    batches_on_chain = serializers.IntegerField()
    checked_at = serializers.DateTimeField()
    chain = VerifiedChainSerializer(allow_null=True)
    chain_resets = ChainResetSerializer(many=True, help_text="Earlier chains the log was anchored on (resets).")
    anchoring = AnchoringSummarySerializer()


class AuditExportQuerySerializer(serializers.Serializer):
    from_seq = serializers.IntegerField(min_value=1, max_value=2**62, required=False, default=1)
    to_seq = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
