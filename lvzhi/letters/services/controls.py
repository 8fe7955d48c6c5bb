"""Abuse controls per feature and body (S2-31): a body's office restricts or switches off a public feature and sets
its rate limits; each change is a security assessment record with the reasons, audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.cache import hit
from lvzhi.core.errors import NotFound, RateLimited, ValidationFailed
from lvzhi.core.validation import clean_text

from .. import permissions as perm
from .. import rules
from ..models import Feature, FeatureControl, SecurityRecord

State = FeatureControl.State


def control_of(body, feature: str) -> FeatureControl:
    """The body's control of `feature` (the nearest body above that set one, else the platform's defaults)."""
    ids = [body.pk, *body.ancestor_ids()]
    found = FeatureControl.objects.filter(body_id__in=ids, feature=feature).select_related("body")
    found = sorted(found, key=lambda c: len(c.body.path), reverse=True)
    if found:
        return found[0]
    return FeatureControl(body=body, feature=feature)


def _bounded(value, maximum: int, field: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), code=f"{field}_invalid") from None
    if n < 1 or n > maximum:
        raise ValidationFailed(_("Enter a number between 1 and %(n)d.") % {"n": maximum}, code=f"{field}_out_of_range")
    return n


@transaction.atomic
def set_feature(
    *, actor, body, feature: str, state: str, per_number_per_day, per_ip_per_hour, assessment: str
) -> FeatureControl:
    if not perm.is_office(actor, body):
        raise NotFound()
    if feature not in Feature.values:
        raise ValidationFailed(_("Choose a feature."), code="feature_invalid")
    if state not in State.values:
        raise ValidationFailed(_("Choose how the feature runs."), code="state_invalid")
    per_number = _bounded(per_number_per_day, rules.MAX_PER_NUMBER_PER_DAY, "per_number_per_day")
    per_ip = _bounded(per_ip_per_hour, rules.MAX_PER_IP_PER_HOUR, "per_ip_per_hour")
    text = clean_text(assessment, field="assessment", max_length=2000, label=_("Security assessment"), multiline=True)
    control, _created = FeatureControl.objects.select_for_update().get_or_create(body=body, feature=feature)
    before = {"state": control.state, "per_number": control.per_number_per_day, "per_ip": control.per_ip_per_hour}
    control.state, control.per_number_per_day, control.per_ip_per_hour = state, per_number, per_ip
    control.save()
    SecurityRecord.objects.create(
        body=body,
        feature=feature,
        state=state,
        per_number_per_day=per_number,
        per_ip_per_hour=per_ip,
        assessment=text,
        actor=actor,
    )
    record(
        "letters.feature.set",
        actor=actor,
        obj=control,
        org_unit=body,
        before=before,
        after={"feature": feature, "state": state, "per_number": per_number, "per_ip": per_ip},
    )
    return control


def admit(*, body, feature: str, phone_key: str, ip: str) -> FeatureControl:
    """Refuse a submission when the feature is off or a limit is reached; returns the control in force. A
    restricted feature allows one submission per number a day."""
    control = control_of(body, feature)
    if control.state == State.OFF:
        raise ValidationFailed(_("This service is switched off for now."), code="feature_off")
    per_number = 1 if control.state == State.RESTRICTED else control.per_number_per_day
    scope = f"{feature}:{body.pk}"
    if hit(f"letters:ip:{scope}:{ip or '-'}", window_seconds=3600) > control.per_ip_per_hour:
        raise RateLimited(_("Too many messages from this address; please try again in an hour."), code="rate_limited")
    if hit(f"letters:number:{scope}:{phone_key}", window_seconds=86400) > per_number:
        raise RateLimited(
            _("Too many messages from this number today; please try again tomorrow."), code="rate_limited"
        )
    return control
