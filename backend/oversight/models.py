import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models


class Alert(models.Model):
    """Something the regulator (and the parties named in `visible_to`) should look at."""

    class Severity(models.TextChoices):
        LOW = "low"
        MEDIUM = "medium"
        HIGH = "high"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60, db_index=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    message = models.CharField(max_length=500)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=80, blank=True)
    visible_to = ArrayField(models.UUIDField(), default=list)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True)
    acknowledged_by = models.ForeignKey("organizations.User", on_delete=models.PROTECT, null=True, related_name="+")
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    # Set for conditions that are raised again and again (a sweep): one open alert per key.
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key="") & models.Q(acknowledged_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True) | models.Q(acknowledged_by__isnull=False),
                name="%(app_label)s_%(class)s_acknowledged_by_someone",
            ),
        ]
