"""Declaration tallies: the credit profile's declarations by month, kept as they change (see
DeclarationTally and common/tallies.py).

Summing an exporter's declarations made each lookup cost O(its declarations in the period): ~330 ms
for 100,000 in a year (the bench's machine), which border trade reaches. The tallies hold at most one
row per export date and currency, plus what was appended since the last fold.

Triggers (migration 0002) on the declaration table: a declaration inserted appends +1 and its values,
one deleted appends -1 and its values (one row per exporter, date and currency per statement: a
bulk load appends its sums, not a row per declaration), and an update of a tallied column (exporter,
export date, currency, FOB value) appends both. The updates the platform makes all the time
(allocated and financed amounts) fire nothing.
"""

from __future__ import annotations

from common.tallies import Tally
from customs.models import DeclarationTally

DECLARATION_TALLY = Tally(table=DeclarationTally._meta.db_table, day="export_date", groups=("currency",),
                          sums=("n", "fob_value"), lock=0x7F3D_F01E)
