import uuid

from django.db import models
from django.db.models import F, Q

MONEY = {"max_digits": 20, "decimal_places": 4}


class Financing(models.Model):
    """A bank's advance against a receivable.

    applied → approved → disbursed → partially_repaid → repaid; or rejected,
    withdrawn, overdue → written_off. States never go backwards.
    """

    class Status(models.TextChoices):
        APPLIED = "applied"
        APPROVED = "approved"
        REJECTED = "rejected"
        WITHDRAWN = "withdrawn"
        DISBURSED = "disbursed"
        PARTIALLY_REPAID = "partially_repaid"
        REPAID = "repaid"
        OVERDUE = "overdue"
        WRITTEN_OFF = "written_off"

    OPEN_FOR_REPAYMENT = (Status.DISBURSED, Status.PARTIALLY_REPAID, Status.OVERDUE)
    HOLDING_RESERVATION = (Status.APPROVED, Status.DISBURSED, Status.PARTIALLY_REPAID, Status.OVERDUE)
    CLOSED = (Status.REJECTED, Status.WITHDRAWN, Status.REPAID, Status.WRITTEN_OFF)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receivable = models.ForeignKey("receivables.Receivable", on_delete=models.PROTECT, related_name="financings")
    exporter = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="financings_applied")
    bank = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="financings_received")
    currency = models.CharField(max_length=3)
    requested_amount = models.DecimalField(**MONEY)
    approved_amount = models.DecimalField(null=True, **MONEY)
    repaid_amount = models.DecimalField(default=0, **MONEY)
    interest_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    tenor_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True)
    reject_reason = models.CharField(max_length=500, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True)
    disbursed_at = models.DateTimeField(null=True)
    due_date = models.DateField(null=True)
    closed_at = models.DateTimeField(null=True)
    # The value date of the latest receipt that repaid part of it (the credit profile's on-time test,
    # read over thousands of financings per lookup: kept here rather than found per row).
    last_repaid_on = models.DateField(null=True)
    # The latest chain write about this financing, and the one that recorded it on chain.
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    record_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    created_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-applied_at"]
        indexes = [
            models.Index(fields=["bank", "status"]), models.Index(fields=["exporter", "status"]),
            # The lists, newest first, for the regulator, a bank and an exporter: without them each page
            # sorted every visible financing (168 ms a page at 100,000; 32 ms with them).
            models.Index(fields=["applied_at"], name="financing_applied_at"),
            models.Index(fields=["bank", "applied_at"], name="financing_bank_applied_at"),
            models.Index(fields=["exporter", "applied_at"], name="financing_exporter_applied_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="%(app_label)s_%(class)s_requested_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | (Q(approved_amount__gt=0) & Q(approved_amount__lte=F("requested_amount"))),
                name="%(app_label)s_%(class)s_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(repaid_amount__gte=0) & (Q(repaid_amount=0) | Q(repaid_amount__lte=F("approved_amount"))),
                name="%(app_label)s_%(class)s_repaid_within_approved",
            ),
            models.CheckConstraint(condition=Q(tenor_days__gte=1) & Q(tenor_days__lte=720),
                                   name="%(app_label)s_%(class)s_tenor_range"),
            models.CheckConstraint(condition=~Q(bank=F("exporter")), name="%(app_label)s_%(class)s_bank_not_exporter"),
        ]

    @property
    def outstanding_amount(self):
        if self.status not in self.OPEN_FOR_REPAYMENT:
            return 0
        return (self.approved_amount or 0) - self.repaid_amount


class Reservation(models.Model):
    """The part of one declaration an approved financing holds until it closes."""

    id = models.BigAutoField(primary_key=True)
    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="reservations")
    declaration = models.ForeignKey("customs.Declaration", on_delete=models.PROTECT, related_name="reservations")
    amount = models.DecimalField(**MONEY)
    released_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["financing", "declaration"], name="%(app_label)s_%(class)s_unique_pair"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
        ]


class FxReceipt(models.Model):
    """Export proceeds received in foreign currency (收汇), recorded by a bank."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receivable = models.ForeignKey("receivables.Receivable", on_delete=models.PROTECT, related_name="fx_receipts")
    bank = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="fx_receipts")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    value_date = models.DateField()
    payer_name = models.CharField(max_length=200)
    reference = models.CharField(max_length=64)
    applied_amount = models.DecimalField(**MONEY)
    surplus_amount = models.DecimalField(**MONEY)
    # The earliest export date among the declarations behind the receivable, for the credit profile's
    # days from export to receipt. Kept by the database (migration 0005): set on insert, and again when
    # the receivable's allocations or a declaration's export date change. Whatever is written is ignored.
    first_export_date = models.DateField(null=True, editable=False)
    created_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "reference"], name="%(app_label)s_%(class)s_unique_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
            models.CheckConstraint(
                condition=Q(applied_amount__gte=0) & Q(surplus_amount__gte=0) & Q(amount=F("applied_amount") + F("surplus_amount")),
                name="%(app_label)s_%(class)s_split_adds_up",
            ),
        ]


class Repayment(models.Model):
    """Ledger: the part of a receipt applied to one financing."""

    id = models.BigAutoField(primary_key=True)
    receipt = models.ForeignKey(FxReceipt, on_delete=models.PROTECT, related_name="repayments")
    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(**MONEY)
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive")]


class BlockedAttempt(models.Model):
    """An approval refused because the balance was short: a double-financing attempt the platform stopped."""

    id = models.BigAutoField(primary_key=True)
    financing = models.ForeignKey(Financing, on_delete=models.PROTECT, related_name="blocked_attempts")
    bank = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    requested_amount = models.DecimalField(**MONEY)
    available_amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)


class FinancingTally(models.Model):
    """How many financings, and how much, per exporter, day applied for (UTC), currency, status and
    repaid on time: what the credit profile's financing history sums, without reading every financing.

    Written only by the database: a trigger on the financing table appends +1 (the new values) and -1
    (the old values) for every financing inserted, changed in what is tallied, or deleted, whichever
    code path wrote it. Appends take no lock, so tallies never serialize writes; `FINANCING_TALLY.fold`
    (periodic) folds each day's rows into one per group. Readers sum the rows: folded or not, the sums
    are the same. See financing/tallies.py.
    """

    exporter_id = models.UUIDField()
    applied_on = models.DateField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20)
    on_time = models.BooleanField(null=True)  # last_repaid_on <= due_date; null while either is unknown
    n = models.IntegerField()
    approved = models.DecimalField(**MONEY)
    repaid = models.DecimalField(**MONEY)
    folded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["exporter_id", "applied_on"]),
            models.Index(fields=["exporter_id", "applied_on"], condition=Q(folded=False), name="financing_tally_unfolded"),
        ]


class ReceiptTally(models.Model):
    """How many FX receipts, how much, and how many days after export, per exporter, value date and
    currency: what the credit profile's FX receipts sum, without reading every receipt.

    Written only by the database: triggers on the receipt table append +1 (the new values) and -1 (the
    old values) for every receipt inserted, changed in what is tallied (its first export date
    included), or deleted; `RECEIPT_TALLY.fold` (periodic) folds each day's rows into one per
    currency. Readers sum the rows: folded or not, the sums are the same. See financing/tallies.py.
    """

    exporter_id = models.UUIDField()
    value_date = models.DateField()
    currency = models.CharField(max_length=3)
    n = models.IntegerField()
    amount = models.DecimalField(**MONEY)
    days = models.BigIntegerField()  # sum of value_date - first_export_date over the receipts that have one
    dated = models.IntegerField()  # how many receipts have a first export date
    folded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["exporter_id", "value_date"]),
            models.Index(fields=["exporter_id", "value_date"], condition=Q(folded=False), name="financing_receipt_unfolded"),
        ]
