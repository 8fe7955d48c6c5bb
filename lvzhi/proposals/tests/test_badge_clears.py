"""The message badge clears when the user acts on the item a message points to (issue 10 item 11, S0-16)."""

import re

import pytest

from lvzhi.notify.models import Message
from lvzhi.notify.selectors import unread_count
from lvzhi.notify.services import notify
from lvzhi.proposals import services
from lvzhi.testing import login

from .conftest import submitted

pytestmark = pytest.mark.django_db


def badge(client) -> int:
    found = re.search(r'data-testid="unread-count">(\d+)<', client.get("/inbox/badge/").content.decode())
    return int(found.group(1)) if found else 0


@pytest.mark.req("S0-16")
def test_taking_a_step_on_the_item_reads_the_messages_about_it_and_only_those(
    client, w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the cached count (Redis) is dropped on commit
        item = submitted(w)
        other = submitted(w, title="关于优化公交线网的建议")
    about_item = Message.objects.filter(recipient=w.clerk, object_id=str(item.pk), read_at__isnull=True)
    assert about_item.count() == 1  # "new suggestion to review", sent on submission
    with django_capture_on_commit_callbacks(execute=True):
        notify([w.clerk], title="另请关注", link=f"/proposals/{item.pk}/")  # points to it by its link only
        notify([w.clerk2], title="同事的消息", obj=item)  # a colleague's message about the same item
    login(client, w.clerk)
    before = badge(client)
    assert before == unread_count(w.clerk) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(actor=w.clerk, proposal=item)
    assert about_item.count() == 0
    assert not Message.objects.filter(recipient=w.clerk, title="另请关注", read_at__isnull=True).exists()
    assert badge(client) == 1  # the message about the other item stays unread
    assert Message.objects.filter(recipient=w.clerk, object_id=str(other.pk), read_at__isnull=True).count() == 1
    assert Message.objects.filter(recipient=w.clerk2, read_at__isnull=True).count() >= 2  # not the colleague's
    # a step that fails reads nothing
    with pytest.raises(Exception):  # noqa: B017, PT011  (already accepted: a Conflict)
        services.accept(actor=w.clerk2, proposal=item)
    assert Message.objects.filter(recipient=w.clerk2, object_id=str(item.pk), read_at__isnull=True).count() >= 1
