"""Video providers: where a meeting's room lives. The module only speaks to `VideoProvider` (base.py).

`LVZHI_VIDEO_PROVIDER` names the backend: "jitsi" (the deployment's own Jitsi Meet, the default), "test" (no
network, for tests and the browser journey), or the dotted path of any `VideoProvider` subclass — a second backend is
added by writing that class, without touching this module.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import JoinInfo, VideoProvider

BACKENDS = {
    "jitsi": "lvzhi.consultation.providers.jitsi.JitsiProvider",
    "test": "lvzhi.consultation.providers.testing.TestProvider",
}


def get_provider() -> VideoProvider:
    name = getattr(settings, "LVZHI_VIDEO_PROVIDER", "jitsi") or "jitsi"
    return import_string(BACKENDS.get(name, name))()


__all__ = ["JoinInfo", "VideoProvider", "get_provider"]
