"""Feeding customs declarations into the platform."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_append
from chain.services import chain_call_enqueue, platform_account, replay_takes_over
from common.errors import ApiError, BusinessConflict
from common.fingerprints import keyed_fingerprint
from common.money import to_minor_units
from customs.models import Declaration
from organizations.models import Organization


def declaration_fingerprint(number: str) -> str:
    return keyed_fingerprint("customs-declaration", number)


def declaration_register(
    *,
    actor,
    number: str,
    exporter_uscc: str,
    export_date: date,
    currency: str,
    fob_value: Decimal,
    destination_country: str,
    consignee: str,
    source: str = "api",
) -> Declaration:
    exporter = Organization.objects.filter(kind=Organization.Kind.EXPORTER, uscc=exporter_uscc).first()
    if exporter is None:
        raise ApiError("unknown_exporter", "No onboarded exporter has this USCC.", status_code=400,
                       details={"exporter_uscc": ["No onboarded exporter has this USCC."]})
    if export_date > timezone.localdate():
        raise ApiError("invalid", "The export date is in the future.", status_code=400,
                       details={"export_date": ["The export date may not be in the future."]})
    if Declaration.objects.filter(number=number).exists():
        raise BusinessConflict("duplicate_declaration", "This declaration number is already registered.",
                               details={"number": number})
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                number=number,
                exporter=exporter,
                export_date=export_date,
                currency=currency,
                fob_value=fob_value,
                destination_country=destination_country,
                consignee=consignee,
                fingerprint=declaration_fingerprint(number),
                source=source,
            )
            declaration.chain_tx = declaration_chain_enqueue(declaration)
            declaration.save(update_fields=["chain_tx"])
            audit_append(
                event_type="declaration.registered",
                actor=actor,
                object_type="declaration",
                object_id=declaration.pk,
                data={
                    "number": number,
                    "exporter": str(exporter.pk),
                    "export_date": export_date,
                    "currency": currency,
                    "fob_value": fob_value,
                    "destination_country": destination_country,
                    "fingerprint": declaration.fingerprint,
                    "source": source,
                },
                visible_to=[exporter.pk],
            )
    except IntegrityError as exc:
        raise BusinessConflict("duplicate_declaration", "This declaration number is already registered.",
                               details={"number": number}) from exc
    return declaration


def declaration_chain_enqueue(declaration: Declaration, *, replaces=None):
    return chain_call_enqueue(
        signer=platform_account(),
        contract="FinancingRegistry",
        function="registerDeclaration",
        args=[declaration.fingerprint, to_minor_units(declaration.fob_value, declaration.currency)],
        subject_type="declaration",
        subject_id=declaration.pk,
        replaces=replaces,
    )


def declarations_replay() -> int:
    count = 0
    for declaration in Declaration.objects.select_related("chain_tx").order_by("created_at"):
        if not replay_takes_over(declaration.chain_tx):
            continue  # registered on the new chain already (submitted while the replay ran)
        declaration.chain_tx = declaration_chain_enqueue(declaration, replaces=declaration.chain_tx)
        declaration.save(update_fields=["chain_tx"])
        count += 1
    return count
