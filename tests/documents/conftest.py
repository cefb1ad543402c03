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
def ask(django_capture_on_commit_callbacks):
    """Ask for a document as a committed request does: its on_commit callbacks (the enqueue) run."""
    from documents.services import document_request

    def ask(user, object_id, kind=kinds.SHEET):
        with django_capture_on_commit_callbacks(execute=True):
            return document_request(kind=kind, object_id=object_id, user=user)

    return ask
