"""Peak memory of one campaign report render in a fresh process, as a worker's pool process does it.

Usage (by bench.inproc.campaign_report): python -m bench.report_memory <campaign pk> <ward pk>
Prints one JSON line: the process's own peak RSS, the largest peak RSS of the render processes it
forked, their number, the bound parent + processes x child (an upper bound: the render processes'
RSS counts the pages they share with the parent), and the peak of the whole process tree's summed
RSS sampled every 20 ms.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path


def _status_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            pids += _tree(int(child))
    return pids


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                self.peak_kb = max(self.peak_kb, sum(_status_kb(p) for p in _tree(me)))
            time.sleep(0.02)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from campaigns.documents import CAMPAIGN_REPORT
    from documents.models import DocumentJob
    from documents.rendering import render_processes
    from documents.services import build_document

    campaign_pk, ward_pk = int(sys.argv[1]), int(sys.argv[2])
    job = DocumentJob(kind=CAMPAIGN_REPORT, object_id=campaign_pk, ward_id=ward_pk, version="bench")
    sampler = Sampler()
    sampler.start()
    start = time.perf_counter()
    pdf = build_document(job)
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    # This process's own peak: VmHWM, not ru_maxrss, which keeps the peak of the process that
    # started this one across exec. The render processes' largest peak: ru_maxrss of the
    # children (forks of this process; Linux reports it in kilobytes).
    self_mb = _status_kb(os.getpid(), "VmHWM") / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    processes = render_processes()
    print(
        json.dumps(
            {
                "self_mb": self_mb,
                "child_mb": child_mb,
                "processes": processes,
                "bound_mb": self_mb + processes * child_mb,
                "sampled_mb": sampler.peak_kb / 1024,
                "seconds": seconds,
                "bytes": len(pdf),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
