"""The default word lists from the versioned data files in lvzhi/screening/data/ (source and version noted on each
list). Later updates of the files are applied by administrators: `lvzhi screening_defaults` or the back office."""

from django.db import migrations


def import_files(apps, schema_editor):
    from lvzhi.screening import defaults

    WordList = apps.get_model("screening", "WordList")
    Term = apps.get_model("screening", "Term")
    ScreeningState = apps.get_model("screening", "ScreeningState")
    defaults.apply(defaults.load(), word_list_model=WordList, term_model=Term)
    ScreeningState.objects.update_or_create(pk=1, defaults={"stamp": "defaults-from-files"})


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_word_list_source")]
    operations = [migrations.RunPython(import_files, migrations.RunPython.noop)]
