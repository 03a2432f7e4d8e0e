"""Submitting receivables against customs declarations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Window
from django.utils import timezone

from audit.services import audit_append
from common.errors import ApiError, BusinessConflict, violated_constraint
from common.prefetch import attach_prefetched
from common.fingerprints import keyed_fingerprint
from customs.adapter import customs_data_source
from customs.models import Declaration
from oversight.services import alert_raise
from receivables.models import Receivable, ReceivableAllocation


@dataclass(frozen=True)
class AllocationRequest:
    number: str
    amount: Decimal


def receivable_fingerprint(exporter_uscc: str, invoice_number: str) -> str:
    return keyed_fingerprint("receivable", exporter_uscc, invoice_number)


def receivable_match_fingerprint(buyer_name: str, currency: str, amount: Decimal, due_date: date) -> str:
    return keyed_fingerprint("receivable-match", buyer_name, currency, format(amount.normalize(), "f"), due_date.isoformat())


def _field_error(field: str, message: str, code: str = "invalid") -> ApiError:
    return ApiError(code, message, status_code=400, details={field: [message]})


def _duplicate(invoice_number: str) -> BusinessConflict:
    return BusinessConflict("duplicate_receivable", "This invoice is already submitted as a receivable.",
                            details={"invoice_number": invoice_number})


def _refusal(error: ApiError, *, exporter, invoice_number: str) -> ApiError:
    """What to refuse a submission with once its declarations are refused: `duplicate_receivable` if
    the invoice is already a receivable (the usual cause when a resubmission finds its declarations
    used up, by its own first submission), else the declarations' error. Read on refusal paths only:
    an accepted submission is decided by the unique constraint at its insert."""
    if Receivable.objects.filter(exporter=exporter, invoice_number=invoice_number).exists():
        return _duplicate(invoice_number)
    return error


def submitted_event_data(receivable: Receivable, declarations: list[AllocationRequest]) -> dict:
    """What the `receivable.submitted` audit event records of a new receivable."""
    return {
        "invoice_number": receivable.invoice_number,
        "currency": receivable.currency,
        "amount": receivable.amount,
        "due_date": receivable.due_date,
        "fingerprint": receivable.fingerprint,
        "declarations": [{"number": r.number, "amount": r.amount} for r in declarations],
        "suspected_duplicate_of": receivable.suspected_duplicate_of,
    }


# How many earlier receivables with the same buyer, amount and due date a submission names (the
# newest); the alert counts them all.
DUPLICATES_NAMED = 20


def receivable_submit(
    *,
    exporter_user,
    invoice_number: str,
    buyer_name: str,
    buyer_country: str,
    currency: str,
    amount: Decimal,
    issue_date: date,
    due_date: date,
    declarations: list[AllocationRequest],
) -> Receivable:
    exporter = exporter_user.organization
    if due_date <= issue_date:
        raise _field_error("due_date", "The due date must be after the issue date.")
    numbers = [d.number for d in declarations]
    if len(set(numbers)) != len(numbers):
        raise _field_error("declarations", "A declaration may appear only once.")
    if sum((d.amount for d in declarations), Decimal(0)) != amount:
        raise _field_error("declarations", "The declaration amounts must add up to the receivable amount.")

    # The declaration check, through the customs adapter.
    records = customs_data_source().lookup(numbers)
    check_items = []
    for index, request in enumerate(declarations):
        record = records.get(request.number)
        if record is None or record.exporter_uscc != exporter.uscc:
            # Another exporter's declaration is reported exactly like a missing one.
            raise _refusal(ApiError("unknown_declaration", f"Declaration {request.number} is not one of your customs declarations.",
                                    status_code=400, details={f"declarations[{index}].number": ["Unknown declaration."]}),
                           exporter=exporter, invoice_number=invoice_number)
        if record.currency != currency:
            raise _refusal(ApiError("currency_mismatch", f"Declaration {request.number} is in {record.currency}, not {currency}.",
                                    status_code=400, details={f"declarations[{index}].number": [f"Declared in {record.currency}."]}),
                           exporter=exporter, invoice_number=invoice_number)
        check_items.append({"number": record.number, "exporter_match": True, "currency_match": True,
                            "export_date": record.export_date.isoformat(), "fob_value": format(record.fob_value, "f"),
                            "destination_country": record.destination_country})

    fingerprint = receivable_fingerprint(exporter.uscc, invoice_number)
    match = receivable_match_fingerprint(buyer_name, currency, amount, due_date)
    try:
        with transaction.atomic():
            locked = list(
                Declaration.objects.select_for_update().filter(number__in=numbers).order_by("pk")
            )
            by_number = {d.number: d for d in locked}
            for index, request in enumerate(declarations):
                declaration = by_number[request.number]
                room = declaration.fob_value - declaration.allocated_amount
                if request.amount > room:
                    raise _refusal(BusinessConflict(
                        "declaration_value_exceeded",
                        f"Declaration {request.number} can back only {room} {currency} more.",
                        details={f"declarations[{index}].amount": [f"At most {room} remains on this declaration."],
                                 "number": request.number, "remaining": format(room, "f")},
                    ), exporter=exporter, invoice_number=invoice_number)
            for item, request in zip(check_items, declarations):
                item["allocated_before"] = format(by_number[request.number].allocated_amount, "f")
                item["allocated"] = format(request.amount, "f")
            # The newest matches are named (at most DUPLICATES_NAMED), all are counted, in one query:
            # an exporter with hundreds of identical invoices does not pay for each in every submission.
            matches = list(
                Receivable.objects.filter(match_fingerprint=match).exclude(invoice_number=invoice_number)
                .annotate(total=Window(Count("id"))).order_by("-created_at", "-id")
                .values_list("pk", "total")[:DUPLICATES_NAMED]
            )
            duplicates = [pk for pk, _ in matches]
            duplicate_count = matches[0][1] if matches else 0
            # A second submission of the invoice is refused by the unique constraint (below), not by a
            # check before: the constraint decides races anyway, and a read first cost every submission.
            # (A refused one is checked for it first: `_refusal`.)
            receivable = Receivable.objects.create(
                exporter=exporter,
                invoice_number=invoice_number,
                buyer_name=buyer_name,
                buyer_country=buyer_country,
                currency=currency,
                amount=amount,
                issue_date=issue_date,
                due_date=due_date,
                fingerprint=fingerprint,
                match_fingerprint=match,
                declaration_check={"status": "passed", "source": "customs", "checked_at": timezone.now().isoformat(),
                                   "declarations": check_items},
                suspected_duplicate_of=[str(pk) for pk in duplicates],
                created_by=exporter_user,
            )
            allocations = []
            for request in declarations:
                declaration = by_number[request.number]
                allocations.append(ReceivableAllocation.objects.create(receivable=receivable, declaration=declaration,
                                                                       amount=request.amount))
                Declaration.objects.filter(pk=declaration.pk).update(allocated_amount=F("allocated_amount") + request.amount)
            # The response shows these rows: no second read of them.
            attach_prefetched(receivable, "allocations", allocations)
            if duplicates:
                alert_raise(
                    kind="suspected_duplicate_receivable",
                    severity="medium",
                    message=f"Receivable {invoice_number} has the same buyer, amount and due date as {duplicate_count} other receivable(s).",
                    subject_type="receivable",
                    subject_id=receivable.pk,
                    visible_to=[],
                    data={"receivable": str(receivable.pk), "matches": [str(pk) for pk in duplicates],
                          "match_count": duplicate_count},
                )
            audit_append(event_type="receivable.submitted", actor=exporter_user, object_type="receivable",
                         object_id=receivable.pk, data=submitted_event_data(receivable, declarations),
                         visible_to=[exporter.pk])
    except IntegrityError as exc:
        if violated_constraint(exc) not in ("receivables_receivable_unique_invoice", "receivables_receivable_unique_fingerprint"):
            raise _refusal(BusinessConflict("declaration_value_exceeded", "A declaration cannot back more than its FOB value."),
                           exporter=exporter, invoice_number=invoice_number) from exc
        # A concurrent submission of the same invoice won the unique constraint.
        raise _duplicate(invoice_number) from exc
    return receivable
