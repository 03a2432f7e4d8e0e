"""Audit tasks: close and anchor batches of the audit log, and check the log against the chain."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="audit.anchor_batches", acks_late=True, ignore_result=True)
def anchor_batches() -> int:
    """Close every batch that is due; each one's anchor goes out through the chain outbox."""
    from audit.services import audit_batches_close

    return len(audit_batches_close())


@shared_task(name="audit.verify_log", acks_late=True, ignore_result=True)
def verify_log() -> dict:
    """The platform's full check; a bad seq raises an alert for the regulator."""
    from audit.verification import audit_log_verify
    from oversight.services import alert_raise

    result = audit_log_verify()
    if result["first_bad_seq"] is not None:
        alert_raise(
            kind="audit_verification_failed",
            severity="high",
            message=f"The audit log does not match the chain from seq {result['first_bad_seq']}: {result['message']}",
            subject_type="audit_event",
            subject_id=result["first_bad_seq"],
            data={"reason": result["reason"], "first_bad_seq": result["first_bad_seq"]},
            dedupe_key=f"audit_verification_failed:{result['first_bad_seq']}:{result['reason']}",
        )
    return {k: result[k] for k in ("ok", "first_bad_seq", "reason", "verified_through_seq")}


BEAT_SCHEDULE = {
    # Batches close at AUDIT_BATCH_MAX_EVENTS or after AUDIT_BATCH_MAX_SECONDS; checking every second
    # keeps the wait close to the setting.
    "audit-anchor-batches": {"task": "audit.anchor_batches", "schedule": 1.0},
    "audit-verify-log": {"task": "audit.verify_log", "schedule": 900.0},
}
