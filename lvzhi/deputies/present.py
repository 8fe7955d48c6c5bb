"""What the public sees of a deputy (one presenter for the page and the API): only the fields the office switched
on, never a phone number, ID-card number or address of the deputy."""

from django.utils.translation import gettext as _

from . import disclosure


def deputy_page(page, year: int, *, contact_counts: dict | None = None) -> dict:
    fields = disclosure.shown(page)
    profile = disclosure.profile_of(page)
    view = {
        "id": page.pk,
        "name": page.deputy.real_name,
        "body": page.body.name,
        "election": page.get_election_display(),
        "has_photo": "photo" in fields and bool(page.photo),
        "fields": sorted(fields),
    }
    if "constituency" in fields:
        view["constituency"] = page.constituency
    if "delegation" in fields:
        view["delegation"] = profile.delegation.name if profile and profile.delegation_id else ""
    if "committee" in fields:
        view["committee"] = profile.committee.name if profile and profile.committee_id else ""
    if "workplace" in fields:
        view["workplace"] = profile.workplace if profile else ""
    if "station" in fields and page.station_id:
        view["station"] = {"id": page.station_id, "name": page.station.name, "address": page.station.address}
    if "introduction" in fields:
        view["introduction"] = page.introduction
    view["performance"] = disclosure.performance(page, year, contact_counts=contact_counts)
    view["performance"].pop("fields", None)
    view["title"] = _("Deputy %(name)s") % {"name": page.deputy.real_name}
    return view
