"""Auditing Excel exports of reports."""

from lvzhi.accounts.models import User
from lvzhi.audit.services import record


def log_export(*, actor: User, what: str, count: int, filters: dict | None = None) -> None:
    """An Excel export of reports is audited (who took which list out)."""
    record("opinions.report.export", actor=actor, after={"what": what, "count": count, "filters": filters or {}})
