"""Rendered fragments that are the same for every reader of the same column scope (issue 12): the column tiles
of the home page and the column links of the content navigation. Kept in the shared cache under the columns'
versioned key (bumped whenever a column is saved or deleted), per scope, template, active entry and language."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from lvzhi.core import cache

from . import permissions as perms
from . import selectors


def column_links(user, template: str, *, active: str = "") -> str:
    def render():
        return render_to_string(template, {"columns": selectors.visible_columns(user), "active": active})

    variant = ("html", template, perms.visible_column_scope(user), active, get_language())
    return mark_safe(cache.cached(selectors.COLUMNS_KEY, render, variant=variant))  # noqa: S308  (our template)
