from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built concurrently: a live platform's financings stay writable while the indexes are made.
    atomic = False

    dependencies = [
        ('financing', '0006_tally_truncate'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='financing',
            index=models.Index(fields=['applied_at'], name='financing_applied_at'),
        ),
        AddIndexConcurrently(
            model_name='financing',
            index=models.Index(fields=['bank', 'applied_at'], name='financing_bank_applied_at'),
        ),
        AddIndexConcurrently(
            model_name='financing',
            index=models.Index(fields=['exporter', 'applied_at'], name='financing_exporter_applied_at'),
        ),
    ]
