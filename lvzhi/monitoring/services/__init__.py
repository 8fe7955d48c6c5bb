"""Every write of the monitoring module, one module per use case; the public names are re-exported here.

- findings: `raise_finding`, `fix_finding`, `verify_finding`, `reopen_finding`, `dismiss_finding`, `report_upward`
- items: `add_item`, `enter_item`, `import_items`, `on_content_published` (the `content.published` hook)
- updates: `run_checks` (the daily update-frequency check; with `interpretations.check_interpretations`, S1-4.1);
  crawling: `crawl_watch`, `request_crawl`;
  pulling: `pull_feeds`; duty: `record_by_hand`, `report_counterfeit`, `similar_outlets`; watches: `watch_outlet`
"""

from .crawling import crawl_watch, due_watches, request_crawl
from .duty import record_by_hand, report_counterfeit, similar_outlets
from .findings import dismiss_finding, fix_finding, raise_finding, reopen_finding, report_upward, verify_finding
from .items import add_item, enter_item, import_items, on_content_published
from .pulling import pull_feeds
from .updates import run_checks
from .watches import watch_outlet

__all__ = [
    "add_item",
    "crawl_watch",
    "dismiss_finding",
    "due_watches",
    "enter_item",
    "fix_finding",
    "import_items",
    "on_content_published",
    "pull_feeds",
    "raise_finding",
    "record_by_hand",
    "reopen_finding",
    "report_counterfeit",
    "report_upward",
    "request_crawl",
    "run_checks",
    "similar_outlets",
    "verify_finding",
    "watch_outlet",
]
