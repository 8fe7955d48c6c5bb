"""`lvzhi tick`: the periodic jobs, run every minute by cron or a systemd timer.

Modules add jobs with `register_tick_job(name, fn)` (from their AppConfig.ready() or from a module
`<app>/tick_jobs.py`, which `run_tick` imports). A job is `fn(now) -> int | None` (how much it did) and must be
idempotent and safe to run twice at once: claim work with a conditional UPDATE. One failing job does not stop
the others.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string

logger = logging.getLogger("lvzhi.tick")

_JOBS: dict[str, Callable | str] = {
    # Built in, by dotted path so that core imports no app.
    "notify.retry_deliveries": "lvzhi.notify.delivery.retry_due_deliveries",
    "core.forget_idempotency_keys": "lvzhi.core.idempotency.forget_old_keys",
    "core.rollup": "lvzhi.core.rollup.refresh_recent",
    "core.purge_shared_cache": "lvzhi.core.cache.purge_expired",
}


def register_tick_job(name: str, fn: Callable | str) -> None:
    """Add (or replace) the job `name`; `fn` is a callable or its dotted path."""
    _JOBS[name] = fn


def tick_jobs() -> dict[str, Callable | str]:
    return dict(_JOBS)


def run_tick(now: dt.datetime | None = None, *, only: list[str] | None = None) -> dict[str, object]:
    """Run every registered job (or those named in `only`) once; return {name: result or "error: …"}."""
    try:
        autodiscover_modules("workflows", "tick_jobs")
    except Exception:  # noqa: BLE001  (a broken module is logged; the other jobs still run)
        logger.exception("importing the workflows and tick jobs failed")
    now = now or timezone.now()
    results: dict[str, object] = {}
    for name, fn in list(_JOBS.items()):
        if only and name not in only:
            continue
        try:
            job = import_string(fn) if isinstance(fn, str) else fn
            results[name] = job(now)
        except Exception as exc:  # noqa: BLE001  (one broken job must not stop the others)
            logger.exception("tick job %s failed", name)
            results[name] = f"error: {exc}"
    return results
