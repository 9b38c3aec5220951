# The people-reached rollup, one row per person (aid to a household as a whole gives a row to
# each member) with a copy of the person's attributes, and the tally the dashboards read. Both
# are derived data: the rows are dropped here and built again after the migration (the
# reports app's post_migrate handler rebuilds an empty rollup when there are deliveries).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0003_program_types'),
        ('registry', '0003_name_search'),
        ('reports', '0002_reach'),
    ]

    operations = [
        migrations.DeleteModel(name='Reach'),
        migrations.CreateModel(
            name='Reach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('first_on', models.DateField(verbose_name='first delivery')),
                ('last_on', models.DateField(verbose_name='last delivery')),
                ('sex', models.CharField(blank=True, max_length=1, verbose_name='sex')),
                ('has_disability', models.BooleanField(default=False, verbose_name='has a disability')),
                ('desa', models.CharField(max_length=13, verbose_name='desa/kelurahan')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='birth date')),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.activity', verbose_name='activity')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.person', verbose_name='person')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program', verbose_name='program')),
                ('via_household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.household', verbose_name='household served as a whole')),
            ],
            options={
                'verbose_name': 'people reached (rollup)',
                'verbose_name_plural': 'people reached (rollup)',
                'indexes': [models.Index(fields=['program', 'year', 'first_on'], name='reach_program_year_idx')],
            },
        ),
        migrations.CreateModel(
            name='ReachTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=1, verbose_name='scope')),
                ('ref', models.PositiveIntegerField(verbose_name='reference')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('period', models.PositiveIntegerField(verbose_name='period')),
                ('dimension', models.CharField(max_length=10, verbose_name='dimension')),
                ('code', models.CharField(blank=True, max_length=13, verbose_name='code')),
                ('n', models.IntegerField(verbose_name='people')),
            ],
            options={
                'verbose_name': 'people reached (counts)',
                'verbose_name_plural': 'people reached (counts)',
                'constraints': [models.UniqueConstraint(fields=('scope', 'ref', 'year', 'period', 'dimension', 'code'), name='reach_tally_key')],
            },
        ),
    ]
