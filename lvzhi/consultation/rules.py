"""The remote-consultation limits (seed 000 art. 5.3, S0-5.3).

A department files its application for the video-conference system at the latest 3 working days before the
meeting: at least 3 working days after the application day up to and including the meeting day. The 3 is a floor: a
body may ask for more notice, never less.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

NOTICE_DAYS = "consultation.application_notice_working_days"
NOTICE_FLOOR = 3

register(
    NOTICE_DAYS,
    NOTICE_FLOOR,
    _("Working days before a meeting that a department applies for the video-conference system (at least 3)"),
    minimum=NOTICE_FLOOR,
    maximum=30,
    meaning=_("Art. 5.3: a department applies to the information office at the latest 3 working days before."),
)

PAGE_SIZE = 20
TITLE_MAX = 100
AGENDA_MAX = 2000
NOTE_MAX = 500
DURATION_MIN, DURATION_MAX = 15, 480
INVITEES_MAX = 500
OPENS_MINUTES_BEFORE = 30  # the room opens half an hour before the start
CLOSES_MINUTES_AFTER = 60  # and closes an hour after the planned end
