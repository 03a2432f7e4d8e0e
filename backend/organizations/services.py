"""Onboarding organizations and their users."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from web3 import Web3

from audit.services import audit_append
from chain.models import ChainTransaction
from chain.services import (
    chain_account_create, chain_call_enqueue, platform_account, replay_takes_over, uuid_to_bytes32,
)
from common.errors import ApiError, BusinessConflict
from organizations.models import Organization, OrganizationChainRecord, User

MEMBER_ROLES = {
    Organization.Kind.EXPORTER: "EXPORTER_ROLE",
    Organization.Kind.BANK: "BANK_ROLE",
    Organization.Kind.REGULATOR: "REGULATOR_ROLE",
    Organization.Kind.OPERATOR: "OPERATOR_ROLE",
}


def member_role_hash(kind: str) -> bytes:
    return bytes(Web3.keccak(text=MEMBER_ROLES[kind]))


def organization_onboard(
    *,
    actor: User | None,
    kind: str,
    name: str,
    admin_username: str,
    admin_password: str,
    uscc: str | None = None,
    bic: str | None = None,
    safe_classification: str | None = None,
    country: str = "CN",
    grace_days: int | None = None,
) -> Organization:
    if User.objects.filter(username__iexact=admin_username).exists():
        raise ApiError("username_taken", "This username is taken.", status_code=400,
                       details={"admin_user": {"username": ["This username is taken."]}})
    if uscc and Organization.objects.filter(uscc=uscc).exists():
        raise BusinessConflict("organization_exists", "An organization with this USCC is already onboarded.",
                               details={"uscc": uscc})
    if bic and Organization.objects.filter(bic=bic).exists():
        raise BusinessConflict("organization_exists", "An organization with this BIC is already onboarded.",
                               details={"bic": bic})
    user = User(username=admin_username)
    try:
        validate_password(admin_password, user)
    except DjangoValidationError as exc:
        raise ApiError("invalid", "The password is too weak.", status_code=400,
                       details={"admin_user": {"password": exc.messages}}) from exc
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                kind=kind,
                name=name,
                uscc=uscc if kind == Organization.Kind.EXPORTER else None,
                bic=bic if kind == Organization.Kind.BANK else None,
                safe_classification=safe_classification if kind == Organization.Kind.EXPORTER else None,
                country=country,
                **({"grace_days": grace_days} if grace_days is not None else {}),
            )
            user.organization = organization
            user.set_password(admin_password)
            user.save()
            account = chain_account_create(label=f"org:{organization.pk}", organization=organization)
            member_register_enqueue(organization=organization, account=account)
            audit_append(
                event_type="organization.onboarded",
                actor=actor,
                object_type="organization",
                object_id=organization.pk,
                data={
                    "kind": kind,
                    "name": name,
                    "uscc": organization.uscc,
                    "bic": organization.bic,
                    "safe_classification": organization.safe_classification,
                    "chain_address": account.address,
                    "admin_username": admin_username,
                },
                visible_to=[organization.pk],
            )
    except IntegrityError as exc:
        raise BusinessConflict("organization_exists", "This organization or user already exists.") from exc
    return organization


def member_register_enqueue(*, organization: Organization, account, replaces=None) -> ChainTransaction:
    tx = chain_call_enqueue(
        signer=platform_account(),
        contract="MemberRegistry",
        function="registerMember",
        args=[account.address, member_role_hash(organization.kind), uuid_to_bytes32(organization.pk)],
        subject_type="organization",
        subject_id=organization.pk,
        replaces=replaces,
    )
    OrganizationChainRecord.objects.update_or_create(organization=organization, defaults={"chain_tx": tx})
    return tx


def _loaded_chain_record(organization: Organization) -> tuple[bool, OrganizationChainRecord | None]:
    """(loaded, record): the registration record as the caller's select_related read it, if it did."""
    if not Organization.chain_record.is_cached(organization):
        return False, None
    try:
        return True, organization.chain_record
    except OrganizationChainRecord.DoesNotExist:
        return True, None


def member_registration_tx(organization: Organization) -> ChainTransaction | None:
    """The organization's latest registration write; read with the organization when the caller
    loaded it (`select_related("...chain_record__chain_tx")`), else one query."""
    loaded, record = _loaded_chain_record(organization)
    if not loaded:
        record = OrganizationChainRecord.objects.filter(organization=organization).select_related("chain_tx").first()
    return record.chain_tx if record else None


def member_registration_tx_id(organization: Organization):
    """The id of that write, all a dependency needs: from what the caller loaded
    (`select_related("...chain_record")`), else one query that reads no transaction row."""
    loaded, record = _loaded_chain_record(organization)
    if loaded:
        return record.chain_tx_id if record else None
    return OrganizationChainRecord.objects.filter(organization=organization).values_list("chain_tx_id", flat=True).first()


def members_replay() -> int:
    """After a chain reset: register every organization's account again."""
    count = 0
    for organization in Organization.objects.select_related("chain_account").order_by("created_at"):
        account = getattr(organization, "chain_account", None)
        previous = member_registration_tx(organization)
        if account is not None and replay_takes_over(previous):
            member_register_enqueue(organization=organization, account=account, replaces=previous)
            count += 1
    return count


def user_create(*, organization: Organization, username: str, password: str) -> User:
    user = User(username=username, organization=organization)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
