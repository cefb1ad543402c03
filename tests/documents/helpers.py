import shutil
import subprocess

import pytest


def pdftotext(path_or_bytes, tmp_path=None) -> str:
    """The text a reader's search finds in a PDF (poppler's pdftotext, as in the issue)."""
    exe = shutil.which("pdftotext")
    if not exe:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (.ci/run installs it)")
    if isinstance(path_or_bytes, bytes):
        path = tmp_path / "document.pdf"
        path.write_bytes(path_or_bytes)
    else:
        path = path_or_bytes
    return subprocess.run([exe, str(path), "-"], capture_output=True, text=True, check=True).stdout
