"""One page of a list without counting the whole list: the query fetches one row more than it shows.

`{% pager page %}` (core/templatetags/pager.py) shows "Page N" with previous/next links for such a page. Use it
where a total is not worth a `COUNT(*)` over a large table on every request.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.translation import get_language

from lvzhi.core import cache

MAX_PAGE = 10_000


@dataclass
class Slice:
    items: list
    page: int
    has_next: bool

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def next_page(self):
        return self.page + 1

    @property
    def previous_page(self):
        return self.page - 1

    @property
    def is_whole(self) -> bool:
        """The page holds every row of the list."""
        return self.page == 1 and not self.has_next

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def page_number(value) -> int:
    try:
        return max(1, min(int(value or 1), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def slice_page(qs, page, size: int = 20) -> Slice:
    """Page `page` (any value a query string gives; bad ones read as 1) of `qs`, `size` rows."""
    page = page_number(page)
    start = (page - 1) * size
    rows = list(qs[start : start + size + 1])
    return Slice(rows[:size], page, len(rows) > size)


@dataclass
class KeptPage:
    """A Django `Page`'s rows and numbers without its paginator's queryset: what can be kept in the shared cache.
    `{% pager %}` and `{% for row in page %}` read it as they read the `Page`."""

    items: list
    number: int
    num_pages: int
    count: int = 0

    @classmethod
    def of(cls, page) -> "KeptPage":
        return cls(list(page.object_list), page.number, page.paginator.num_pages, page.paginator.count)

    @property
    def paginator(self):
        return self

    @property
    def object_list(self):
        return self.items

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def kept_page(request, name: str, query, size: int = 20, *, variant=()) -> KeptPage:
    """Page `?page=` of `query()` (a Django `Paginator` page), kept per user, page, language and `variant` under the
    version of `cache.WRITES_KEY`: for work lists whose rows change only through audited services (every audited
    write bumps that version on commit). Not for lists that depend on the clock (overdue, due soon)."""
    number = str(request.GET.get("page") or "1")[:12]

    def compute():
        return KeptPage.of(Paginator(query(), size).get_page(number))

    variant = (name, request.user.pk, number, get_language(), *variant)
    return cache.cached(cache.WRITES_KEY, compute, timeout=600, variant=variant)
