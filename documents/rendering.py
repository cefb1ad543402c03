"""HTML -> PDF with WeasyPrint, reading nothing but the project's own static files.

WeasyPrint follows every URL a template mentions (stylesheets, fonts, images); left to its
default fetcher it would read file:///etc/... or internal http services for whoever controls a
record's text. Documents are rendered against a base URL on a reserved, unresolvable host and
the fetcher below answers only that host's /static/ paths (from the staticfiles finders or
storage) and data: URIs; everything else is refused.
"""

import collections
import contextlib
import functools
import gc
import logging
import math
import mimetypes
import os
import posixpath
import re
import signal
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from io import BytesIO
from multiprocessing.connection import Connection, Pipe
from multiprocessing.connection import wait as connection_wait
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

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


@lru_cache(maxsize=1)
def lean_ua_stylesheet():
    """WeasyPrint's user-agent stylesheet without its rules for pseudo-elements of *every*
    element (::marker, ::footnote-call, ::note-call, ...): for them the cascade computes six
    styles more per element, a tenth of the time of a long table. Markers keep their rule for
    li and summary, the only list items documents have; documents use no footnotes. None when
    this WeasyPrint's stylesheet no longer reads as expected (its own is used then)."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    lean = UA.replace("\n::marker {", "\nli::marker, summary::marker {")
    lean, notes = re.subn(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", "", lean, flags=re.MULTILINE)
    if lean.count("li::marker, summary::marker {") != 1 or notes != 5 or re.search(r"^::", lean, re.M):
        logger.warning("documents: WeasyPrint's user-agent stylesheet changed; long tables use it as it is")
        return None
    # Its @counter-style rules are WeasyPrint's own, already known to every document
    # (HTML._ua_counter_style): parsed into a dictionary of their own, not defined twice.
    return CSS(string=lean, counter_style=CounterStyle())


class _LeanHTML(HTML):
    def _ua_stylesheets(self, forms=False):
        lean = lean_ua_stylesheet()
        return [lean] if lean is not None and not forms else super()._ua_stylesheets(forms)


def html_to_pdf(html: str, *, lean: bool = False) -> bytes:
    """One WeasyPrint render with the safe fetcher and the project's fonts; `lean` with the lean
    user-agent stylesheet (same output, less time for documents of thousands of elements)."""
    font_config = FontConfiguration()
    document = (_LeanHTML if lean else HTML)(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()
    )
    out = BytesIO()
    document.write_pdf(out, font_config=font_config)
    return out.getvalue()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))


def _render_chunk(html: str) -> tuple[bytes, list[tuple[int, int]]]:
    """A chunk's PDF (lean user-agent stylesheet) and, for each of its pages, the number of the
    first row on it and how many rows it holds, counting rows that carry an id "row-<number>"
    (see render_pdf_chunked); (0, 0) for a page without any."""
    document = _LeanHTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render(
        font_config=FontConfiguration()
    )
    pages = []
    for page in document.pages:
        numbers = [int(name[4:]) for name in page.anchors if name.startswith("row-") and name[4:].isdigit()]
        pages.append((min(numbers), len(numbers)) if numbers else (0, 0))
    out = BytesIO()
    document.write_pdf(out)
    return out.getvalue(), pages


def render_processes() -> int:
    """How many processes may render the chunks of one document at once: the cores this process
    may run on, at most settings.DOCUMENT_RENDER_PROCESSES (each holds one chunk in memory)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, settings.DOCUMENT_RENDER_PROCESSES))


class RenderProcessDied(RuntimeError):
    """A process rendering a chunk ended without answering (killed, out of memory)."""


def _render_process(conn, parent_pid: int) -> None:
    """The loop of a forked render process: (index, html) in, (index, (pdf, pages), error) out."""
    if sys.platform.startswith("linux"):
        # Die with the parent: Celery kills a task's process at its hard time limit, and its
        # render processes must not render on, orphaned.
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            return
    # Signals meant for the task (Celery's soft time limit, SIGTERM, Ctrl-C) are the parent's
    # business; here they just end the process.
    for signum in (signal.SIGINT, signal.SIGUSR1, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    # What this process inherited stays as it is: the collector leaves it alone instead of
    # touching (and so copying) every page of it on every full collection. And it collects less
    # often: WeasyPrint makes objects by the million, the default threshold (700) collected them
    # for a sixth of the render's time.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        index, html = item
        try:
            answer = (index, _render_chunk(html), None)
        except Exception as exc:  # sent to the parent, which raises it
            answer = (index, None, exc)
        try:
            conn.send(answer)
        except Exception as exc:  # the error itself cannot be pickled
            conn.send((index, None, RuntimeError(f"{type(answer[2]).__name__}: {answer[2]} ({exc})")))


class _Renderers:
    """Turns HTML into PDF in `processes` forked processes, or in this process when 1.

    `submit(html)` returns a function giving what _render_chunk gives (the PDF and its pages'
    rows); the render runs meanwhile, so the caller prepares the next chunk's HTML (or joins the
    chunks done) while earlier chunks render. Each process takes the next waiting chunk as soon
    as it is free.

    Plain os.fork() with a pipe per process rather than a multiprocessing pool: the pool
    processes of a Celery prefork worker are daemonic and multiprocessing refuses children to
    daemonic processes (billiard's pool would do, but takes most of a second to shut down).
    Fork, not spawn: the processes start with Django, WeasyPrint, the fonts and the static files
    loaded; they never touch the parent's database connection and leave with os._exit(), so
    nothing of the parent's (connections, files) is closed or flushed by them."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.children: list[tuple[int, Connection]] = []
        self.idle: list[Connection] = []
        self.busy: dict[Connection, int] = {}
        self.waiting: collections.deque[tuple[int, str]] = collections.deque()
        self.done: dict[int, tuple[bytes, list[tuple[int, int]]]] = {}
        self.submitted = 0

    def __enter__(self) -> "_Renderers":
        if self.processes > 1:
            lean_ua_stylesheet()  # parsed once, here: the processes inherit it
            parent = os.getpid()
            for _ in range(self.processes):
                mine, theirs = Pipe()
                pid = os.fork()
                if pid == 0:  # the render process
                    code = 1
                    try:
                        mine.close()
                        for _pid, other in self.children:
                            other.close()
                        _render_process(theirs, parent)
                        code = 0
                    finally:
                        os._exit(code)
                theirs.close()
                self.children.append((pid, mine))
                self.idle.append(mine)
        return self

    def submit(self, html: str) -> Callable[[], tuple[bytes, list[tuple[int, int]]]]:
        index = self.submitted
        self.submitted += 1
        if not self.children:
            self.done[index] = _render_chunk(html)
        else:
            self.waiting.append((index, html))
            self._dispatch()
        return functools.partial(self._result, index)

    def _dispatch(self) -> None:
        while self.idle and self.waiting:
            conn = self.idle.pop()
            item = self.waiting.popleft()
            conn.send(item)
            self.busy[conn] = item[0]

    def _result(self, index: int) -> tuple[bytes, list[tuple[int, int]]]:
        while index not in self.done:
            if not self.busy:
                raise RuntimeError(f"chunk {index} was never submitted")
            for conn in connection_wait(list(self.busy)):
                try:
                    answer, rendered, error = conn.recv()
                except EOFError:
                    chunk = self.busy[conn]
                    raise RenderProcessDied(f"a render process died while rendering chunk {chunk}") from None
                del self.busy[conn]
                self.idle.append(conn)
                if error is not None:
                    raise error
                self.done[answer] = rendered
            self._dispatch()
        return self.done[index]

    def __exit__(self, exc_type, *exc_info) -> None:
        for pid, conn in self.children:
            if exc_type is not None or conn in self.busy:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            else:
                with contextlib.suppress(OSError):
                    conn.send(None)
            conn.close()
        for pid, _conn in self.children:
            with contextlib.suppress(ChildProcessError):  # already reaped by someone else
                os.waitpid(pid, 0)
        self.children = []


def _page_numbers_html(first: int, last: int) -> str:
    """Empty pages carrying nothing but the numbers `first`..`last` where official.css prints a
    page's number, to stamp over pages of a document joined from separately rendered chunks."""
    return render_to_string("documents/page_numbers.html", {"numbers": range(first, last + 1)})


def chunk_bounds(
    start: int,
    stop: int,
    size: int,
    processes: int = 1,
    *,
    weights: Sequence[float] | None = None,
    page_capacity: float = 0,
) -> list[tuple[int, int]]:
    """(start, stop) of every chunk of the rows start..stop: about `size` rows each. With several
    processes, what is left when every process has at most one chunk to go is cut into
    2 x `processes` smaller chunks, so that the processes run out of work together rather than
    one waiting for another's long last chunk.

    With `page_capacity` (how much of the rows' `weights`, their estimated heights, a page
    holds), a chunk is a whole number of pages, its last page filled to a twelfth short of the
    capacity (an estimate may fall short): a chunk starts a page, so a chunk ending in the middle
    of one would leave the rest of that page empty."""
    weights = weights or [1.0] * stop
    capacity = page_capacity or math.inf
    slack = capacity / 12 if page_capacity else 0
    mean = sum(weights[start:stop]) / max(1, stop - start)
    units = max(1, round(size * mean / capacity)) if page_capacity else size  # pages, or rows
    tail_units = None
    bounds = []
    while start < stop:
        if processes > 1 and tail_units is None:
            left = _pages(weights, start, stop, capacity) if page_capacity else stop - start
            if left <= units * processes:
                tail_units = max(1, -(-left // (2 * processes)))
        end = _fill(weights, start, stop, tail_units or units, capacity, slack)
        if page_capacity and end < stop and _pages(weights, end, stop, capacity) == 1:
            end = stop  # what is left would be a chunk of less than a page: this one takes it
        bounds.append((start, end))
        start = end
    return bounds


def _pages(weights: Sequence[float], start: int, stop: int, capacity: float) -> int:
    """How many pages the rows start..stop take, filling each page while the next row fits."""
    pages, filled = 1, 0.0
    for weight in weights[start:stop]:
        if filled and filled + weight > capacity:
            pages, filled = pages + 1, 0.0
        filled += weight
    return pages


def _fill(weights: Sequence[float], start: int, stop: int, units: int, capacity: float, slack: float) -> int:
    """Where a chunk from `start` ends: after `units` rows, or with pages, after `units` pages,
    the last one filled no further than `slack` short of the capacity."""
    if capacity == math.inf:
        return min(stop, start + units)
    pages, filled = 1, 0.0
    for index in range(start, stop):
        weight = weights[index]
        if filled and filled + weight > capacity:
            if pages == units:
                return index
            pages, filled = pages + 1, 0.0
        if pages == units and filled and filled + weight > capacity - slack:
            return index
        filled += weight
    return stop


def render_pdf_chunked(
    template: str,
    context: dict,
    *,
    rows_key: str,
    chunk_size: int = 250,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
    number_pages: bool = False,
    lead_chunk: bool = False,
    row_weight: Callable[[Any], float] | None = None,
) -> bytes:
    """Render a document whose `context[rows_key]` is a very long table in chunks and join them.

    Each chunk is a complete document (the template receives `chunk_index`, `is_first_chunk`,
    `row_offset`, `chunk_has_rows` and `row_anchors`, so it prints the heading only on the first
    chunk). With `lead_chunk`, the first chunk has no rows (the document's own text, whose last
    page the table does not share) and the rows start in the second. With `processes` > 1 the
    chunks are rendered side by side in forked processes, so a long table takes about
    1/processes of the time, and each process frees a chunk's memory when it is done. With
    `number_pages`, the chunks print no page numbers (`page_numbers_stamped`) and the joined
    document is numbered 2, 3, ... at the top, as official.css numbers a document rendered in
    one piece. A table of at most `chunk_size` rows is rendered in one piece.

    Pages stay full across chunks when the template gives each row, while `row_anchors` is
    set, the id "row-<its number from 1>" (and a chunk's pages hold nothing after its rows): the
    first chunk of rows then tells how much a page holds, its last page is dropped if not full
    (its rows go to the next chunk), and the other chunks are cut in whole pages, estimated with
    `row_weight` (a row's height in any unit, e.g. its lines; 1 when not given). Without ids,
    chunks are cut every `chunk_size` rows and each one's last page may be part empty.
    """
    from pypdf import PdfReader, PdfWriter

    rows = list(context[rows_key])
    if len(rows) <= chunk_size:
        pdf = render_pdf(template, context)
        if progress:
            progress(1, 1)
        return pdf
    progress = progress or (lambda done, total: None)

    def chunk_html(index: int, part: list | None, offset: int, *, anchors: bool = False) -> str:
        return render_html(
            template,
            {
                **context,
                rows_key: part or [],
                "chunk_index": index,
                "is_first_chunk": index == 0,
                "row_offset": offset,
                "chunk_has_rows": part is not None,
                "row_anchors": anchors,
                "page_numbers_stamped": number_pages,
            },
        )

    with _Renderers(processes) as renderers:
        chunks = []  # (result getter, pages of it to keep: None for all)
        if lead_chunk:
            chunks.append([renderers.submit(chunk_html(0, None, 0)), None])
        first = chunk_size
        probe = renderers.submit(chunk_html(len(chunks), rows[:first], 0, anchors=True))
        chunks.append([probe, None])
        weights = [float(row_weight(row)) for row in rows] if row_weight else [1.0] * len(rows)
        _pdf, pages = probe()
        # How much a page holds: at least what the fullest page between the first (the heading
        # takes some of it) and the last held. No such page, no guess: plain chunks.
        filled = [sum(weights[a - 1 : a - 1 + n]) for a, n in pages if n]
        capacity = max(filled[1:-1]) if len(filled) > 2 else 0
        last_first, last_count = pages[-1]
        if capacity and last_count and filled[-1] + weights[first] < capacity:
            # The probe's last page is not full: dropped, its rows start the next chunk's page.
            chunks[-1][1] = len(pages) - 1
            first = last_first - 1
        bounds = chunk_bounds(
            first, len(rows), chunk_size, processes, weights=weights, page_capacity=capacity
        )
        for start, stop in bounds:
            chunks.append([renderers.submit(chunk_html(len(chunks), rows[start:stop], start)), None])

        total = len(chunks) + number_pages
        writer = PdfWriter()
        numbered, stamps = 1, []
        for done, (result, keep) in enumerate(chunks, 1):
            pdf, _pages = result()
            # Joined as they come, while the others render.
            writer.append(PdfReader(BytesIO(pdf)), pages=None if keep is None else list(range(keep)))
            progress(done, total)
            if number_pages and done >= len(chunks) - 1 and len(writer.pages) > numbered:
                # Once the last chunk is all that is left, a process is free: it numbers the
                # pages known so far, and then the last chunk's few.
                html = _page_numbers_html(numbered + 1, len(writer.pages))
                stamps.append((numbered + 1, renderers.submit(html)))
                numbered = len(writer.pages)
        for first_number, numbers in stamps:
            _stamp_page_numbers(writer, PdfReader(BytesIO(numbers()[0])), first=first_number)
        if number_pages:
            progress(total, total)
    out = BytesIO()
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.write(out)
    return out.getvalue()


def _stamp_page_numbers(writer, overlay, *, first: int) -> None:
    """Draw the pages of `overlay` over the pages of `writer` from page number `first` on.

    Each overlay page becomes a form XObject drawn after the page's own content, which is left
    as it is: no parsing or rewriting of the (long) content streams of the table pages."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes):
        obj = DecodedStreamObject()
        obj.set_data(data)
        return obj

    pages = list(writer.pages)[first - 1 : first - 1 + len(overlay.pages)]
    for number, (page, numbers) in enumerate(zip(pages, overlay.pages, strict=True), first):
        form = stream(numbers.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(numbers.mediabox),
                NameObject("/Resources"): numbers["/Resources"].get_object().clone(writer),
            }
        )
        name = NameObject(f"/PageNumber{number}")
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = writer._add_object(form)
        contents = page.raw_get("/Contents")  # a stream must stay an indirect object
        parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        # q ... Q around the page's own drawing: the number is drawn in the untransformed page.
        page[NameObject("/Contents")] = ArrayObject(
            [
                writer._add_object(stream(b"q\n")),
                *parts,
                writer._add_object(stream(f"\nQ q {name} Do Q\n".encode())),
            ]
        )
