"""A city government with two departments, their websites and accounts in the registry, the monitoring roles
(host-unit operators, the competent office), and another city whose people see nothing."""

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import lvzhi.urls  # noqa: F401  (the API schemas are built before any test freezes the clock)
from lvzhi.accounts.roles import Role
from lvzhi.monitoring.models import Watch
from lvzhi.newmedia.models import Outlet, Status
from lvzhi.orgs.models import BodyType, UnitKind
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


def outlet(body, unit, platform, name, url=""):
    return Outlet.objects.create(
        body=body, platform=platform, name=name, verification_subject=unit.name, host_unit=unit,
        competent_office=body, status=Status.OPEN, url=url,
    )  # fmt: skip


def build_world():
    w = World()
    w.body = make_body("江海市人民政府", body_type=BodyType.GOVERNMENT)
    w.housing = make_unit(w.body, "市住建局", kind=UnitKind.HANDLING_UNIT)
    w.edu = make_unit(w.body, "市教育局", kind=UnitKind.HANDLING_UNIT)
    w.op = make_user(w.housing, roles=[Role.NM_OPERATOR], real_name="蒋运营")
    w.edu_op = make_user(w.edu, roles=[Role.NM_OPERATOR], real_name="沈教育")
    w.staff = make_user(w.housing, roles=[Role.STAFF], real_name="普通干部")
    w.office = make_user(w.body, roles=[Role.NM_COMPETENT], real_name="邱主管")
    w.sysadmin = make_user(w.body, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.body2 = make_body("西山市人民政府", body_type=BodyType.GOVERNMENT)
    w.dept2 = make_unit(w.body2, "西山市文旅局", kind=UnitKind.HANDLING_UNIT)
    w.office2 = make_user(w.body2, roles=[Role.NM_COMPETENT], real_name="西山主管")
    w.op2 = make_user(w.dept2, roles=[Role.NM_OPERATOR], real_name="西山运营")
    w.site = outlet(w.body, w.housing, "site", "江海市住建局网站", "http://127.0.0.1:1/")
    w.wechat = outlet(w.body, w.housing, "wechat", "住建之声")
    w.edu_wechat = outlet(w.body, w.edu, "wechat", "教育之窗")
    w.other = outlet(w.body2, w.dept2, "wechat", "西山文旅")
    return w


@pytest.fixture
def w(db):
    return build_world()


def watch(o, since=dt.date(2026, 9, 1), **kw):
    return Watch.objects.create(outlet=o, since=since, **kw)


class Site:
    """A local website on 127.0.0.1 (a threaded http.server): `pages` maps a path to (status, content type, body)."""

    def __init__(self, pages):
        self.pages = pages
        self.hits = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits.append(self.path)
                status, kind, body = site.pages.get(self.path, (404, "text/html", "<h1>404</h1>"))
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    sites = []

    def start(pages):
        site = Site(pages).__enter__()
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.__exit__()
