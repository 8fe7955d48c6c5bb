"""Every write of the new-media module, one module per use case; the public names are re-exported here.

- registry: `register_outlet`, `open_filing`, `decide_name`, `set_in_matrix`
- filings: `propose` (change, closing, cancellation), `file_filing`, `reject_filing`, `accept_filing`,
  `report_filing`, `apply_due_notices`, `notice_dates`
"""

from .filings import accept_filing, apply_due_notices, file_filing, notice_dates, propose, reject_filing, report_filing
from .registry import decide_name, open_filing, register_outlet, set_in_matrix

__all__ = [
    "accept_filing",
    "apply_due_notices",
    "decide_name",
    "file_filing",
    "notice_dates",
    "open_filing",
    "propose",
    "register_outlet",
    "reject_filing",
    "report_filing",
    "set_in_matrix",
]
