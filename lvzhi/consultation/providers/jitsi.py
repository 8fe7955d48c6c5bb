"""The deployment's own Jitsi Meet with token authentication (prosody `mod_auth_token`, shared secret, HS256).

Settings: `LVZHI_JITSI_URL` (e.g. https://meet.example.gov.cn), `LVZHI_JITSI_APP_ID`, `LVZHI_JITSI_APP_SECRET`,
`LVZHI_JITSI_TOKEN_MINUTES`. Claims (Jitsi's token conventions): aud "jitsi", iss the app id, sub the server's
domain, room the room name, exp/nbf/iat, `context.user` {id, name, moderator} and a top-level `moderator` flag (read
by the token-moderation plugin).
"""

import datetime as dt
from urllib.parse import urlsplit

import jwt
from django.conf import settings

from .base import JoinInfo, VideoProvider


class JitsiProvider(VideoProvider):
    name = "jitsi"

    def _url(self):
        return urlsplit((getattr(settings, "LVZHI_JITSI_URL", "") or "").strip())

    def configured(self) -> bool:
        url = self._url()
        return (
            url.scheme in ("https", "http")
            and bool(url.hostname)
            and bool(getattr(settings, "LVZHI_JITSI_APP_ID", ""))
            and bool(getattr(settings, "LVZHI_JITSI_APP_SECRET", ""))
        )

    def domain(self) -> str:
        return self._url().netloc

    def origin(self) -> str:
        url = self._url()
        return f"{url.scheme}://{url.netloc}"

    def script_url(self) -> str:
        return f"{self.origin()}/external_api.js"

    def token_minutes(self) -> int:
        return max(1, min(int(getattr(settings, "LVZHI_JITSI_TOKEN_MINUTES", 10) or 10), 240))

    def join(self, *, room, user_id, display_name, moderator, now) -> JoinInfo:
        expires = now + dt.timedelta(minutes=self.token_minutes())
        claims = {
            "aud": "jitsi",
            "iss": settings.LVZHI_JITSI_APP_ID,
            "sub": self._url().hostname,
            "room": room,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()) - 10,
            "exp": int(expires.timestamp()),
            "moderator": bool(moderator),
            "context": {"user": {"id": str(user_id), "name": display_name, "moderator": bool(moderator)}},
        }
        token = jwt.encode(claims, settings.LVZHI_JITSI_APP_SECRET, algorithm="HS256")
        return JoinInfo(self.domain(), room, token, display_name, bool(moderator), expires)
