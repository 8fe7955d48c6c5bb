"""The writes of the public messages, one module per use case; every public name is re-exported here."""

from .codes import captcha_for, captcha_required, check_code, issue_code, phone_key, posted_captcha, request_code
from .controls import admit, control_of, set_feature
from .handling import answer_letter, close_letter, decline_letter, forward_letter, pass_on, tell_writer
from .publication import propose_public_reply, review_publication
from .writing import write_letter

__all__ = [
    "admit",
    "answer_letter",
    "captcha_for",
    "captcha_required",
    "check_code",
    "close_letter",
    "control_of",
    "decline_letter",
    "forward_letter",
    "pass_on",
    "phone_key",
    "posted_captcha",
    "propose_public_reply",
    "request_code",
    "issue_code",
    "review_publication",
    "set_feature",
    "tell_writer",
    "write_letter",
]
