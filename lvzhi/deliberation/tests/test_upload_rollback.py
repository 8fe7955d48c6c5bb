"""Post photos are stored through `core.uploads.store_file`: a service failing after the photo was written rolls
back and the request leaves no file behind (finding 5, residual information)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core import uploads
from lvzhi.deliberation import services
from lvzhi.deliberation.models import Post, PostAttachment

from .conftest import png_bytes, published


class Boom(Exception):
    pass


@pytest.mark.req("S0-12", "S4-2.4")
def test_a_post_that_fails_after_storing_its_photo_leaves_no_file(world, monkeypatch):
    topic = published(world)
    names = []
    real_store = services.posts.store_file

    def remember(fieldfile, name, data):
        names.append(real_store(fieldfile, name, data))
        return names[-1]

    def fail(post):
        assert default_storage.exists(names[0])  # written before the failure
        raise Boom

    monkeypatch.setattr(services.posts, "store_file", remember)
    monkeypatch.setattr(services.posts, "count_activity", fail)
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    with pytest.raises(Boom):
        services.create_post(actor=world.m1, topic=topic, text_value="现场照片。", uploads=[photo])
    assert uploads.discard_uncommitted() == 1  # what the middleware does when the request ends
    assert not default_storage.exists(names[0])
    assert not Post.objects.exists() and not PostAttachment.objects.exists()


@pytest.mark.req("S0-12", "S4-2.4")
def test_a_committed_post_keeps_its_photo(world):
    topic = published(world)
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    post = services.create_post(actor=world.m1, topic=topic, text_value="现场照片。", uploads=[photo])
    assert uploads.discard_uncommitted() == 0
    assert default_storage.exists(PostAttachment.objects.get(post=post).file.name)
