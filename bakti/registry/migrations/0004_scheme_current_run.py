"""The current run is recorded once on the scheme instead of a flag on every score row, and the
score table keeps only the indexes its readers use (docs/performance.md, scoring)."""

import django.db.models.deletion
from django.db import migrations, models


def mark_current_runs(apps, schema_editor):
    scheme_model = apps.get_model("registry", "ScoringScheme")
    score_model = apps.get_model("registry", "HouseholdScore")
    for scheme in scheme_model.objects.all():
        current = (
            score_model.objects.filter(scheme=scheme, is_current=True)
            .order_by("-run_id")
            .values_list("run_id", flat=True)
            .first()
        )
        if current is not None:
            scheme_model.objects.filter(pk=scheme.pk).update(current_run_id=current)


def unmark_current_runs(apps, schema_editor):
    scheme_model = apps.get_model("registry", "ScoringScheme")
    score_model = apps.get_model("registry", "HouseholdScore")
    score_model.objects.update(is_current=False)
    for scheme in scheme_model.objects.exclude(current_run=None):
        score_model.objects.filter(run_id=scheme.current_run_id).update(is_current=True)


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0001_initial'),
        ('registry', '0003_name_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='scoringscheme',
            name='current_run',
            field=models.ForeignKey(blank=True, editable=False, help_text='The finished run whose scores targeting and the household pages use.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.scoringrun', verbose_name='current run'),
        ),
        migrations.RunPython(mark_current_runs, unmark_current_runs),
        migrations.RemoveIndex(
            model_name='householdscore',
            name='score_current_idx',
        ),
        migrations.RemoveField(
            model_name='householdscore',
            name='is_current',
        ),
        migrations.AlterField(
            model_name='householdscore',
            name='household',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='registry.household', verbose_name='household'),
        ),
        migrations.AlterField(
            model_name='householdscore',
            name='region',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='desa/kelurahan'),
        ),
        migrations.AlterField(
            model_name='householdscore',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='registry.scoringrun', verbose_name='run'),
        ),
        migrations.AlterField(
            model_name='householdscore',
            name='scheme',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.scoringscheme', verbose_name='scheme'),
        ),
    ]
