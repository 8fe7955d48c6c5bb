"""The validation kit: every text and identifier a user sends is cleaned here, at the door.

One error-code convention for every app and the API: `<field>_required`, `<field>_too_long`, `<field>_invalid`.
Over-long text is refused with a message naming the limit, never cut silently.
"""

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed

# C0 controls except TAB/LF/CR, DEL, C1 controls. NUL breaks PostgreSQL; ESC/BEL break Excel exports and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides and isolates: they make a text read differently from what it holds.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing: a text made only of these (and spaces) is empty.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u3164\u115f\u1160]+")


def text_problem(value: str) -> str | None:
    """'control' or 'bidi' when the text holds a character we refuse, else None."""
    if _CONTROL.search(value):
        return "control"
    if _BIDI.search(value):
        return "bidi"
    return None


def clean_text(
    value,
    *,
    field: str,
    max_length: int,
    label: str = "",
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Trimmed text or a `ValidationFailed` with code `<field>_required|_too_long|_invalid`.

    One-line text has its runs of white space folded to one space; multi-line text keeps its lines (CRLF → LF).
    Refuses control characters (NUL, ESC, BEL…), bidi overrides and text made only of invisible characters.
    `label` names the field in the message (e.g. _("The title")); without it the message is generic.
    """
    text = "" if value is None else str(value)
    problem = text_problem(text)
    if problem == "control":
        raise ValidationFailed(
            _("%(field)s contains control characters, which are not allowed.") % {"field": label or _("The text")},
            code=f"{field}_invalid",
        )
    if problem == "bidi":
        raise ValidationFailed(
            _("%(field)s contains text-direction control characters, which are not allowed.")
            % {"field": label or _("The text")},
            code=f"{field}_invalid",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip() if multiline else " ".join(text.split())
    if not _INVISIBLE.sub("", text):
        if required:
            raise ValidationFailed(
                _("%(field)s is required.") % {"field": label or _("This field")}, code=f"{field}_required"
            )
        return ""
    if len(text) > max_length:
        raise ValidationFailed(
            _("%(field)s may have at most %(n)s characters; it has %(len)s.")
            % {"field": label or _("The text"), "n": max_length, "len": len(text)},
            code=f"{field}_too_long",
        )
    return text


def safe_text(value, *, max_length: int, multiline: bool = False) -> str:
    """Text the platform composes from stored values (message titles and bodies, SMS, e-mail subjects): cleaned like
    `clean_text` but never refused — control and bidi characters are dropped, one-line text is folded (no line
    breaks in an e-mail subject), and over-long text is cut with an ellipsis. Old data can never break a message."""
    text = _BIDI.sub("", _CONTROL.sub("", "" if value is None else str(value)))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip() if multiline else " ".join(text.split())
    return text if len(text) <= max_length else text[: max(max_length - 1, 0)] + "…"


def safe_query(value, *, max_length: int = 100) -> str:
    """A search or filter string from a URL: control and bidi characters dropped, folded, cut to `max_length`.

    Queries are not stored, so they are made harmless rather than refused (a NUL must never reach the database).
    """
    text = _BIDI.sub("", _CONTROL.sub("", "" if value is None else str(value)))
    return " ".join(text.split())[:max_length]


# ---- identifiers ---------------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _birth_date_ok(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def valid_id_card(number: str, *, allow_old: bool = True) -> bool:
    """A resident ID-card number (GB 11643): 18 characters, a valid birth date and check digit.

    With `allow_old`, an old 15-digit number with a valid birth date (19YYMMDD) passes too: screening looks for
    those in texts; registering a person needs the 18-character number.
    """
    number = (number or "").upper()
    if len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        if number[0] == "0" or not _birth_date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return False
        total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == number[17]
    if allow_old and len(number) == 15 and number.isdigit():
        return number[0] != "0" and _birth_date_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def clean_id_card(value, *, field: str = "id_card", required: bool = False) -> str:
    """An 18-character resident ID-card number (upper-case X) with a valid check digit and birth date, or ''."""
    number = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().upper()
    if not number:
        if required:
            raise ValidationFailed(_("The ID-card number is required."), code=f"{field}_required")
        return ""
    if not valid_id_card(number, allow_old=False):
        raise ValidationFailed(
            _("Enter a valid 18-character resident ID-card number (check the birth date and the last digit)."),
            code=f"{field}_invalid",
        )
    return number


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def clean_mobile(value, *, field: str = "phone", required: bool = True) -> str:
    """A mainland mobile number: 11 digits starting 13–19 (spaces, dashes and a +86 prefix are removed)."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    digits = re.sub(r"[\s\-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        if required:
            raise ValidationFailed(_("The mobile number is required."), code=f"{field}_required")
        return ""
    if not _MOBILE.match(digits):
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code=f"{field}_invalid")
    return digits
