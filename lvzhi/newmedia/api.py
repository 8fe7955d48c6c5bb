"""The new-media API at /api/v1/newmedia (bearer token or session): the matrix, one account, registering an
account, one filing with its steps (the step table `actions`), the provincial form (S1-A) and the accountability
list. Errors are `{"code", "message"}`; what a user may not see answers 404."""

from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_date, query_int
from lvzhi.orgs.models import OrgUnit

from . import actions, present, selectors, services
from . import permissions as perm

router = Router(tags=["newmedia"], auth=token_auth)


class NewmediaStepIn(Schema):
    text: str = ""


class RegisterIn(Schema):
    host_unit: int
    platform: str
    name: str
    verification_subject: str
    decision_date: str = ""  # YYYY-MM-DD (a string: the schema must not depend on the date class)
    decision_ref: str = ""
    head_consent: bool = False
    account_id: str = ""
    url: str = ""
    people: dict[str, list[int]] = {}


def _registry_user(request):
    if not perm.is_registry_user(request.user):
        raise NotFound()


def _unit_row(row) -> dict:
    return {
        "unit": row["unit"].name,
        "unit_id": row["unit"].pk,
        "outlets": [present.outlet_dict(o) for o in row["outlets"]],
    }


@router.get("/outlets")
def outlets(request, page: int = 1):
    _registry_user(request)
    page_obj, table = selectors.matrix(request.user, page=page)
    return {
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "units": [
            {
                "unit": row["unit"].name,
                "unit_id": row["unit"].pk,
                "outlets": [present.outlet_dict(o) for o in row["outlets"]],
            }
            for row in table
        ],
    }


@router.get("/outlets/{outlet_id}")
def outlet(request, outlet_id: int):
    obj = selectors.access_outlet(request.user, outlet_id)
    data = present.outlet_dict(obj)
    data["people"] = [
        {"duty": p.duty, "name": p.user.real_name} for p in obj.people.select_related("user").order_by("duty", "pk")
    ]
    data["filings"] = [f.pk for f in selectors.filings_of(obj)]
    return data


@router.post("/outlets")
def register(request, payload: RegisterIn):
    unit_id = query_int(payload.host_unit)
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    data = payload.dict()
    data.pop("host_unit")
    data["decision_date"] = query_date(payload.decision_date)
    obj = services.register_outlet(actor=request.user, host_unit=unit, **data)
    return present.outlet_dict(obj)


@router.get("/filings/{filing_id}")
def filing(request, filing_id: int):
    obj = selectors.access_filing(request.user, filing_id)
    data = present.filing_dict(obj, actions.available_actions(request.user, obj))
    data["history"] = present.history(obj)
    return data


@router.post("/filings/{filing_id}/steps/{name}")
def filing_step(request, filing_id: int, name: str, payload: NewmediaStepIn):
    obj = selectors.access_filing(request.user, filing_id)
    actions.perform(actor=request.user, obj=obj, name=name, data=payload.dict())
    obj = selectors.access_filing(request.user, filing_id)
    return present.filing_dict(obj, actions.available_actions(request.user, obj))


@router.get("/filings/{filing_id}/form")
def filing_form(request, filing_id: int):
    return present.form_json(selectors.access_filing(request.user, filing_id))


@router.get("/accountability")
def accountability(request, page: int = 1):
    _registry_user(request)
    page_obj = selectors.accountability(request.user, page=page)
    return {
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "outlets": [present.outlet_dict(o) for o in page_obj],
    }
