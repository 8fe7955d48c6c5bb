"""The search index: one row per indexed object, its text segmented by jieba into space-separated tokens.

PostgreSQL: `tsv` = strip(to_tsvector('simple', tokens)) (no positions: nothing needs them), with a GIN index
(migration 0002), and `title_tsv` = to_tsvector('simple', title_tokens) for ranking; both written by the service
with the tokens, so that matching and ranking read small stored vectors instead of parsing every candidate's text.
SQLite: an FTS5 table `search_entry_fts(title, tokens)` (rowid = SearchEntry.id) kept in sync by the service;
the vector columns stay empty there.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.Field):
    """A PostgreSQL `tsvector` column (plain text, unused, on other databases)."""

    description = "text-search vector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    title_tokens = models.TextField(blank=True, default="")
    tokens = models.TextField(blank=True, default="")  # title and text tokens, deduplicated, space-separated
    tsv = TsVectorField(null=True, blank=True, editable=False)
    title_tsv = TsVectorField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_once_per_object")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
