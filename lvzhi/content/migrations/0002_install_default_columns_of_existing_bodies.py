"""Install the default columns (S0-5) of every existing people's congress and CPPCC body that has none: they used
to be installed by the first GET of the home page, which no longer writes. New bodies get theirs when created
(`lvzhi.backoffice.services.create_unit`). Uses the historical models and the presets of `lvzhi.content.defaults`
(plain data); the audit row is written as `content.column.install` by the service for later bodies only."""

from django.db import migrations
from django.utils.text import slugify


def _setting(BodySetting, OrgUnit, body, key):
    unit = body
    while unit is not None:
        row = BodySetting.objects.filter(body_id=unit.pk, key=key).first()
        if row is not None:
            return row.value
        unit = OrgUnit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    return None


def install(apps, schema_editor):
    from lvzhi.content import defaults
    from lvzhi.content.column_sets import default_columns

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    BodySetting = apps.get_model("orgs", "BodySetting")
    Column = apps.get_model("content", "Column")
    ChainStep = apps.get_model("content", "ChainStep")

    def owner_units(body, owners):
        functions = [o for o in owners if o != defaults.COMMITTEES]
        qs = OrgUnit.objects.filter(body_id=body.pk, is_active=True)
        found = list(qs.filter(function__in=functions)) if functions else []
        if defaults.COMMITTEES in owners:
            found += list(qs.filter(kind="committee").exclude(pk__in=[u.pk for u in found]))
        return found

    def new_column(body, code, name, parent=None, order=0):
        audience, owners, chain = defaults.preset(code)
        column = Column.objects.create(
            body_id=body.pk, parent=parent, code=code, name=name[:40], audience=audience, sort_order=order
        )
        column.owners.set(owner_units(body, owners))
        ChainStep.objects.bulk_create(
            ChainStep(column=column, position=i + 1, kind=k, role=r, scope=s, function=f, applies_to=a)
            for i, (k, r, s, f, a) in enumerate(chain)
        )
        return column

    bodies = OrgUnit.objects.filter(kind="body", is_active=True, body_type__in=["cppcc", "congress"])
    for body in bodies.exclude(pk__in=Column.objects.values("body_id")):
        configured = _setting(BodySetting, OrgUnit, body, "web.columns") or default_columns(body.body_type)
        subs = defaults.SUB_COLUMNS.get(body.body_type, {})
        for i, item in enumerate(configured):
            code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
            if not code or not name:
                continue
            parent = new_column(body, slugify(code)[:40] or f"c{i + 1}", name, order=(i + 1) * 10)
            for j, (child_code, child_name) in enumerate(subs.get(code, [])):
                new_column(body, child_code, child_name, parent=parent, order=j + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_columns_articles_review_reading"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
