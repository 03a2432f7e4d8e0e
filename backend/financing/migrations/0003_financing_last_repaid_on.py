from django.db import migrations, models

# Financings repaid before this field existed: the value date of the latest receipt that repaid them.
BACKFILL = """
UPDATE financing_financing f
   SET last_repaid_on = latest.value_date
  FROM (SELECT r.financing_id, MAX(x.value_date) AS value_date
          FROM financing_repayment r JOIN financing_fxreceipt x ON x.id = r.receipt_id
         GROUP BY r.financing_id) latest
 WHERE latest.financing_id = f.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ("financing", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="financing",
            name="last_repaid_on",
            field=models.DateField(null=True),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
