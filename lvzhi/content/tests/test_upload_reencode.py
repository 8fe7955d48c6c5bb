"""Finding 5: article images are re-encoded by the one upload checker: no EXIF GPS, no appended HTML on disk."""

import io

import pytest
from PIL import Image

from lvzhi.content import services
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.tests.test_uploads import _bomb, _jpeg_with_gps_and_html

from .conftest import draft

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-34", "S2-21")
def test_an_article_image_keeps_no_gps_and_no_appended_html(world):
    article = draft(world)
    attachment = services.add_attachment(
        actor=world.author, article=article, name="现场.jpg", data=_jpeg_with_gps_and_html()
    )
    stored = attachment.file.read()
    assert b"<html" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


@pytest.mark.req("S2-34", "S2-21")
def test_an_article_pixel_bomb_is_refused(world):
    article = draft(world)
    with pytest.raises(ValidationFailed) as refused:
        services.add_attachment(actor=world.author, article=article, name="大图.png", data=_bomb())
    assert refused.value.code == "image_too_large"
    assert not article.attachments.exists()
