from django.db import migrations

# A TRUNCATE of a tallied table (by itself, or cascaded from the tables it references) empties its
# tallies too: row triggers do not fire for it, and the tallies would go on summing rows that are gone.
# DELETE, not TRUNCATE: a flush truncates the tallies in the same statement, which a TRUNCATE here refuses.
# A TRUNCATE of the allocations dates the receipts again.
TRUNCATE_TRIGGERS = """
CREATE FUNCTION financing_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM financing_financingtally;
  RETURN NULL;
END
$$;
CREATE TRIGGER financing_tally_truncate AFTER TRUNCATE ON financing_financing
  FOR EACH STATEMENT EXECUTE FUNCTION financing_tally_truncate();
CREATE FUNCTION financing_receipt_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM financing_receipttally;
  RETURN NULL;
END
$$;
CREATE TRIGGER financing_receipt_tally_truncate AFTER TRUNCATE ON financing_fxreceipt
  FOR EACH STATEMENT EXECUTE FUNCTION financing_receipt_tally_truncate();
-- Allocations truncated: every receipt's first export date is computed again (none is left).
CREATE FUNCTION financing_fxreceipt_touch_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE financing_fxreceipt SET first_export_date = NULL;
  RETURN NULL;
END
$$;
CREATE TRIGGER financing_fxreceipt_touch_all AFTER TRUNCATE ON receivables_receivableallocation
  FOR EACH STATEMENT EXECUTE FUNCTION financing_fxreceipt_touch_all();
"""

DROP_TRUNCATE_TRIGGERS = """
DROP TRIGGER financing_fxreceipt_touch_all ON receivables_receivableallocation;
DROP FUNCTION financing_fxreceipt_touch_all();
DROP TRIGGER financing_receipt_tally_truncate ON financing_fxreceipt;
DROP FUNCTION financing_receipt_tally_truncate();
DROP TRIGGER financing_tally_truncate ON financing_financing;
DROP FUNCTION financing_tally_truncate();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('financing', '0005_receipt_tally'),
    ]

    operations = [
        migrations.RunSQL(TRUNCATE_TRIGGERS, reverse_sql=DROP_TRUNCATE_TRIGGERS),
    ]
