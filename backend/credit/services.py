"""Writes of the credit scenario: grant and revoke authorizations, serve or refuse lookups, penalties.

Every change appends its audit event in the same transaction; every chain write is an outbox
row in that transaction too (grant from the platform account, revoke from the exporter's,
recordAccess from the bank's).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.services import audit_append
from chain import keys
from chain.deploy import contract_address
from chain.models import ChainTransaction
from chain.services import chain_call_enqueue, network_active, platform_account, replay_takes_over, uuid_to_bytes32
from common.errors import ApiError, BusinessConflict, NotFound
from common.fields import check_money_scale
from credit import signing
from credit.models import CreditAccess, CreditAuthorization, Penalty, Scope
from credit.selectors import credit_profile
from organizations.models import Organization, User
from organizations.services import member_registration_tx_id

REGISTRY = "AuthorizationRegistry"
NOT_YET_MINED = (ChainTransaction.Status.PENDING, ChainTransaction.Status.SIGNED, ChainTransaction.Status.SENT)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _invalid(errors: dict[str, list[str]]) -> ApiError:
    fields = ", ".join(sorted(errors))
    return ApiError("invalid", f"Invalid input: {fields}.", details=errors, status_code=400)


def _whole_seconds(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


def _signing_domain() -> tuple[int, str]:
    network = network_active()
    address = contract_address(REGISTRY, network) if network else None
    if network is None or address is None:
        raise ApiError(
            "chain_unavailable",
            "The authorization registry is not deployed yet; an authorization cannot be signed now.",
            status_code=503,
        )
    return network.chain_id, address


def _sign_for_exporter(authorization: CreditAuthorization, *, chain_id: int, verifying_contract: str) -> None:
    """Fill typed data, digest and signature, signed with the exporter's own chain key."""
    account = authorization.exporter.chain_account
    typed = signing.build_typed_data(
        chain_id=chain_id,
        verifying_contract=verifying_contract,
        authorization_id=uuid_to_bytes32(authorization.pk),
        exporter=account.address,
        bank=authorization.bank.chain_account.address,
        purpose=authorization.purpose,
        scope_mask=authorization.scope_mask,
        data_from=authorization.data_from,
        data_to=authorization.data_to,
        valid_from=authorization.valid_from,
        expires_at=authorization.expires_at,
    )
    signer = keys.signing_account(account.encrypted_key, account.address)
    authorization.typed_data = typed
    authorization.digest = signing.digest_of(typed)
    authorization.signature = signing.sign_typed_data(typed, signer)
    authorization.signer_address = account.address


def _grant_enqueue(authorization: CreditAuthorization, *, replaces=None) -> ChainTransaction:
    return chain_call_enqueue(
        signer=platform_account(),
        contract=REGISTRY,
        function="grant",
        args=[signing.contract_struct(authorization.typed_data), authorization.signature],
        subject_type="credit_authorization",
        subject_id=authorization.pk,
        depends_on=[member_registration_tx_id(authorization.exporter), member_registration_tx_id(authorization.bank)],
        replaces=replaces,
    )


def _revoke_enqueue(authorization: CreditAuthorization, *, after: Iterable[ChainTransaction],
                    replaces=None) -> ChainTransaction:
    # From the exporter's own account: the contract accepts a revocation only from the grantor.
    # After the grant and every access already queued, or those would revert as revoked.
    return chain_call_enqueue(
        signer=authorization.exporter.chain_account,
        contract=REGISTRY,
        function="revoke",
        args=[authorization.digest],
        subject_type="credit_authorization",
        subject_id=authorization.pk,
        depends_on=[authorization.grant_tx_id, *after],  # by id: no read
        replaces=replaces,
    )


def _access_enqueue(access: CreditAccess, authorization: CreditAuthorization, *, replaces=None) -> ChainTransaction:
    return chain_call_enqueue(
        signer=authorization.bank.chain_account,  # the bank the authorization names: the access's bank
        contract=REGISTRY,
        function="recordAccess",
        # The contract judges the access at the moment it was served, not at the block recording it:
        # a lookup served in the grant's last second is recorded after it (and after a chain outage).
        args=[authorization.digest, uuid_to_bytes32(access.pk), access.scope_mask,
              signing.unix_seconds(access.occurred_at)],
        subject_type="credit_access",
        subject_id=access.pk,
        depends_on=[authorization.grant_tx_id],  # by id: no read
        replaces=replaces,
    )


def _authorization_audit_data(authorization: CreditAuthorization) -> dict[str, Any]:
    return {
        "exporter": str(authorization.exporter_id),
        "bank": str(authorization.bank_id),
        "purpose": authorization.purpose,
        "scopes": authorization.scopes,
        "data_from": authorization.data_from,
        "data_to": authorization.data_to,
        "valid_from": authorization.valid_from,
        "expires_at": authorization.expires_at,
        "digest": authorization.digest,
        "signature": authorization.signature,
        "signer_address": authorization.signer_address,
    }


def credit_authorization_grant(
    *,
    user: User,
    bank_id: uuid.UUID,
    purpose: str,
    scopes: list[str],
    data_from: dt.date,
    data_to: dt.date,
    expires_at: dt.datetime,
    valid_from: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> CreditAuthorization:
    """The exporter of `user` authorizes a bank; signed with the exporter's chain key (EIP-712)."""
    now = now or timezone.now()
    exporter = user.organization
    if exporter is None or exporter.kind != Organization.Kind.EXPORTER:
        raise ApiError("permission_denied", "Only an exporter grants credit authorizations.", status_code=403)
    valid_from = _whole_seconds(valid_from or now)
    expires_at = _whole_seconds(expires_at)
    today = timezone.localdate(now)

    errors: dict[str, list[str]] = {}
    bank = Organization.objects.filter(pk=bank_id, kind=Organization.Kind.BANK).select_related("chain_account").first()
    if bank is None:
        errors["bank"] = ["No bank with this id is onboarded."]
    if not scopes:
        errors["scopes"] = ["Name at least one scope."]
    elif len(set(scopes)) != len(scopes):
        errors["scopes"] = ["A scope is listed twice."]
    elif any(scope not in Scope.BITS for scope in scopes):
        errors["scopes"] = [f"Unknown scope; use {', '.join(Scope.ORDER)}."]
    # The signed typed data carries unsigned Unix times: nothing before 1970 can be signed.
    if data_from < EPOCH.date():
        errors["data_from"] = ["The data period may not start before 1970-01-01."]
    elif data_from > today:
        errors["data_from"] = ["The data period may not start in the future."]
    if valid_from < EPOCH:
        errors["valid_from"] = ["An authorization may not become valid before 1970-01-01."]
    if data_to > today:
        errors["data_to"] = ["The data period may not end in the future."]
    elif data_to < data_from:
        errors["data_to"] = ["The data period must end on or after its start."]
    if expires_at <= valid_from:
        errors["expires_at"] = ["The authorization must expire after it becomes valid."]
    elif expires_at <= now:
        errors["expires_at"] = ["The authorization must expire in the future."]
    if errors:
        raise _invalid(errors)

    chain_id, verifying_contract = _signing_domain()
    with transaction.atomic():
        authorization = CreditAuthorization(
            exporter=exporter,
            bank=bank,
            purpose=purpose,
            scope_mask=Scope.to_mask(scopes),
            data_from=data_from,
            data_to=data_to,
            valid_from=valid_from,
            expires_at=expires_at,
            created_by=user,
        )
        _sign_for_exporter(authorization, chain_id=chain_id, verifying_contract=verifying_contract)
        authorization.save()
        authorization.grant_tx = authorization.chain_tx = _grant_enqueue(authorization)
        authorization.save(update_fields=["grant_tx", "chain_tx"])
        audit_append(
            event_type="credit.authorization_granted",
            actor=user,
            object_type="credit_authorization",
            object_id=authorization.pk,
            data=_authorization_audit_data(authorization),
            visible_to=[exporter.pk, bank.pk],
        )
    return authorization


# Lookups and revocations of one authorization meet on an advisory lock in a key space of its own
# (the two-int4 form; the platform's other advisory locks use single bigint keys).
AUTHORIZATION_LOCK_SPACE = 0x43524544  # "CRED"


def _authorization_lock_key(authorization_id) -> list[int]:
    digest = zlib.crc32(uuid.UUID(str(authorization_id)).bytes)
    return [AUTHORIZATION_LOCK_SPACE, digest - 2**31]  # into int4's range; a collision only serializes two


def _one(rows, authorization_id) -> CreditAuthorization | None:
    """The authorization `authorization_id` of `rows`, or None. `get()`, not `first()`: `first()` orders
    by the model's ordering, and compiling that ORDER BY beside these wide joins cost ~0.4 ms of
    Python per lookup (Django hashes every selected column to match the ordering against them)."""
    try:
        return rows.get(pk=authorization_id)
    except CreditAuthorization.DoesNotExist:
        return None


def _lock_authorization(authorization_id) -> CreditAuthorization | None:
    """The authorization, locked for a change: after every lookup in flight under it has committed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _authorization_lock_key(authorization_id))
    return _one(
        CreditAuthorization.objects.select_for_update(of=("self",))
        .select_related("exporter__chain_account", "bank__chain_account"), authorization_id)


def _share_lock_authorization(authorization_id) -> CreditAuthorization | None:
    """The authorization, read under a lock shared with the other lookups until the transaction ends.

    Lookups under one authorization run side by side, while a change (`_lock_authorization`, e.g. a
    revocation) waits for the lookups in flight and lookups wait for a change in flight. The lock is
    an advisory one, not FOR SHARE on the row: row share locks are written into the row (and, with
    several holders, a multixact), a write per lookup on the hottest row of a busy bank. Read with the
    exporter, its chain account and registration entry, and the bank's chain account: what a served
    lookup needs, in one query.

    That query joins seven relations, each along a foreign key from the one authorization row; with
    PostgreSQL's exhaustive join search, planning it (with the grant's entry, eight) took ~2.5 ms for
    ~0.1 ms of execution (EXPLAIN on the benchmark's data), the largest part of a lookup's database
    time. The grant's entry is not read: the access record depends on it by id. The order
    written (the authorization, then what it points to) is the plan, so the lock statement also sets
    `join_collapse_limit` to 1 for the rest of this transaction, whose other statements join at most
    two relations.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s), set_config('join_collapse_limit', '1', true)",
                       _authorization_lock_key(authorization_id))
    return _one(
        CreditAuthorization.objects.select_related(
            "exporter__chain_account", "exporter__chain_record__chain_tx", "bank__chain_account"), authorization_id)


def credit_authorization_revoke(*, user: User, authorization_id, now: dt.datetime | None = None) -> CreditAuthorization:
    """The exporter withdraws its consent; lookups are refused from this instant.

    The locked read is the visibility check too: another exporter's authorization, none, or an id
    that is not a UUID is 404 (`NotFound`), as the view's get_object() would answer. The view does
    not read it first.
    """
    try:
        authorization_id = uuid.UUID(str(authorization_id))
    except ValueError:
        raise NotFound() from None
    with transaction.atomic():
        locked = _lock_authorization(authorization_id)
        now = now or timezone.now()
        if locked is None or locked.exporter_id != user.organization_id:
            raise NotFound()
        if locked.effective_status(now) != CreditAuthorization.Status.ACTIVE:
            raise BusinessConflict(
                "authorization_not_active",
                f"This authorization is {locked.effective_status(now)}; only an active one can be revoked.",
                details={"status": locked.effective_status(now)},
            )
        queued_accesses = ChainTransaction.objects.filter(
            pk__in=locked.accesses.filter(chain_tx__isnull=False).values("chain_tx"),
            status__in=NOT_YET_MINED,
        )
        locked.status = CreditAuthorization.Status.REVOKED
        locked.revoked_at = now
        locked.revoked_by = user
        locked.revoke_tx = locked.chain_tx = _revoke_enqueue(locked, after=list(queued_accesses))
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_tx", "chain_tx"])
        audit_append(
            event_type="credit.authorization_revoked",
            actor=user,
            object_type="credit_authorization",
            object_id=locked.pk,
            data={"digest": locked.digest, "exporter": str(locked.exporter_id), "bank": str(locked.bank_id)},
            visible_to=[locked.exporter_id, locked.bank_id],
        )
    return locked


def authorizations_expire(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Flip active authorizations past their expiry to `expired` (the beat task; lookups check anyway)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            CreditAuthorization.objects.select_for_update(skip_locked=True)
            .filter(status=CreditAuthorization.Status.ACTIVE, expires_at__lte=now)
            .order_by("pk")[:limit]
        )
        for authorization in due:
            authorization.status = CreditAuthorization.Status.EXPIRED
            authorization.expired_at = now
            authorization.save(update_fields=["status", "expired_at"])
            audit_append(
                event_type="credit.authorization_expired",
                actor=None,
                object_type="credit_authorization",
                object_id=authorization.pk,
                data={"digest": authorization.digest, "expires_at": authorization.expires_at},
                visible_to=[authorization.exporter_id, authorization.bank_id],
            )
    return len(due)


# --------------------------------------------------------------------------- lookups


class CreditLookupRefused(ApiError):
    """403 with one of API.md's refusal codes; raised after the attempt was committed to the log."""

    status_code = 403

    def __init__(self, code: str, message: str, *, access: CreditAccess) -> None:
        super().__init__(code, message, details={"access_id": str(access.pk)})
        self.access = access


@dataclass(frozen=True)
class CreditLookup:
    access: CreditAccess
    report: dict[str, Any]


_REFUSAL_MESSAGES = {
    CreditAccess.Outcome.AUTHORIZATION_REQUIRED: "A valid authorization granted to your bank by this exporter is required.",
    CreditAccess.Outcome.AUTHORIZATION_REVOKED: "The exporter revoked this authorization.",
    CreditAccess.Outcome.AUTHORIZATION_EXPIRED: "This authorization has expired.",
    CreditAccess.Outcome.SCOPE_NOT_AUTHORIZED: "The authorization does not cover the requested scopes.",
}


def _judge(authorization: CreditAuthorization | None, *, bank: Organization, exporter: Organization | None,
           requested_mask: int, now: dt.datetime) -> tuple[str, str]:
    """(outcome, reason) of a lookup; never tells a bank about an authorization that is not its own."""
    if authorization is None or exporter is None or authorization.bank_id != bank.pk \
            or authorization.exporter_id != exporter.pk:
        return CreditAccess.Outcome.AUTHORIZATION_REQUIRED, "no_authorization"
    if authorization.status == CreditAuthorization.Status.REVOKED:
        return CreditAccess.Outcome.AUTHORIZATION_REVOKED, "revoked"
    if authorization.effective_status(now) == CreditAuthorization.Status.EXPIRED:
        return CreditAccess.Outcome.AUTHORIZATION_EXPIRED, "expired"
    if now < authorization.valid_from:
        return CreditAccess.Outcome.AUTHORIZATION_REQUIRED, "not_yet_valid"
    if requested_mask & ~authorization.scope_mask:
        return CreditAccess.Outcome.SCOPE_NOT_AUTHORIZED, "scope_not_granted"
    return CreditAccess.Outcome.SERVED, ""


def credit_report_lookup(
    *,
    user: User,
    exporter_id: uuid.UUID,
    authorization_id: uuid.UUID | None,
    scopes: list[str] | None = None,
    now: dt.datetime | None = None,
) -> CreditLookup:
    """A bank looks up an exporter's credit profile under an authorization.

    Served or refused, the attempt is logged (access row + audit event) and committed;
    a refusal is raised as `CreditLookupRefused` only after that commit.
    """
    bank = user.organization
    if bank is None or bank.kind != Organization.Kind.BANK:
        raise ApiError("permission_denied", "Only a bank looks up credit reports.", status_code=403)
    if scopes is not None and any(scope not in Scope.BITS for scope in scopes):
        raise _invalid({"scopes": [f"Unknown scope; use {', '.join(Scope.ORDER)}."]})

    with transaction.atomic():
        now = now or timezone.now()
        # Locked so that a revocation cannot slip between this judgement and the access record.
        authorization = _share_lock_authorization(authorization_id) if authorization_id else None
        if authorization is not None and str(authorization.exporter_id) == str(exporter_id) \
                and authorization.exporter.kind == Organization.Kind.EXPORTER:
            exporter = authorization.exporter  # read with the authorization
        else:
            exporter = (Organization.objects.select_related("chain_account")
                        .filter(pk=exporter_id, kind=Organization.Kind.EXPORTER).first())
        if authorization is not None and authorization.exporter_id != getattr(exporter, "pk", None):
            authorization = None
        own = authorization is not None and authorization.bank_id == bank.pk
        # Without named scopes a lookup asks for all that its own authorization grants.
        requested_mask = Scope.to_mask(scopes) if scopes else (authorization.scope_mask if own else 0)
        outcome, reason = _judge(authorization, bank=bank, exporter=exporter, requested_mask=requested_mask, now=now)
        served = outcome == CreditAccess.Outcome.SERVED
        access = CreditAccess(
            requested_exporter_id=exporter_id,
            requested_authorization_id=authorization_id,
            exporter=exporter,
            authorization=authorization,
            bank=bank,
            user=user,
            scope_mask=requested_mask,
            outcome=outcome,
            reason=reason,
            data_from=authorization.data_from if served else None,
            data_to=authorization.data_to if served else None,
            occurred_at=now,
        )
        report: dict[str, Any] = {}
        if served:
            report = credit_profile(
                exporter=exporter, scopes=Scope.from_mask(requested_mask),
                data_from=authorization.data_from, data_to=authorization.data_to,
            )
            # The access's id is known before its row is written: its chain entry first, one INSERT each.
            access.chain_tx = _access_enqueue(access, authorization)
        access.save(force_insert=True)
        audit_append(
            event_type="credit.lookup_served" if served else "credit.lookup_refused",
            actor=user,
            object_type="credit_access",
            object_id=access.pk,
            data={
                "outcome": outcome,
                "reason": reason,
                "exporter": str(exporter_id),
                "bank": str(bank.pk),
                "user": str(user.pk),
                "authorization": str(authorization_id) if authorization_id else None,
                "scopes": Scope.from_mask(requested_mask),
                "data_from": access.data_from,
                "data_to": access.data_to,
            },
            # The exporter sees every lookup about it; the bank (the actor) its own.
            visible_to=[exporter.pk if exporter else None],
        )
    if not served:
        raise CreditLookupRefused(outcome, _REFUSAL_MESSAGES[outcome], access=access)
    return CreditLookup(access=access, report=report)


# --------------------------------------------------------------------------- penalties


def penalty_record(
    *,
    user: User,
    exporter_id: uuid.UUID,
    decided_on: dt.date,
    reason: str,
    reference: str,
    amount: Decimal | None = None,
    currency: str | None = None,
) -> Penalty:
    """The regulator or the operator records an administrative penalty on an exporter."""
    imposer = user.organization
    if imposer is None or imposer.kind not in (Organization.Kind.REGULATOR, Organization.Kind.OPERATOR):
        raise ApiError("permission_denied", "Only the regulator or the operator records penalties.", status_code=403)
    errors: dict[str, list[str]] = {}
    exporter = Organization.objects.filter(pk=exporter_id, kind=Organization.Kind.EXPORTER).first()
    if exporter is None:
        errors["exporter"] = ["No exporter with this id is onboarded."]
    if decided_on > timezone.localdate():
        errors["decided_on"] = ["The decision date may not be in the future."]
    if (amount is None) != (currency is None):
        errors["amount" if amount is None else "currency"] = ["Give the amount and its currency together."]
    elif amount is not None:
        problem = check_money_scale(amount, currency)
        if problem:
            errors["amount"] = [problem]
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            penalty = Penalty.objects.create(
                exporter=exporter, imposed_by=imposer, decided_on=decided_on, amount=amount, currency=currency,
                reason=reason, reference=reference, created_by=user,
            )
            audit_append(
                event_type="credit.penalty_recorded",
                actor=user,
                object_type="penalty",
                object_id=penalty.pk,
                data={
                    "exporter": str(exporter.pk),
                    "decided_on": decided_on,
                    "amount": amount,
                    "currency": currency,
                    "reason": reason,
                    "reference": reference,
                },
                visible_to=[exporter.pk],
            )
    except IntegrityError as exc:
        raise BusinessConflict(
            "duplicate_penalty", "Your organization already recorded a penalty with this reference.",
            details={"reference": reference},
        ) from exc
    return penalty


# --------------------------------------------------------------------------- chain reset


def credit_chain_replay() -> int:
    """After a chain reset: grant every authorization again, then its accesses, then its revocation.

    The EIP-712 domain names the (new) registry address, so each authorization is signed again
    with the exporter's key; the superseded digest and signature stay in the audit log. Every
    served access is replayed, those of authorizations expired since too: the contract judges an
    access at the time it was served.
    """
    chain_id, verifying_contract = _signing_domain()
    count = 0
    rows = CreditAuthorization.objects.select_related("exporter__chain_account", "bank__chain_account").order_by(
        "created_at", "id"
    )
    for authorization in rows.select_for_update(of=("self",)):
        if not replay_takes_over(authorization.grant_tx):
            continue  # granted while the replay ran, under the new registry's domain: it stands
        previous = {"digest": authorization.digest, "signature": authorization.signature,
                    "domain": authorization.typed_data.get("domain")}
        _sign_for_exporter(authorization, chain_id=chain_id, verifying_contract=verifying_contract)
        authorization.grant_tx = authorization.chain_tx = _grant_enqueue(authorization, replaces=authorization.grant_tx)
        replayed_accesses = []
        served = authorization.accesses.filter(outcome=CreditAccess.Outcome.SERVED).select_related(
            "bank__chain_account", "chain_tx"
        ).order_by("occurred_at", "id")
        for access in served:
            # Re-signed above, so an access entry still pending names the old digest: superseded too.
            if not replay_takes_over(access.chain_tx):
                continue
            access.chain_tx = _access_enqueue(access, authorization, replaces=access.chain_tx)
            access.save(update_fields=["chain_tx"])
            replayed_accesses.append(access.chain_tx)
        if authorization.status == CreditAuthorization.Status.REVOKED and replay_takes_over(authorization.revoke_tx):
            authorization.revoke_tx = authorization.chain_tx = _revoke_enqueue(
                authorization, after=replayed_accesses, replaces=authorization.revoke_tx)
        authorization.save(update_fields=["typed_data", "digest", "signature", "signer_address", "grant_tx",
                                          "revoke_tx", "chain_tx"])
        audit_append(
            event_type="credit.authorization_resigned",
            actor=None,
            object_type="credit_authorization",
            object_id=authorization.pk,
            data={"reason": "chain_reset", "previous": previous, "digest": authorization.digest,
                  "signature": authorization.signature, "domain": authorization.typed_data["domain"],
                  "accesses_replayed": len(replayed_accesses)},
            visible_to=[authorization.exporter_id, authorization.bank_id],
        )
        count += 1
    return count
