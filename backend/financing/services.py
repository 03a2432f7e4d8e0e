"""The financing lifecycle and FX receipts.

Lock order everywhere: financing rows (by pk), then the receivable, then its
declarations (by pk). Balances move only with F() updates under those locks,
and the database's CHECK constraints refuse anything over a FOB value or a
receivable amount even if this code were wrong.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_append
from chain.models import ChainTransaction
from chain.services import chain_call_enqueue, replay_takes_over, uuid_to_bytes32
from common.errors import ApiError, BusinessConflict, NotFound, violated_constraint
from common.fields import check_money_scale, format_money
from common.money import to_minor_units
from common.prefetch import attach_prefetched
from customs.models import Declaration
from financing.models import BlockedAttempt, Financing, FxReceipt, Repayment, Reservation
from organizations.models import Organization
from organizations.services import member_registration_tx_id
from oversight.models import Alert
from oversight.services import alert_raise
from receivables.models import Receivable, ReceivableAllocation

S = Financing.Status

# Allowed moves; anything else is refused, so states never go backwards.
TRANSITIONS: dict[str, set[str]] = {
    S.APPLIED: {S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: {S.DISBURSED, S.WITHDRAWN},
    S.DISBURSED: {S.PARTIALLY_REPAID, S.REPAID, S.OVERDUE},
    S.PARTIALLY_REPAID: {S.REPAID, S.OVERDUE},
    S.OVERDUE: {S.REPAID, S.WRITTEN_OFF},
}

CLOSE_REPAID, CLOSE_WITHDRAWN, CLOSE_WRITTEN_OFF = 1, 2, 3


def _transition(financing: Financing, to: str) -> None:
    if to not in TRANSITIONS.get(financing.status, set()):
        raise BusinessConflict(
            "invalid_state_transition",
            f"A financing that is {financing.status} cannot become {to}.",
            details={"status": financing.status, "requested": to},
        )
    financing.status = to


def _lock_financing(financing_id, *, for_approval: bool = False, **party) -> Financing:
    """The financing, locked (of=self: the joined organizations are read, not locked; locking them
    serialized every transition of one bank, and of one exporter, behind each other). An approval
    also locks the receivable in the same statement (the financing's row first, as every path takes
    them) and reads which registration entry of the bank its chain record depends on.

    `party` (`bank_id=` or `exporter_id=`, the acting organization) makes this read the visibility
    check too: anyone else's financing, no financing, or an id that is not a UUID is 404 (`NotFound`),
    as the views' get_object() would answer. The views do not read it first.
    """
    if for_approval:
        rows = (Financing.objects.select_for_update(of=("self", "receivable"))
                .select_related("bank__chain_account", "bank__chain_record", "exporter", "receivable"))
    else:
        rows = Financing.objects.select_for_update(of=("self",)).select_related("bank__chain_account", "exporter")
    try:
        return rows.get(pk=financing_id, **party)
    except (Financing.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound() from None


def _visible(financing: Financing) -> list:
    return [financing.exporter_id, financing.bank_id]


def _money(value: Decimal, currency: str) -> str:
    return format_money(value, currency)


def _check_scale(amount: Decimal, currency: str) -> None:
    """More decimals than the currency has (30 would reach the chain as a fraction of a cent): 400."""
    problem = check_money_scale(amount, currency)
    if problem:
        raise ApiError("invalid", problem, status_code=400, details={"amount": [problem]})


# --- apply ---------------------------------------------------------------------------------------

def financing_apply(*, exporter_user, receivable: Receivable, bank: Organization, amount: Decimal, tenor_days: int) -> Financing:
    if bank.kind != Organization.Kind.BANK:
        raise ApiError("invalid", "This organization is not a bank.", status_code=400, details={"bank": ["Not a bank."]})
    if receivable.status == Receivable.Status.SETTLED:
        raise BusinessConflict("receivable_settled", "This receivable is already settled.")
    _check_scale(amount, receivable.currency)
    if amount > receivable.amount:
        raise ApiError("invalid", "The amount exceeds the receivable.", status_code=400,
                       details={"amount": [f"At most {receivable.amount} {receivable.currency}."]})
    with transaction.atomic():
        Receivable.objects.select_for_update().get(pk=receivable.pk)
        if Financing.objects.filter(receivable=receivable, bank=bank).exclude(status__in=Financing.CLOSED).exists():
            raise BusinessConflict("application_exists", "There is already an open application to this bank for this receivable.")
        financing = Financing.objects.create(
            receivable=receivable,
            exporter=receivable.exporter,
            bank=bank,
            currency=receivable.currency,
            requested_amount=amount,
            tenor_days=tenor_days,
            created_by=exporter_user,
        )
        if receivable.suspected_duplicate_of:
            # The bank must see the warning that concerns what it is asked to finance.
            for alert in Alert.objects.filter(kind="suspected_duplicate_receivable", subject_id=str(receivable.pk)):
                if bank.pk not in alert.visible_to:
                    alert.visible_to = [*alert.visible_to, bank.pk]
                    alert.save(update_fields=["visible_to"])
        audit_append(
            event_type="financing.applied", actor=exporter_user, object_type="financing", object_id=financing.pk,
            data={"receivable": receivable.pk, "bank": bank.pk, "currency": receivable.currency,
                  "amount": amount, "tenor_days": tenor_days},
            visible_to=_visible(financing),
        )
    return financing


# --- approve -------------------------------------------------------------------------------------

class _Shortage(Exception):
    def __init__(self, available: Decimal):
        self.available = available


def financing_approve(*, bank_user, financing_id, amount: Decimal | None, interest_rate: Decimal) -> Financing:
    """The addressed bank approves `amount` (default: all requested) of the financing `financing_id`.

    The financing is read once, locked, as this bank's (404 otherwise), and returned with its
    parties, receivable, reservations and chain entry loaded for the response.
    """
    try:
        with transaction.atomic():
            financing = _lock_financing(financing_id, for_approval=True, bank_id=bank_user.organization_id)
            if amount is not None:
                _check_scale(amount, financing.currency)
            _transition(financing, S.APPROVED)
            amount = financing.requested_amount if amount is None else amount
            if amount > financing.requested_amount:
                raise ApiError("invalid", "The approved amount exceeds the requested amount.", status_code=400,
                               details={"amount": [f"At most {financing.requested_amount}."]})
            receivable = financing.receivable  # locked with the financing
            available = receivable.amount - receivable.financed_amount
            if amount > available:
                raise _Shortage(available)
            reservations = _reserve(financing, receivable, amount)
            Receivable.objects.filter(pk=receivable.pk).update(financed_amount=F("financed_amount") + amount)
            financing.approved_amount = amount
            financing.interest_rate = interest_rate
            financing.approved_at = timezone.now()
            financing.record_tx = financing.chain_tx = _enqueue_record(financing, reservations)
            financing.save(update_fields=["status", "approved_amount", "interest_rate", "approved_at", "record_tx", "chain_tx"])
            # The response shows these reservations: no re-read.
            attach_prefetched(financing, "reservations", reservations)
            audit_append(
                event_type="financing.approved", actor=bank_user, object_type="financing", object_id=financing.pk,
                data={"amount": amount, "currency": financing.currency, "interest_rate": interest_rate,
                      "reservations": [{"declaration": r.declaration.number, "amount": r.amount} for r in reservations]},
                visible_to=_visible(financing),
            )
    except _Shortage as shortage:
        _record_blocked_attempt(bank_user, financing, amount, shortage.available)
        raise BusinessConflict(
            "insufficient_available_balance",
            "The receivable's remaining balance is too small: another bank has financed it.",
            details={"requested": _money(amount, financing.currency), "available": _money(shortage.available, financing.currency), "currency": financing.currency},
        ) from None
    except IntegrityError as exc:
        # The constraints caught what the locks should have prevented: refuse, never over-finance.
        _record_blocked_attempt(bank_user, financing, amount or financing.requested_amount, Decimal(0))
        raise BusinessConflict("insufficient_available_balance", "The declarations' remaining balance is too small.",
                               details={"constraint": violated_constraint(exc)}) from exc
    return financing


# The allocations of one receivable, their declarations locked (in id order, as every path locks
# them), and what this receivable's open financings already hold on each declaration. Written by
# hand and read through `Declaration.objects.raw()`: the ORM spelling (select_related, a Subquery
# annotation, select_for_update(of=...)) spent ~3.5 ms of Python compiling it on every approval,
# more than the rest of the approval's statements together (py-spy, benchmark data).
_RESERVE_SQL = """
SELECT declaration.*, allocation.id AS allocation_id, allocation.amount AS allocation_amount,
       COALESCE((SELECT sum(reservation.amount)
                   FROM {reservation} reservation JOIN {financing} financing ON financing.id = reservation.financing_id
                  WHERE financing.receivable_id = allocation.receivable_id
                    AND reservation.declaration_id = allocation.declaration_id
                    AND reservation.released_at IS NULL), 0) AS held
  FROM {allocation} allocation JOIN {declaration} declaration ON declaration.id = allocation.declaration_id
 WHERE allocation.receivable_id = %s
 ORDER BY declaration.id
   FOR UPDATE OF declaration
""".format(reservation=Reservation._meta.db_table, financing=Financing._meta.db_table,
           allocation=ReceivableAllocation._meta.db_table, declaration=Declaration._meta.db_table)


def _reserve(financing: Financing, receivable: Receivable, amount: Decimal) -> list[Reservation]:
    """Reserve `amount` on the receivable's declarations, drawn in the order the exporter listed them.

    One statement reads the allocations, locks their declarations and sums what this receivable's
    open financings already hold on each (`_RESERVE_SQL`). The caller holds the receivable's lock,
    taken in an earlier statement: every reservation on this receivable was made under that lock,
    so this statement's snapshot sees them all; the declarations' own amounts are read as locked
    (their latest version), whoever else changed them.
    """
    declarations = sorted(Declaration.objects.raw(_RESERVE_SQL, [receivable.pk]), key=lambda d: d.allocation_id)
    remaining = amount
    reservations = []
    for declaration in declarations:
        if remaining <= 0:
            break
        room = min(declaration.allocation_amount - declaration.held, declaration.fob_value - declaration.financed_amount)
        take = min(room, remaining)
        if take <= 0:
            continue
        Declaration.objects.filter(pk=declaration.pk).update(financed_amount=F("financed_amount") + take)
        reservations.append(Reservation.objects.create(financing=financing, declaration=declaration, amount=take))
        remaining -= take
    if remaining > 0:
        raise _Shortage(amount - remaining)
    return reservations


def _record_blocked_attempt(bank_user, financing: Financing, amount: Decimal, available: Decimal) -> None:
    with transaction.atomic():
        BlockedAttempt.objects.create(financing=financing, bank=financing.bank, requested_amount=amount,
                                      available_amount=available, currency=financing.currency)
        alert_raise(
            kind="double_financing_blocked", severity="high",
            message=f"An approval of {amount} {financing.currency} was refused: only {available} remained on the receivable.",
            subject_type="financing", subject_id=financing.pk, visible_to=[financing.bank_id],
            data={"receivable": str(financing.receivable_id), "requested": _money(amount, financing.currency), "available": _money(available, financing.currency)},
        )
        audit_append(
            event_type="financing.approval_blocked", actor=bank_user, object_type="financing", object_id=financing.pk,
            data={"requested": amount, "available": available, "currency": financing.currency},
            visible_to=_visible(financing),
        )


# --- chain writes --------------------------------------------------------------------------------

def _bank_signer(financing: Financing):
    return financing.bank.chain_account


def _enqueue_record(financing: Financing, reservations: list[Reservation], *, replaces=None) -> ChainTransaction:
    deps = [member_registration_tx_id(financing.bank), *(r.declaration.chain_tx_id for r in reservations)]
    return chain_call_enqueue(
        signer=_bank_signer(financing), contract="FinancingRegistry", function="recordFinancing",
        args=[uuid_to_bytes32(financing.pk), [r.declaration.fingerprint for r in reservations],
              [to_minor_units(r.amount, financing.currency) for r in reservations]],
        subject_type="financing", subject_id=financing.pk, depends_on=deps, replaces=replaces,
    )


def _enqueue(financing: Financing, function: str, args: list, *, replaces=None) -> ChainTransaction:
    return chain_call_enqueue(
        signer=_bank_signer(financing), contract="FinancingRegistry", function=function,
        args=[uuid_to_bytes32(financing.pk), *args], subject_type="financing", subject_id=financing.pk,
        depends_on=[financing.record_tx_id, financing.chain_tx_id], replaces=replaces,  # ids: no reads
    )


def _latest_call(financing: Financing, function: str) -> ChainTransaction | None:
    return (ChainTransaction.objects.filter(subject_type="financing", subject_id=str(financing.pk), function=function)
            .order_by("-created_at", "-id").first())


def _replay_step(financing: Financing, function: str, args: list, previous: ChainTransaction | None) -> ChainTransaction:
    """One step of a financing's history on the new chain, unless it is already signed there."""
    if previous is not None and not replay_takes_over(previous):
        return previous
    return _enqueue(financing, function, args, replaces=previous)


def _release(financing: Financing, reason: int) -> None:
    """Give back what the financing held on its receivable and declarations, and close it on chain."""
    reservations = list(Reservation.objects.select_for_update().filter(financing=financing, released_at__isnull=True)
                        .order_by("declaration_id"))
    Receivable.objects.select_for_update().filter(pk=financing.receivable_id).update(
        financed_amount=F("financed_amount") - financing.approved_amount
    )
    for reservation in reservations:
        Declaration.objects.filter(pk=reservation.declaration_id).update(financed_amount=F("financed_amount") - reservation.amount)
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(released_at=timezone.now())
    financing.closed_at = timezone.now()
    financing.chain_tx = _enqueue(financing, "closeFinancing", [reason])


# --- reject, disburse, withdraw, write off --------------------------------------------------------

def financing_reject(*, bank_user, financing_id, reason: str) -> Financing:
    with transaction.atomic():
        financing = _lock_financing(financing_id, bank_id=bank_user.organization_id)
        _transition(financing, S.REJECTED)
        financing.reject_reason = reason
        financing.closed_at = timezone.now()
        financing.save(update_fields=["status", "reject_reason", "closed_at"])
        audit_append(event_type="financing.rejected", actor=bank_user, object_type="financing", object_id=financing.pk,
                     data={"reason": reason}, visible_to=_visible(financing))
    return financing


def financing_disburse(*, bank_user, financing_id) -> Financing:
    with transaction.atomic():
        financing = _lock_financing(financing_id, bank_id=bank_user.organization_id)
        _transition(financing, S.DISBURSED)
        financing.disbursed_at = timezone.now()
        financing.due_date = timezone.localdate() + timedelta(days=financing.tenor_days)
        financing.chain_tx = _enqueue(financing, "recordDisbursement", [])
        financing.save(update_fields=["status", "disbursed_at", "due_date", "chain_tx"])
        audit_append(event_type="financing.disbursed", actor=bank_user, object_type="financing", object_id=financing.pk,
                     data={"amount": financing.approved_amount, "currency": financing.currency, "due_date": financing.due_date},
                     visible_to=_visible(financing))
    return financing


def financing_withdraw(*, exporter_user, financing_id) -> Financing:
    with transaction.atomic():
        financing = _lock_financing(financing_id, exporter_id=exporter_user.organization_id)
        was_approved = financing.status == S.APPROVED
        _transition(financing, S.WITHDRAWN)
        if was_approved:
            _release(financing, CLOSE_WITHDRAWN)
        else:
            financing.closed_at = timezone.now()
        financing.save(update_fields=["status", "closed_at", "chain_tx"])
        audit_append(event_type="financing.withdrawn", actor=exporter_user, object_type="financing", object_id=financing.pk,
                     data={"released": was_approved}, visible_to=_visible(financing))
    return financing


def financing_write_off(*, bank_user, financing_id) -> Financing:
    with transaction.atomic():
        financing = _lock_financing(financing_id, bank_id=bank_user.organization_id)
        _transition(financing, S.WRITTEN_OFF)
        _release(financing, CLOSE_WRITTEN_OFF)
        financing.save(update_fields=["status", "closed_at", "chain_tx"])
        audit_append(event_type="financing.written_off", actor=bank_user, object_type="financing", object_id=financing.pk,
                     data={"outstanding": financing.approved_amount - financing.repaid_amount, "currency": financing.currency},
                     visible_to=_visible(financing))
    return financing


def financings_mark_overdue(*, today: date | None = None) -> int:
    """Disbursed financings past their due date plus the bank's grace days become overdue."""
    today = today or timezone.localdate()
    candidates = Financing.objects.filter(status__in=[S.DISBURSED, S.PARTIALLY_REPAID], due_date__isnull=False).select_related("bank")
    marked = 0
    for financing in candidates.iterator():
        if financing.due_date + timedelta(days=financing.bank.grace_days) >= today:
            continue
        with transaction.atomic():
            locked = _lock_financing(financing.pk)
            if locked.status not in (S.DISBURSED, S.PARTIALLY_REPAID):
                continue
            _transition(locked, S.OVERDUE)
            locked.save(update_fields=["status"])
            alert_raise(kind="financing_overdue", severity="high",
                        message=f"Financing of {locked.approved_amount - locked.repaid_amount} {locked.currency} is overdue since {locked.due_date}.",
                        subject_type="financing", subject_id=locked.pk, visible_to=_visible(locked),
                        data={"due_date": locked.due_date.isoformat(), "grace_days": locked.bank.grace_days})
            audit_append(event_type="financing.overdue", actor=None, object_type="financing", object_id=locked.pk,
                         data={"due_date": locked.due_date, "grace_days": locked.bank.grace_days,
                               "outstanding": locked.approved_amount - locked.repaid_amount},
                         visible_to=_visible(locked))
            marked += 1
    return marked


# --- FX receipts ---------------------------------------------------------------------------------

def fx_receipt_record(
    *, bank_user, receivable: Receivable, amount: Decimal, currency: str, value_date: date, payer_name: str, reference: str
) -> FxReceipt:
    bank = bank_user.organization
    if currency != receivable.currency:
        raise ApiError("currency_mismatch",
                       f"The receivable is in {receivable.currency}; receipts in {currency} need conversion, which is not supported.",
                       status_code=400, details={"currency": [f"Must be {receivable.currency}."]})
    if value_date > timezone.localdate():
        raise ApiError("invalid", "The value date is in the future.", status_code=400,
                       details={"value_date": ["May not be in the future."]})
    if FxReceipt.objects.filter(bank=bank, reference=reference).exists():
        raise BusinessConflict("duplicate_receipt", "A receipt with this reference was already recorded.", details={"reference": reference})
    try:
        with transaction.atomic():
            owed = list(
                Financing.objects.select_for_update(of=("self",)).select_related("bank", "exporter")
                .filter(receivable=receivable, bank=bank, status__in=Financing.OPEN_FOR_REPAYMENT).order_by("pk")
            )
            Receivable.objects.select_for_update().get(pk=receivable.pk)
            owed.sort(key=lambda f: (f.due_date or date.max, f.approved_at, f.pk))
            remaining = amount
            plan = []
            for financing in owed:
                if remaining <= 0:
                    break
                pay = min(financing.approved_amount - financing.repaid_amount, remaining)
                remaining -= pay
                plan.append((financing, pay))
            receipt = FxReceipt.objects.create(
                receivable=receivable, bank=bank, amount=amount, currency=currency, value_date=value_date,
                payer_name=payer_name, reference=reference, applied_amount=amount - remaining,
                surplus_amount=remaining, created_by=bank_user,
            )
            applied = []
            for financing, pay in plan:
                financing.repaid_amount += pay
                financing.last_repaid_on = max(financing.last_repaid_on or value_date, value_date)
                repay_tx = _enqueue(financing, "recordRepayment", [to_minor_units(pay, currency)])
                financing.chain_tx = repay_tx
                Repayment.objects.create(receipt=receipt, financing=financing, amount=pay, chain_tx=repay_tx)
                if financing.repaid_amount == financing.approved_amount:
                    _transition(financing, S.REPAID)
                    _release(financing, CLOSE_REPAID)
                elif financing.status == S.DISBURSED:
                    _transition(financing, S.PARTIALLY_REPAID)
                financing.save(update_fields=["status", "repaid_amount", "last_repaid_on", "closed_at", "chain_tx"])
                applied.append({"financing": financing.pk, "amount": pay, "status": financing.status})
            Receivable.objects.filter(pk=receivable.pk).update(
                received_amount=F("received_amount") + amount, surplus_amount=F("surplus_amount") + remaining
            )
            receivable.refresh_from_db()
            if receivable.received_amount >= receivable.amount and receivable.status != Receivable.Status.SETTLED:
                receivable.status = Receivable.Status.SETTLED
                receivable.save(update_fields=["status"])
            audit_append(
                event_type="fx_receipt.recorded", actor=bank_user, object_type="fx_receipt", object_id=receipt.pk,
                data={"receivable": receivable.pk, "amount": amount, "currency": currency, "value_date": value_date,
                      "reference": reference, "applied": applied, "surplus": remaining,
                      "receivable_status": receivable.status},
                visible_to=[receivable.exporter_id, bank.pk],
            )
    except IntegrityError as exc:
        if violated_constraint(exc) == "financing_fxreceipt_unique_reference":
            raise BusinessConflict("duplicate_receipt", "A receipt with this reference was already recorded.",
                                   details={"reference": reference}) from exc
        raise
    return receipt


# --- after a chain reset ---------------------------------------------------------------------------

def financings_replay() -> int:
    """Write every approved financing's history again on a new chain, in order.

    A step already signed on the new chain (made while the replay ran) stands and is not written
    twice; one still pending is superseded by the replay's entry (see `replay_takes_over`).
    """
    count = 0
    for financing in (Financing.objects.filter(approved_at__isnull=False).select_related("bank", "record_tx")
                      .order_by("approved_at")):
        if not replay_takes_over(financing.record_tx):
            continue  # approved while the replay ran: its whole history is on the new chain's way
        reservations = list(financing.reservations.select_related("declaration").order_by("declaration_id"))
        financing.record_tx = financing.chain_tx = _enqueue_record(financing, reservations, replaces=financing.record_tx)
        if financing.disbursed_at:
            financing.chain_tx = _replay_step(financing, "recordDisbursement", [], _latest_call(financing, "recordDisbursement"))
        for repayment in financing.repayments.select_related("chain_tx").order_by("id"):
            repayment.chain_tx = financing.chain_tx = _replay_step(
                financing, "recordRepayment", [to_minor_units(repayment.amount, financing.currency)], repayment.chain_tx)
            repayment.save(update_fields=["chain_tx"])
        reason = {S.REPAID: CLOSE_REPAID, S.WITHDRAWN: CLOSE_WITHDRAWN, S.WRITTEN_OFF: CLOSE_WRITTEN_OFF}.get(financing.status)
        if reason:
            financing.chain_tx = _replay_step(financing, "closeFinancing", [reason], _latest_call(financing, "closeFinancing"))
        financing.save(update_fields=["record_tx", "chain_tx"])
        count += 1
    return count
