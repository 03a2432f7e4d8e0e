"""The append-only, hash-chained audit log."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, BigIntegerRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value


class AuditHead(models.Model):
    """One row: the last seq and hash. Updating it serializes appends, so seqs have no gaps."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    # The last_hash before the latest append: the append's single UPDATE sets it from the row it
    # locked and returns it as the new event's prev_hash (audit.services.audit_append).
    previous_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="%(app_label)s_%(class)s_single_row")]


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    type = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey("organizations.User", on_delete=models.PROTECT, null=True, related_name="+")
    actor_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, related_name="+"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=80)
    # Organizations whose users may read this event (the regulator reads all).
    visible_to = ArrayField(models.UUIDField(), default=list)
    payload = models.JSONField()
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    batch = models.ForeignKey("audit.AuditBatch", on_delete=models.PROTECT, null=True, related_name="events")

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["created_at"]),
        ]
        constraints = [models.CheckConstraint(condition=Q(seq__gte=1), name="%(app_label)s_%(class)s_seq_positive")]


class AuditBatch(models.Model):
    """A run of consecutive events whose Merkle root is anchored on chain.

    `root` is the RFC 9162 tree hash of the batch's entry hashes (hex); `chain_tx` is the latest
    `AuditAnchor.anchor` call for it (a new one after each chain reset).
    """

    id = models.BigAutoField(primary_key=True)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    root = models.CharField(max_length=64)
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_seq"]
        constraints = [
            models.UniqueConstraint(fields=["first_seq"], name="%(app_label)s_%(class)s_unique_first"),
            models.UniqueConstraint(fields=["last_seq"], name="%(app_label)s_%(class)s_unique_last"),
            models.CheckConstraint(condition=Q(last_seq__gte=models.F("first_seq")), name="%(app_label)s_%(class)s_ordered"),
            models.CheckConstraint(condition=Q(first_seq__gte=1), name="%(app_label)s_%(class)s_first_seq_positive"),
            models.CheckConstraint(condition=Q(root__regex=r"^[0-9a-f]{64}$"), name="%(app_label)s_%(class)s_root_is_hex"),
            ExclusionConstraint(
                name="%(app_label)s_%(class)s_no_overlap",
                expressions=[(
                    Func(F("first_seq"), F("last_seq"), Value("[]"), function="int8range", output_field=BigIntegerRangeField()),
                    RangeOperators.OVERLAPS,
                )],
            ),
        ]
