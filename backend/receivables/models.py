import uuid

from django.db import models
from django.db.models import F, Q

MONEY = {"max_digits": 20, "decimal_places": 4}


class Receivable(models.Model):
    """An exporter's unpaid invoice, backed by amounts allocated from its customs declarations."""

    class Status(models.TextChoices):
        OPEN = "open"
        SETTLED = "settled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exporter = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="receivables")
    invoice_number = models.CharField(max_length=64)
    buyer_name = models.CharField(max_length=200)
    buyer_country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(**MONEY)
    issue_date = models.DateField()
    due_date = models.DateField()
    # Held by approved, not yet closed financings; never above the amount.
    financed_amount = models.DecimalField(default=0, **MONEY)
    # FX receipts recorded against it, and what of them went back to the exporter.
    received_amount = models.DecimalField(default=0, **MONEY)
    surplus_amount = models.DecimalField(default=0, **MONEY)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # HMAC of the exporter and invoice number, and of buyer + amount + due date (suspected duplicates).
    fingerprint = models.CharField(max_length=66)
    match_fingerprint = models.CharField(max_length=66, db_index=True)
    declaration_check = models.JSONField(default=dict)
    suspected_duplicate_of = models.JSONField(default=list)
    created_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["exporter", "invoice_number"], name="%(app_label)s_%(class)s_unique_invoice"),
            models.UniqueConstraint(fields=["fingerprint"], name="%(app_label)s_%(class)s_unique_fingerprint"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
            models.CheckConstraint(condition=Q(due_date__gt=F("issue_date")), name="%(app_label)s_%(class)s_due_after_issue"),
            models.CheckConstraint(
                condition=Q(financed_amount__gte=0) & Q(financed_amount__lte=F("amount")),
                name="%(app_label)s_%(class)s_financed_within_amount",
            ),
            models.CheckConstraint(condition=Q(received_amount__gte=0) & Q(surplus_amount__gte=0),
                                   name="%(app_label)s_%(class)s_receipts_not_negative"),
        ]

    @property
    def available_amount(self):
        return self.amount - self.financed_amount


class ReceivableAllocation(models.Model):
    """How much of one declaration backs one receivable."""

    id = models.BigAutoField(primary_key=True)
    receivable = models.ForeignKey(Receivable, on_delete=models.CASCADE, related_name="allocations")
    declaration = models.ForeignKey("customs.Declaration", on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["receivable", "declaration"], name="%(app_label)s_%(class)s_unique_pair"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
        ]
