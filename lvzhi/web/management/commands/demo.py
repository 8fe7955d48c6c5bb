"""`lvzhi demo`: load the invented demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from lvzhi.web.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_logins, load_demo


class Command(BaseCommand):
    help = "Load the demo data (invented people and bodies; safe to run again) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-table", action="store_true", help="Do not print the table of logins.")

    def handle(self, *args, **options):
        translation.activate("zh-hans")
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS(_("Demo data loaded: %(n)d records created.") % {"n": created}))
        else:
            self.stdout.write(self.style.SUCCESS(_("Demo data already present; nothing changed.")))
        if options["quiet_table"]:
            return
        rows = demo_logins()
        widths = {key: max(_width(str(r[key])) for r in rows) for key in ("role", "name", "phone", "body", "unit")}
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        for row in rows:
            line = "  ".join(_pad(str(row[key]), widths[key]) for key in ("role", "name", "phone", "body", "unit"))
            if row["note"] == "TOTP":
                line += "  " + _("2FA: demo TOTP")
            elif row["note"] == "sign-off":
                line += "  " + _("signs reply letters off")
            elif row["note"] == "added":
                line += "  " + _("staffs an approval step")
            elif row["note"]:
                line += "  " + _("must change the password at first login")
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            _("Administrators' TOTP secret (DEMO ONLY, never in production): %(secret)s") % {"secret": DEMO_TOTP_SECRET}
        )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
