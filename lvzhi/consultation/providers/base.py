"""The interface of a video provider (see `__init__.py` for how one is chosen)."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class JoinInfo:
    """What the meeting page and the API hand to one participant to enter the room."""

    domain: str  # the video server's host (for the embedding script)
    room: str
    token: str  # short-lived, for this participant only
    display_name: str
    moderator: bool
    expires_at: dt.datetime


class VideoProvider:
    """A backend answers: is it configured, which single origin serves its script and frames, and a join token."""

    name = "base"

    def configured(self) -> bool:
        raise NotImplementedError

    def origin(self) -> str:
        """The one origin (scheme://host[:port]) the meeting page may load scripts and frames from."""
        raise NotImplementedError

    def script_url(self) -> str:
        """The embedding script (Jitsi: external_api.js), served from `origin()` or from this server."""
        raise NotImplementedError

    def join(self, *, room: str, user_id: int, display_name: str, moderator: bool, now: dt.datetime) -> JoinInfo:
        raise NotImplementedError
