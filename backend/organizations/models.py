import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Organization(models.Model):
    class Kind(models.TextChoices):
        EXPORTER = "exporter"
        BANK = "bank"
        REGULATOR = "regulator"
        OPERATOR = "operator"

    class SafeClassification(models.TextChoices):
        A = "A"
        B = "B"
        C = "C"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    uscc = models.CharField(max_length=18, unique=True, null=True, blank=True)
    bic = models.CharField(max_length=11, unique=True, null=True, blank=True)
    safe_classification = models.CharField(max_length=1, choices=SafeClassification.choices, null=True, blank=True)
    country = models.CharField(max_length=2, default="CN")
    # Banks: days after the due date before a financing counts as overdue.
    grace_days = models.PositiveSmallIntegerField(default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="exporter") | (Q(uscc__isnull=False) & Q(safe_classification__isnull=False)),
                name="%(app_label)s_%(class)s_exporter_has_uscc",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bank") | Q(bic__isnull=False),
                name="%(app_label)s_%(class)s_bank_has_bic",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["exporter", "bank", "regulator", "operator"]),
                name="%(app_label)s_%(class)s_known_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="users", null=True)

    @property
    def role(self) -> str | None:
        return self.organization.kind if self.organization_id else None


class OrganizationChainRecord(models.Model):
    """The latest chain write that registered an organization's account in the member registry."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, primary_key=True, related_name="chain_record")
    chain_tx = models.ForeignKey("chain.ChainTransaction", on_delete=models.PROTECT, related_name="+")
