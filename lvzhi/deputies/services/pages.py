"""The office keeps each deputy's public page: what it says and which fields the public sees (S4-2.2.1)."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.uploads import clean_image, delete_on_commit, store_file
from lvzhi.core.validation import clean_text

from .. import permissions as perm
from .. import rules
from ..models import DeputyPage, Station


def _station(body, station_id):
    if not station_id:
        return None
    station = Station.objects.filter(pk=station_id, body=body, is_active=True).first()
    if station is None:
        raise ValidationFailed(_("Choose a contact station of this body."), code="station_invalid")
    return station


@transaction.atomic
def save_page(
    *,
    actor,
    body,
    deputy,
    constituency: str = "",
    election: str = DeputyPage.Election.DIRECT,
    introduction: str = "",
    station_id=None,
    show: dict | None = None,
    is_published: bool = False,
) -> DeputyPage:
    """Create or change the deputy's page in `body`. `show` maps fields of `rules.SHOWABLE` to True/False."""
    if not perm.is_office(actor, body):
        raise NotFound()
    if not has_role(deputy, Role.DEPUTY, body):
        raise ValidationFailed(_("This person is not a deputy of the body."), code="not_a_deputy")
    if election not in DeputyPage.Election.values:
        raise ValidationFailed(_("Choose how the deputy was elected."), code="election_invalid")
    show = {k: bool(v) for k, v in (show or {}).items() if k in rules.SHOWABLE}
    values = {
        "constituency": clean_text(
            constituency, field="constituency", max_length=100, label=_("Constituency"), required=False
        ),
        "election": election,
        "introduction": clean_text(
            introduction, field="introduction", max_length=2000, label=_("Introduction"), required=False, multiline=True
        ),
        "station": _station(body, station_id),
        "show": show,
        "is_published": bool(is_published),
    }
    page, created = DeputyPage.objects.select_for_update().get_or_create(body=body, deputy=deputy, defaults=values)
    before = None if created else {"published": page.is_published, "show": page.show}
    if not created:
        for key, value in values.items():
            setattr(page, key, value)
        page.save()
    record(
        "deputies.page.save",
        actor=actor,
        obj=page,
        org_unit=body,
        before=before,
        after={"published": page.is_published, "show": page.show, "station": page.station_id},
    )
    return page


@transaction.atomic
def set_photo(*, actor, page: DeputyPage, data: bytes) -> DeputyPage:
    if not perm.is_office(actor, page.body):
        raise NotFound()
    image = clean_image(data, max_bytes=rules.PHOTO_MAX_BYTES)
    if page.photo:
        delete_on_commit(page.photo)
    store_file(page.photo, f"deputy-{page.pk}.{image.ext}", image.data)
    page.save(update_fields=["photo", "updated_at"])
    record("deputies.page.photo", actor=actor, obj=page, org_unit=page.body)
    return page
