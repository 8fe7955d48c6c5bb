"""Test SMS backends, selected by dotted path through LVZHI_SMS_BACKEND."""

from lvzhi.notify.backends import PermanentSmsError, SmsBackend


class FlakyBackend(SmsBackend):
    """Fails the first `failures` sends, then accepts; records what it accepted."""

    failures = 0
    calls = 0
    sent: list = []

    @classmethod
    def reset(cls, failures):
        cls.failures, cls.calls, cls.sent = failures, 0, []

    def send(self, phone, text):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionError("gateway down")
        type(self).sent.append((phone, text))


class RefusingBackend(SmsBackend):
    def send(self, phone, text):
        raise PermanentSmsError("invalid number")
