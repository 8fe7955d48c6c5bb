"""Parsing the registration and proposal forms into service arguments (the services clean and check)."""

from lvzhi.core.params import query_date, query_int

from .models import Duty


def parse_date(value):
    return query_date(value)  # a malformed date is a missing date: the service says so


def people_from(post) -> dict:
    return {d.value: [i for i in post.getlist(d.value)[:20] if str(i).isdigit()] for d in Duty}


def registration(post, files, units) -> dict:
    unit_id = query_int(post.get("host_unit"))
    unit = next((u for u in units if u.pk == unit_id), None)
    return {
        "host_unit": unit,
        "platform": post.get("platform", ""),
        "name": post.get("name", ""),
        "verification_subject": post.get("verification_subject", ""),
        "account_id": post.get("account_id", ""),
        "url": post.get("url", ""),
        "undertaking_unit": post.get("undertaking_unit", ""),
        "agreement_expires": parse_date(post.get("agreement_expires")),
        "agreement": files.get("agreement"),
        "avatar": files.get("avatar"),
        "decision_date": parse_date(post.get("decision_date")),
        "decision_ref": post.get("decision_ref", ""),
        "head_consent": post.get("head_consent") == "on",
        "people": people_from(post),
    }


def proposal(post, outlet) -> dict:
    changes = {k: post.get(k, "") for k in ("name", "account_id", "url") if post.get(k)}
    unit_id = query_int(post.get("host_unit"))
    if unit_id and unit_id != outlet.host_unit_id:
        changes["host_unit"] = unit_id
    return {
        "kind": post.get("kind", ""),
        "decision_date": parse_date(post.get("decision_date")),
        "decision_ref": post.get("decision_ref", ""),
        "head_consent": post.get("head_consent") == "on",
        "reason": post.get("reason", ""),
        "changes": changes,
        "merge_id": query_int(post.get("merge_into")),
    }
