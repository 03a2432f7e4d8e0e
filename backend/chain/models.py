"""Chain plumbing: accounts, networks, deployments, the transaction outbox and indexed events."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class ChainAccount(models.Model):
    """An Ethereum account the platform holds for an organization (or for itself).

    The private key is stored encrypted (Fernet) and never leaves `chain.keys`.
    """

    PLATFORM = "platform"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=80, unique=True)
    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, null=True, related_name="chain_account"
    )
    address = models.CharField(max_length=42, unique=True)
    encrypted_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __repr__(self) -> str:  # never show the key, even encrypted
        return f"<ChainAccount {self.label} {self.address}>"

    __str__ = __repr__


class ChainNetwork(models.Model):
    """One chain as identified by its id and genesis block; a reset chain is a new network."""

    id = models.BigAutoField(primary_key=True)
    chain_id = models.BigIntegerField()
    genesis_hash = models.CharField(max_length=66)
    # A node that lost its state but kept its genesis is a new network too: the next epoch.
    epoch = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain_id", "genesis_hash", "epoch"], name="%(app_label)s_%(class)s_unique_genesis"),
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="%(app_label)s_%(class)s_one_active"),
        ]


class ChainDeployment(models.Model):
    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey(ChainNetwork, on_delete=models.PROTECT, related_name="deployments")
    name = models.CharField(max_length=80)
    address = models.CharField(max_length=42)
    tx_hash = models.CharField(max_length=66)
    block_number = models.BigIntegerField()
    bytecode_hash = models.CharField(max_length=66)
    deployed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]


class ChainTransaction(models.Model):
    """The outbox: a contract call recorded with the business change, sent later by the relay.

    pending → signed (raw transaction stored, nonce allocated) → sent → confirmed | failed.
    A crash after signing resends the stored raw transaction; it is never signed twice for another
    nonce. An entry left unmined for `CHAIN_FEE_BUMP_SECONDS` is signed again for the same nonce with
    higher fees (a fee bump): `raw_tx` and `tx_hash` become the new signing's, and the earlier hashes
    are kept in `earlier_hashes`, since any one of them may be the one mined. Once confirmed,
    `tx_hash` is the hash that was mined. An entry whose nonce another transaction used goes back to
    pending (its hashes kept there too) and is signed again for a new nonce.
    """

    # The error code of an entry failed because the chain was reset under it (superseded by a replay,
    # or lost with the old chain): not a refusal of the contract, no alert.
    LOST_IN_RESET = "chain_reset"

    class Status(models.TextChoices):
        PENDING = "pending"
        SIGNED = "signed"
        SENT = "sent"
        CONFIRMED = "confirmed"
        FAILED = "failed"

    DEPLOY = "__deploy__"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(ChainNetwork, on_delete=models.PROTECT, null=True, related_name="transactions")
    signer = models.ForeignKey(ChainAccount, on_delete=models.PROTECT, related_name="transactions")
    contract = models.CharField(max_length=80)
    function = models.CharField(max_length=80)
    args = models.JSONField(default=list)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    # Set by a chain-reset replay: the entry (of an older network, or superseded while pending) this one
    # writes again. A dependency on the old entry is satisfied by its replacement on the active network.
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by")
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    nonce = models.BigIntegerField(null=True)
    raw_tx = models.BinaryField(null=True)
    tx_hash = models.CharField(max_length=66, null=True, blank=True)
    earlier_hashes = ArrayField(models.CharField(max_length=66), default=list, blank=True)
    fee_bumped_at = models.DateTimeField(null=True)
    block_number = models.BigIntegerField(null=True)
    gas_used = models.BigIntegerField(null=True)
    contract_address = models.CharField(max_length=42, null=True, blank=True)
    error_code = models.CharField(max_length=80, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True)
    confirmed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "signer", "nonce"],
                condition=Q(nonce__isnull=False),
                name="%(app_label)s_%(class)s_unique_nonce",
            ),
            models.UniqueConstraint(
                fields=["network", "tx_hash"],
                condition=Q(tx_hash__isnull=False),
                name="%(app_label)s_%(class)s_unique_hash",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="failed") | (Q(nonce__isnull=False) & Q(tx_hash__isnull=False)),
                name="%(app_label)s_%(class)s_signed_has_nonce",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    @property
    def api_status(self) -> str:
        if self.status == self.Status.CONFIRMED:
            return "confirmed"
        if self.status == self.Status.FAILED:
            return "failed"
        return "pending"


class SignerNonce(models.Model):
    """The next nonce of one signer on one network, allocated under a row lock."""

    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey(ChainNetwork, on_delete=models.CASCADE)
    account = models.ForeignKey(ChainAccount, on_delete=models.CASCADE)
    next_nonce = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "account"], name="%(app_label)s_%(class)s_unique_signer"),
            models.CheckConstraint(condition=Q(next_nonce__gte=0), name="%(app_label)s_%(class)s_nonce_not_negative"),
        ]


class IndexerCursor(models.Model):
    network = models.OneToOneField(ChainNetwork, on_delete=models.CASCADE, primary_key=True)
    last_block = models.BigIntegerField(default=-1)
    updated_at = models.DateTimeField(auto_now=True)


class ChainEvent(models.Model):
    """An event of our contracts as read by the indexer; (tx hash, log index) makes rereads harmless."""

    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey(ChainNetwork, on_delete=models.CASCADE, related_name="events")
    block_number = models.BigIntegerField(db_index=True)
    block_hash = models.CharField(max_length=66)
    tx_hash = models.CharField(max_length=66)
    log_index = models.IntegerField()
    contract = models.CharField(max_length=80)
    address = models.CharField(max_length=42)
    event = models.CharField(max_length=80, db_index=True)
    args = models.JSONField()
    indexed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["block_number", "log_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "tx_hash", "log_index"], name="%(app_label)s_%(class)s_unique_log"
            ),
        ]
