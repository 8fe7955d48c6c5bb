"""The writes of the portal, one module per use case; every public name is re-exported here."""

from .drafts import comment, comment_period, create_draft, moderate, publish_draft, publish_report, record_adoption
from .sites import install_site, live_changed, update_site
from .topics import answer_topic, close_topic, propose_topic
from .verification import captcha_required, check_code, new_captcha, send_code

__all__ = [
    "answer_topic",
    "captcha_required",
    "check_code",
    "close_topic",
    "comment",
    "comment_period",
    "create_draft",
    "install_site",
    "live_changed",
    "moderate",
    "new_captcha",
    "propose_topic",
    "publish_draft",
    "publish_report",
    "record_adoption",
    "send_code",
    "update_site",
]
