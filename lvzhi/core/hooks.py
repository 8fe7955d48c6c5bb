"""Named hooks: how a lower layer tells higher layers that something happened, without importing them and without
Django signals (ARCHITECTURE: no signals for domain logic).

    # the listener, in its AppConfig.ready():
    hooks.register("accounts.signed_in", "lvzhi.content.services.record_sign_in_hook")
    # the owner, where the thing happens (after commit if it must not be undone):
    hooks.fire("accounts.signed_in", user=user, at=now, channel="web")

A listener is a callable or its dotted path (imported on first use, so registering imports nothing); it is called
with the keyword arguments of `fire`, in the order registered, in the same thread. An exception in a listener
propagates to the caller of `fire`. Registering the same listener twice under a name has no further effect.

Hooks in use (add yours here):
- `accounts.signed_in(user, at, channel)`: a password login was committed (web or API).
- `content.published(entry, article)`: an article went live (in the publication's transaction); `entry` is its
  `RegisterEntry`. Listened to by `lvzhi.monitoring` (the outlets' item log).
- `content.live_changed(body_id, column_id)`: an article went live or left the public (after commit; the portal's
  page cache listens).
- `core.rollup.recounted(source, body_id, unit_id, day)` / `core.rollup.rebuilt(source, since)`: buckets of the
  general daily roll-up were recounted (in the transaction). Listened to by `lvzhi.dashboards.monthly` (its monthly
  sums of the daily counts, for province-wide reads).
- `workflow.deadlines_changed(content_type, object_id, before)`: deadlines of one object were opened, closed, paused,
  resumed or moved (in the transaction; `before` = `workflow.services.deadline_keys` read before the change).
  Listened to by `lvzhi.dashboards.rollup` (the on-time roll-up).
"""

from collections.abc import Callable

from django.utils.module_loading import import_string

_hooks: dict[str, list[Callable | str]] = {}


def register(name: str, listener: Callable | str) -> None:
    listeners = _hooks.setdefault(name, [])
    if listener not in listeners:
        listeners.append(listener)


def listeners(name: str) -> list[Callable]:
    found = []
    for listener in _hooks.get(name, ()):
        found.append(import_string(listener) if isinstance(listener, str) else listener)
    return found


def fire(name: str, **kwargs) -> None:
    for listener in listeners(name):
        listener(**kwargs)
