"""Financing tallies: the credit profile's financing history, kept as it changes (see FinancingTally
and common/tallies.py).

A credit lookup reports on every financing the exporter applied for in the period, grouped by
currency, status and whether it was repaid on time. Summing the financings themselves made each
lookup cost O(the exporter's history): 1.2 / 6.3 / 70.6 ms at 1k / 10k / 100k financings, against
0.7 / 0.8 / 1.4 ms from the tallies (`make bench`, growth).

The trigger (migration 0004) on the financing table appends one row of +1 and the new values for an
inserted financing, one of -1 and the old values for a deleted one, and both for an update of a
tallied column (exporter, applied_at, currency, status, approved, repaid, last_repaid_on, due_date).

Receipt tallies: the credit profile's FX receipts (how many, how much, and the days from export to
receipt) per exporter, value date and currency. Summing the receipts themselves, each with the
earliest export date behind its receivable, cost ~390 ms per lookup for 10,000 receipts in a year.
The triggers of migration 0005 keep each receipt's first export date (on insert, and when the
receivable's allocations or a declaration's export date change) and tally the receipt as above.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from common.tallies import Tally
from financing.models import FinancingTally, ReceiptTally

FINANCING_TALLY = Tally(table=FinancingTally._meta.db_table, day="applied_on", groups=("currency", "status", "on_time"),
                        sums=("n", "approved", "repaid"), lock=0x7F3D_F01D)
RECEIPT_TALLY = Tally(table=ReceiptTally._meta.db_table, day="value_date", groups=("currency",),
                      sums=("n", "amount", "days", "dated"), lock=0x7F3D_F01F)


def check_time_zone(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The trigger keys tallies by UTC date, and credit periods are days of TIME_ZONE: they must agree."""
    if settings.TIME_ZONE != "UTC":
        return [checks.Error(f"TIME_ZONE is {settings.TIME_ZONE!r}; the financing tallies count days in UTC.",
                             hint="Keep TIME_ZONE = 'UTC', or re-key the tallies (migration financing 0004) first.",
                             id="financing.E001")]
    return []
