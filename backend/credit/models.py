"""Credit-information authorizations, the access log of lookups made under them, and penalties.

An authorization is the exporter's EIP-712 signature over who may look (the bank), at what
(the scopes), over which data (the data period) and when (valid from, expires at). Every
lookup a bank attempts is a `CreditAccess` row, served or refused, so the exporter sees all of them.
"""

import uuid

from django.db import models
from django.db.models import F, Q

MONEY = {"max_digits": 20, "decimal_places": 4}


class Scope:
    """The scopes of credit information, as the bits of the on-chain `scopes` mask."""

    BASIC = "basic"
    TRANSACTION_CREDIT = "transaction_credit"
    REGULATORY_CREDIT = "regulatory_credit"

    BITS = {BASIC: 1, TRANSACTION_CREDIT: 2, REGULATORY_CREDIT: 4}
    ORDER = (BASIC, TRANSACTION_CREDIT, REGULATORY_CREDIT)
    ALL_MASK = 7

    @classmethod
    def to_mask(cls, scopes) -> int:
        mask = 0
        for scope in scopes:
            mask |= cls.BITS[scope]
        return mask

    @classmethod
    def from_mask(cls, mask: int) -> list[str]:
        return [scope for scope in cls.ORDER if mask & cls.BITS[scope]]


class CreditAuthorization(models.Model):
    """An exporter's signed consent that one bank may look up some scopes of its credit profile."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        REVOKED = "revoked"
        EXPIRED = "expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exporter = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="credit_authorizations_granted"
    )
    bank = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="credit_authorizations_received"
    )
    purpose = models.CharField(max_length=200)
    # Bitmask of Scope.BITS, exactly as signed and as stored by the AuthorizationRegistry contract.
    scope_mask = models.PositiveSmallIntegerField()
    data_from = models.DateField()
    data_to = models.DateField()
    # Whole seconds: what is signed is unix seconds, so the database holds the same instants.
    valid_from = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    # The EIP-712 signature of the exporter's chain key over `typed_data`, and its digest.
    digest = models.CharField(max_length=66, unique=True)
    signature = models.CharField(max_length=132)
    signer_address = models.CharField(max_length=42)
    typed_data = models.JSONField()
    # Chain writes: the grant, the revocation, and the latest of the two (the API's `chain`).
    grant_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    revoke_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    created_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True)
    revoked_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, null=True, related_name="+")
    expired_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["exporter", "status"]),
            models.Index(fields=["bank", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_mask__gte=1) & Q(scope_mask__lte=Scope.ALL_MASK),
                name="%(app_label)s_%(class)s_scopes_known",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("valid_from")), name="%(app_label)s_%(class)s_expires_after_valid_from"),
            models.CheckConstraint(condition=Q(data_to__gte=F("data_from")), name="%(app_label)s_%(class)s_data_period_ordered"),
            models.CheckConstraint(condition=~Q(bank=F("exporter")), name="%(app_label)s_%(class)s_bank_not_exporter"),
            models.CheckConstraint(
                condition=Q(status__in=["active", "revoked", "expired"]), name="%(app_label)s_%(class)s_known_status"
            ),
            models.CheckConstraint(
                condition=(Q(status="revoked") & Q(revoked_at__isnull=False)) | (~Q(status="revoked") & Q(revoked_at__isnull=True)),
                name="%(app_label)s_%(class)s_revoked_has_time",
            ),
        ]

    @property
    def scopes(self) -> list[str]:
        return Scope.from_mask(self.scope_mask)

    def effective_status(self, now) -> str:
        """The status at `now`: an active authorization past its expiry is expired whatever is stored."""
        if self.status == self.Status.ACTIVE and self.expires_at <= now:
            return self.Status.EXPIRED
        return self.status


class CreditAccess(models.Model):
    """One credit-report lookup by a bank: served, or refused with the refusal code.

    The exporter sees every row about its profile, the regulator every row; refused rows
    (`outcome` other than `served`) are the refused lookups the oversight statistics count.
    """

    class Outcome(models.TextChoices):
        SERVED = "served"
        AUTHORIZATION_REQUIRED = "authorization_required"
        AUTHORIZATION_REVOKED = "authorization_revoked"
        AUTHORIZATION_EXPIRED = "authorization_expired"
        SCOPE_NOT_AUTHORIZED = "scope_not_authorized"

    REFUSALS = (
        Outcome.AUTHORIZATION_REQUIRED,
        Outcome.AUTHORIZATION_REVOKED,
        Outcome.AUTHORIZATION_EXPIRED,
        Outcome.SCOPE_NOT_AUTHORIZED,
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the bank asked for, kept even when it matches nothing we hold.
    requested_exporter_id = models.UUIDField()
    requested_authorization_id = models.UUIDField(null=True)
    # What it resolved to: the exporter if it exists, the authorization if it is about that exporter.
    exporter = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, related_name="credit_lookups_about"
    )
    authorization = models.ForeignKey(CreditAuthorization, on_delete=models.PROTECT, null=True, related_name="accesses")
    bank = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="credit_lookups_made")
    user = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")
    # Requested scopes (bitmask); what was served is the same set, or nothing when refused.
    scope_mask = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=32, choices=Outcome.choices, db_index=True)
    reason = models.CharField(max_length=200, blank=True)
    data_from = models.DateField(null=True)
    data_to = models.DateField(null=True)
    occurred_at = models.DateTimeField(db_index=True)
    # Served lookups are recorded on chain from the bank's own account (recordAccess).
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "id"]
        indexes = [
            models.Index(fields=["authorization", "occurred_at"]),
            models.Index(fields=["exporter", "occurred_at"]),
            models.Index(fields=["bank", "occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["served", "authorization_required", "authorization_revoked",
                                         "authorization_expired", "scope_not_authorized"]),
                name="%(app_label)s_%(class)s_known_outcome",
            ),
            models.CheckConstraint(
                condition=Q(scope_mask__gte=0) & Q(scope_mask__lte=Scope.ALL_MASK),
                name="%(app_label)s_%(class)s_scopes_known",
            ),
            # A served lookup always cites its authorization and the exporter, with a nonempty scope set.
            models.CheckConstraint(
                condition=~Q(outcome="served")
                | (Q(authorization__isnull=False) & Q(exporter__isnull=False) & Q(scope_mask__gte=1)),
                name="%(app_label)s_%(class)s_served_cites_authorization",
            ),
        ]

    @property
    def scopes(self) -> list[str]:
        return Scope.from_mask(self.scope_mask)

    @property
    def refused(self) -> bool:
        return self.outcome != self.Outcome.SERVED


class Penalty(models.Model):
    """An administrative penalty on an exporter (regulatory credit), recorded by the regulator or operator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exporter = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="penalties")
    imposed_by = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="penalties_imposed")
    decided_on = models.DateField()
    amount = models.DecimalField(null=True, **MONEY)
    currency = models.CharField(max_length=3, null=True)
    reason = models.CharField(max_length=500)
    reference = models.CharField(max_length=64)
    created_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        indexes = [models.Index(fields=["exporter", "decided_on"])]
        constraints = [
            models.UniqueConstraint(fields=["imposed_by", "reference"], name="%(app_label)s_%(class)s_unique_reference"),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) & Q(currency__isnull=True))
                | (Q(amount__gt=0) & Q(currency__isnull=False)),
                name="%(app_label)s_%(class)s_amount_with_currency",
            ),
        ]
