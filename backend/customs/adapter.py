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

        rows = Declaration.objects.filter(number__in=numbers).select_related("exporter")
        return {
            d.number: CustomsRecord(
                number=d.number,
                exporter_uscc=d.exporter.uscc or "",
                export_date=d.export_date,
                currency=d.currency,
                fob_value=d.fob_value,
                destination_country=d.destination_country,
            )
            for d in rows
        }


def customs_data_source() -> CustomsDataSource:
    return LocalCustomsDataSource()
