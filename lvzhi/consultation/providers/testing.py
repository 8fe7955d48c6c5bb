"""A provider for tests and the browser journey: no network. Its "server" is this one; its script is a stand-in
for Jitsi's external_api.js (static `consultation/fake_external_api.js`) that fires the same join and leave events.
Tokens are signed like Jitsi's, with a fixed test secret."""

import datetime as dt

import jwt
from django.templatetags.static import static

from .base import JoinInfo, VideoProvider

TEST_SECRET = "consultation-test-secret-0123456789abcdef"  # noqa: S105 - a test backend's fixed key, never a deployment's
TEST_APP_ID = "lvzhi-test"


class TestProvider(VideoProvider):
    name = "test"

    def configured(self) -> bool:
        return True

    def origin(self) -> str:
        return ""  # "self": nothing from outside the server

    def script_url(self) -> str:
        return static("consultation/fake_external_api.js")

    def join(self, *, room, user_id, display_name, moderator, now) -> JoinInfo:
        expires = now + dt.timedelta(minutes=5)
        claims = {
            "aud": "jitsi",
            "iss": TEST_APP_ID,
            "sub": "video.test",
            "room": room,
            "exp": int(expires.timestamp()),
            "moderator": bool(moderator),
            "context": {"user": {"id": str(user_id), "name": display_name, "moderator": bool(moderator)}},
        }
        return JoinInfo(
            "video.test", room, jwt.encode(claims, TEST_SECRET, algorithm="HS256"), display_name, moderator, expires
        )
