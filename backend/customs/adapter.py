"""The customs data source. The real customs feed is external; this adapter is the only
place the platform asks it anything. `LocalCustomsDataSource` answers from the
declarations the operator fed us (API or CSV import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class CustomsRecord:
    number: str
    exporter_uscc: str
    export_date: date
    currency: str
    fob_value: Decimal
    destination_country: str


class CustomsDataSource(Protocol):
    def lookup(self, numbers: list[str]) -> dict[str, CustomsRecord]: ...


class LocalCustomsDataSource:
    def lookup(self, numbers: list[str]) -> dict[str, CustomsRecord]:
        from customs.models import Declaration

        # Plain tuples in the record's field order: no model instances, no ordering, for a lookup made
        # on every receivable submission.
        rows = (Declaration.objects.filter(number__in=numbers).order_by()
                .values_list("number", "exporter__uscc", "export_date", "currency", "fob_value", "destination_country"))
        return {
            number: CustomsRecord(number=number, exporter_uscc=uscc or "", export_date=export_date, currency=currency,
                                  fob_value=fob_value, destination_country=destination_country)
            for number, uscc, export_date, currency, fob_value, destination_country in rows
        }


def customs_data_source() -> CustomsDataSource:
    return LocalCustomsDataSource()
