"""Annual results (S3-13, seed 003 art. 13): the members' work committee's head signs off the year's results; the
export is recorded (its SHA-256, the recipients: the party organisation department and the united-front
department, and the members' employers if chosen) and the year's rules are frozen."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perm
from ..exports import results_workbook
from ..models import Publication, RuleSet
from .scoring import recompute_year, ruleset_for

RECIPIENTS = ("party_organisation", "united_front")


@transaction.atomic
def publish_results(*, actor, body, year: int, to_employers: bool = False) -> tuple[Publication, bytes]:
    liaison = perm.liaison_of(body)
    if liaison is None or not perm.is_head(actor, liaison):
        raise NotFound()
    ruleset = ruleset_for(body, int(year))
    if ruleset is None or ruleset.body_id != body.pk:
        raise ValidationFailed(_("The body has no rules in force for this year."), code="no_rules")
    if ruleset.status == RuleSet.Status.FROZEN:
        raise Conflict(_("The results of this year are already published."), code="already_published")
    stats = recompute_year(body=body, year=int(year), actor=actor)
    data, members = results_workbook(body=body, year=int(year))
    recipients = list(RECIPIENTS) + (["employers"] if to_employers else [])
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                body=body,
                year=int(year),
                ruleset=ruleset,
                recipients=recipients,
                to_employers=to_employers,
                members=members,
                sha256=hashlib.sha256(data).hexdigest(),
                signed_off_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("The results of this year are already published."), code="already_published")
    ruleset.status = RuleSet.Status.FROZEN
    ruleset.save(update_fields=["status"])
    audit(
        "duty.results.publish",
        actor=actor,
        obj=publication,
        org_unit=body,
        after={
            "year": int(year),
            "members": members,
            "sha256": publication.sha256,
            "recipients": recipients,
            "records": stats["records"],
            "ruleset": ruleset.pk,
        },
    )
    return publication, data
