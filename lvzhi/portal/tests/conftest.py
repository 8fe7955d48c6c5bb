import pytest

from lvzhi.accounts.roles import Role
from lvzhi.content import services as content
from lvzhi.content.models import Column
from lvzhi.content.tests.conftest import CHECKLIST_OK
from lvzhi.orgs.models import BodyType, Level, UnitFunction, UnitKind
from lvzhi.portal import services
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


@pytest.fixture
def w(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "rd.jianghai.test", "rd.xishan.test", "unknown.test"]
    w = World()
    w.city = make_body("江海市人大常委会", body_type=BodyType.CONGRESS)
    w.office = make_unit(w.city, "办公厅", function=UnitFunction.GENERAL_OFFICE)
    w.law = make_unit(w.city, "法制委员会", kind=UnitKind.COMMITTEE)
    w.county = make_body("西山县人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS, parent=w.city)
    w.county_office = make_unit(w.county, "办公室", function=UnitFunction.GENERAL_OFFICE)
    w.township = make_body("青石镇人大", level=Level.TOWNSHIP, body_type=BodyType.CONGRESS, parent=w.county)
    w.township_office = make_unit(w.township, "人大办", function=UnitFunction.GENERAL_OFFICE)
    w.author = make_user(w.office, roles=[Role.STAFF], real_name="办公厅干部")
    w.reviewer = make_user(w.office, roles=[Role.STAFF], real_name="办公厅审核")
    w.head = make_user(w.office, roles=[Role.HEAD], real_name="办公厅主任")
    w.publisher = make_user(w.office, roles=[Role.HEAD], real_name="办公厅副主任")
    w.clerk = make_user(w.law, roles=[Role.STAFF], real_name="法工委干部")
    w.county_clerk = make_user(w.county_office, roles=[Role.STAFF], real_name="县办干部")
    w.deputy = make_user(w.city, roles=[Role.DEPUTY], real_name="代表甲")
    w.city_site = services.install_site(body=w.city, code="jianghai", name="江海人大", host="rd.jianghai.test")
    w.county_site = services.install_site(
        body=w.county, code="xishan", name="西山人大", host="rd.xishan.test", colour="#1d4e89",
        townships=[w.township],
    )  # fmt: skip
    return w


def publish(actor_w, body, code, title, *, text="<p>正文。</p>"):
    """An article through the column's approval chain: draft → review → approve → publish (S4-2.4)."""
    w = actor_w
    column = Column.objects.get(body=body, code=code)
    staff = {w.city: (w.author, w.reviewer, w.head, w.publisher)}.get(body)
    if staff is None:
        office = column.owners.first()
        staff = (
            make_user(office, roles=[Role.STAFF]), make_user(office, roles=[Role.STAFF]),
            make_user(office, roles=[Role.HEAD]), make_user(office, roles=[Role.HEAD]),
        )  # fmt: skip
    author, reviewer, head, publisher = staff
    article = content.create_draft(actor=author, column=column, title=title, body_html=text)
    article = content.submit(actor=author, article=article)
    for actor in (reviewer, head):
        if article.status == "in_review":
            article = content.decide(
                actor=actor, article=article, approve=True, checklist=CHECKLIST_OK, secrecy_reviewed=True,
                findings_accepted=True,
            )  # fmt: skip
    return content.publish(actor=publisher, article=article)
