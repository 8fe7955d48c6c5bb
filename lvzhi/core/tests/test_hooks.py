"""The hook registry (lvzhi.core.hooks): lower layers announce, higher layers listen, no Django signals."""

import pytest

from lvzhi.core import hooks


@pytest.mark.req("S0-20")
def test_register_and_fire_in_order_with_keywords_once_each(monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})
    heard = []

    def first(**kw):
        heard.append(("first", kw))

    hooks.register("x.happened", first)
    hooks.register("x.happened", first)  # twice: still once
    hooks.register("x.happened", "lvzhi.core.tests.test_hooks.second")  # a dotted path, imported when fired
    hooks.fire("x.happened", n=1)
    hooks.fire("nobody.listens", n=2)
    assert heard == [("first", {"n": 1})]
    assert SECOND == [{"n": 1}]


SECOND = []


def second(**kw):
    SECOND.append(kw)


@pytest.mark.req("S0-20")
def test_content_listens_to_the_sign_in_hook_not_a_signal():
    from lvzhi.content.apps import _record_sign_in

    assert _record_sign_in in hooks.listeners("accounts.signed_in")
    with pytest.raises(ImportError):
        __import__("lvzhi.accounts.signals")
