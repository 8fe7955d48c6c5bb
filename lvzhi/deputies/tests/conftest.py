from lvzhi.letters.tests.conftest import WRITER, build_world, sms_code, w, write  # noqa: F401
