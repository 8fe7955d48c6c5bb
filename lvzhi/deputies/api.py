"""The public deputies API at /api/v1/deputies (no login): published deputies and one deputy's page with their duty
performance, the same presenter as the web page."""

from django.core.paginator import Paginator
from ninja import Router

from lvzhi.core.params import query_year
from lvzhi.core.timeutil import local_date
from lvzhi.letters import selectors as letters

from . import rules, selectors
from .present import deputy_page

router = Router(tags=["deputies"])


@router.get("", auth=None)
def index(request, page: int = 1):
    chunk = Paginator(selectors.published_pages(), rules.PAGE_SIZE).get_page(page)
    return {
        "page": chunk.number,
        "items": [{"id": p.pk, "name": p.deputy.real_name, "body": p.body.name} for p in chunk],
    }


@router.get("/{page_id}", auth=None)
def detail(request, page_id: int, year: int | None = None):
    page = selectors.public_page(page_id)
    year = query_year(year) or local_date().year
    view = deputy_page(page, year, contact_counts=letters.deputy_contact_counts(page.deputy, year))
    return view
