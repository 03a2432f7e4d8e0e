from django.db import migrations

# A TRUNCATE of the declarations (by itself, or cascaded) empties their tallies too: row and statement
# triggers for deletes do not fire for it.
# DELETE, not TRUNCATE: a flush truncates the tallies in the same statement, which a TRUNCATE here refuses.
TRUNCATE_TRIGGER = """
CREATE FUNCTION customs_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customs_declarationtally;
  RETURN NULL;
END
$$;
CREATE TRIGGER customs_tally_truncate AFTER TRUNCATE ON customs_declaration
  FOR EACH STATEMENT EXECUTE FUNCTION customs_tally_truncate();
"""

DROP_TRUNCATE_TRIGGER = """
DROP TRIGGER customs_tally_truncate ON customs_declaration;
DROP FUNCTION customs_tally_truncate();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('customs', '0002_tally'),
    ]

    operations = [
        migrations.RunSQL(TRUNCATE_TRIGGER, reverse_sql=DROP_TRUNCATE_TRIGGER),
    ]
