"""Avatars and scanned agreements are stored through `core.uploads.store_file`: a registration failing after the
images were written rolls back and the request leaves no file behind (finding 5, residual information)."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from freezegun import freeze_time

from lvzhi.core import uploads
from lvzhi.newmedia.models import Outlet
from lvzhi.newmedia.services import common, registry

from .conftest import png, register


class Boom(Exception):
    pass


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-7", "S4-2.4")
def test_a_registration_that_fails_after_storing_its_images_leaves_no_file(w, monkeypatch):
    names = []
    real_store = common.store_file

    def remember(fieldfile, name, data):
        names.append(real_store(fieldfile, name, data))
        return names[-1]

    def fail(**kwargs):
        assert all(default_storage.exists(n) for n in names)  # written before the failure
        raise Boom

    monkeypatch.setattr(common, "store_file", remember)
    monkeypatch.setattr(registry, "open_filing", fail)
    with pytest.raises(Boom):
        register(w, undertaking_unit="江海传媒公司", agreement=png(), agreement_expires=dt.date(2027, 6, 1),
                 avatar=png((1, 2, 3)))  # fmt: skip
    assert len(names) == 2
    assert uploads.discard_uncommitted() == 2  # what the middleware does when the request ends
    assert not any(default_storage.exists(n) for n in names)
    assert not Outlet.objects.exists()


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-7", "S4-2.4")
def test_a_committed_registration_keeps_its_images(w):
    outlet = register(w, undertaking_unit="江海传媒公司", agreement=png(), agreement_expires=dt.date(2027, 6, 1),
                      avatar=png((1, 2, 3)))  # fmt: skip
    assert uploads.discard_uncommitted() == 0
    assert default_storage.exists(outlet.agreement.name) and default_storage.exists(outlet.avatar.name)
    assert outlet.avatar_sha256
