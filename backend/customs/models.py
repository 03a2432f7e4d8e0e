import uuid

from django.db import models
from django.db.models import F, Q

MONEY = {"max_digits": 20, "decimal_places": 4}


class Declaration(models.Model):
    """An export customs declaration (报关单) as fed from customs data.

    `allocated_amount` is what receivables have claimed of it; `financed_amount`
    is what approved, not yet closed financings hold. Both stay within the FOB
    value because the database refuses anything else.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=18, unique=True)
    exporter = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="declarations")
    export_date = models.DateField()
    currency = models.CharField(max_length=3)
    fob_value = models.DecimalField(**MONEY)
    destination_country = models.CharField(max_length=2)
    consignee = models.CharField(max_length=200)
    allocated_amount = models.DecimalField(default=0, **MONEY)
    financed_amount = models.DecimalField(default=0, **MONEY)
    fingerprint = models.CharField(max_length=66, unique=True)
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, null=True, related_name="+")
    source = models.CharField(max_length=20, default="api")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-export_date", "number"]
        indexes = [models.Index(fields=["exporter", "export_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(fob_value__gt=0), name="%(app_label)s_%(class)s_fob_positive"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0) & Q(allocated_amount__lte=F("fob_value")),
                name="%(app_label)s_%(class)s_allocated_within_fob",
            ),
            models.CheckConstraint(
                condition=Q(financed_amount__gte=0) & Q(financed_amount__lte=F("fob_value")),
                name="%(app_label)s_%(class)s_financed_within_fob",
            ),
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{18}$"), name="%(app_label)s_%(class)s_number_18_digits"),
        ]

    @property
    def available_amount(self):
        return self.fob_value - self.financed_amount


class DeclarationTally(models.Model):
    """How many declarations, and how much FOB value, per exporter, export date and currency: what the
    credit profile's declarations by month sum, without reading every declaration.

    Written only by the database: triggers on the declaration table append +1 (the new values) and -1
    (the old values) for every declaration inserted, changed in what is tallied, or deleted, whichever
    code path wrote it; `DECLARATION_TALLY.fold` (periodic) folds each day's rows into one per
    currency. Readers sum the rows: folded or not, the sums are the same. See common/tallies.py.
    """

    exporter_id = models.UUIDField()
    export_date = models.DateField()
    currency = models.CharField(max_length=3)
    n = models.IntegerField()
    fob_value = models.DecimalField(**MONEY)
    folded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["exporter_id", "export_date"]),
            models.Index(fields=["exporter_id", "export_date"], condition=Q(folded=False), name="customs_tally_unfolded"),
        ]
