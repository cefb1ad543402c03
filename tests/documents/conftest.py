import pytest

from . import kinds


@pytest.fixture(autouse=True)
def test_document_kinds():
    kinds.reset()
    kinds.register_test_kinds()
    yield
    kinds.reset()


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the enqueue) as they are registered, like a committed request."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
