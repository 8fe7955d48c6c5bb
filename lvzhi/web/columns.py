"""Moved to `lvzhi.content.column_sets`. Kept only while `content.defaults.column_set` still imports it from here:
once content imports `.column_sets` itself, delete this module (and its import-linter exception)."""

from lvzhi.content.column_sets import CONGRESS_COLUMNS, CPPCC_COLUMNS, default_columns

__all__ = ["CONGRESS_COLUMNS", "CPPCC_COLUMNS", "default_columns"]
