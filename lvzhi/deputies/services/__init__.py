"""The writes of deputies' pages, stations, reception days, contact records and group channels; one module per use
case, every public name re-exported here."""

from .channels import moderate_post, open_channel, post_as_deputy, post_as_public
from .contacts import record_contact, reply_contact
from .pages import save_page, set_photo
from .stations import (
    add_station_deputy,
    announce_reception,
    book_reception,
    cancel_reception,
    mark_booking,
    save_station,
)

__all__ = [
    "add_station_deputy",
    "announce_reception",
    "book_reception",
    "cancel_reception",
    "mark_booking",
    "moderate_post",
    "open_channel",
    "post_as_deputy",
    "post_as_public",
    "record_contact",
    "reply_contact",
    "save_page",
    "save_station",
    "set_photo",
]
