"""The validation kit in notify: message titles and bodies, SMS texts and e-mail subjects are made safe — no
control or text-direction characters, no line break in a subject — so stored data can never break a message."""

import pytest

from lvzhi.core.validation import safe_text
from lvzhi.notify import services
from lvzhi.notify.models import Delivery
from lvzhi.testing import make_body, make_user


@pytest.mark.req("S2-34")
@pytest.mark.django_db
def test_messages_sms_and_mail_carry_no_control_characters(django_capture_on_commit_callbacks):
    user = make_user(make_body(), roles=["member"])
    user.email = "m@example.cn"
    user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False):
        [message] = services.notify(
            [user],
            title="标题\u0007\u001b[31m\u202e反\r\n第二行",
            body="第一行\r\n第二行\x00\u202e",
            sms=True,
            email=True,
        )
    message.refresh_from_db()
    assert message.title == "标题[31m反 第二行"
    assert message.body == "第一行\n第二行"
    sms = Delivery.objects.get(channel=Delivery.Channel.SMS)
    mail = Delivery.objects.get(channel=Delivery.Channel.EMAIL)
    assert "\n" not in sms.text and "\x1b" not in sms.text and "\u202e" not in sms.text
    assert mail.subject == "标题[31m反 第二行" and "\n" not in mail.subject
    assert "\x00" not in mail.text


@pytest.mark.req("S2-34")
def test_safe_text_cuts_with_an_ellipsis_and_keeps_lines_only_when_asked():
    assert safe_text("长" * 10, max_length=5) == "长长长长…"
    assert safe_text(" a\n b ", max_length=10) == "a b"
    assert safe_text(" a\r\n b ", max_length=10, multiline=True) == "a\n b"
    assert safe_text(None, max_length=3) == ""
