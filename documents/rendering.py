"""HTML -> PDF with WeasyPrint, reading nothing but the project's own static files.

WeasyPrint follows every URL a template mentions (stylesheets, fonts, images); left to its
default fetcher it would read file:///etc/... or internal http services for whoever controls a
record's text. Documents are rendered against a base URL on a reserved, unresolvable host and
the fetcher below answers only that host's /static/ paths (from the staticfiles finders or
storage) and data: URIs; everything else is refused.
"""

import mimetypes
import posixpath
from collections.abc import Callable, Iterable
from functools import lru_cache
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# RFC 2606: .invalid never resolves, so nothing outside this module can answer these URLs.
DOCUMENT_HOST = "documents.invalid"
BASE_URL = f"https://{DOCUMENT_HOST}/"


class RefusedURL(ValueError):
    """A document asked for a resource outside the project's static files."""


@lru_cache(maxsize=64)
def _static_bytes(path: str) -> bytes | None:
    # Fonts and stylesheets are read once per worker process, not once per document.
    found = finders.find(path)
    if found:
        with open(found, "rb") as fh:
            return fh.read()
    if staticfiles_storage.exists(path):
        with staticfiles_storage.open(path) as fh:
            return fh.read()
    return None


def static_path_for(url: str) -> str | None:
    """The static file path an allowed document URL points to, or None when it is not one."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != DOCUMENT_HOST:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    normalised = posixpath.normpath(relative)
    if not relative or normalised.startswith(("..", "/")) or "\\" in relative or "\x00" in relative:
        return None
    return normalised


class StaticOnlyURLFetcher(URLFetcher):
    """Serves the project's static files and data: URIs; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(timeout=2, allow_redirects=False, allowed_protocols=("data", "https"))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = static_path_for(url)
        body = _static_bytes(path) if path else None
        if body is None:
            raise RefusedURL(f"Documents may only use the project's static files, not {url[:200]!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render_html(template: str, context: dict) -> str:
    # Official documents are Vietnamese whatever language the requester's UI uses.
    with translation.override("vi"):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    """One WeasyPrint render with the safe fetcher and the project's fonts."""
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    out = BytesIO()
    document.write_pdf(out, font_config=font_config)
    return out.getvalue()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))


def chunks(rows: list, size: int) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def render_pdf_chunked(
    template: str,
    context: dict,
    *,
    rows_key: str,
    chunk_size: int = 250,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render a document whose `context[rows_key]` is a very long table in chunks and join them.

    WeasyPrint's table layout costs grow faster than linearly with the rows of one table, so
    several shorter renders beat one long one, and each chunk's memory is freed before the
    next. The template receives `chunk_index`, `chunk_count`, `is_first_chunk`, `is_last_chunk`
    and `row_offset` so it prints the heading only on the first chunk and signatures on the last.
    """
    from pypdf import PdfWriter

    rows = list(context[rows_key])
    parts = list(chunks(rows, chunk_size)) or [[]]
    writer = PdfWriter()
    offset = 0
    for index, part in enumerate(parts):
        chunk_context = {
            **context,
            rows_key: part,
            "chunk_index": index,
            "chunk_count": len(parts),
            "is_first_chunk": index == 0,
            "is_last_chunk": index == len(parts) - 1,
            "row_offset": offset,
        }
        writer.append(BytesIO(render_pdf(template, chunk_context)))
        offset += len(part)
        if progress:
            progress(index + 1, len(parts))
    out = BytesIO()
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.write(out)
    return out.getvalue()
