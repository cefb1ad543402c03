"""#28 measurements on a seeded scale database, in-process: `python -m bench.rollup_scale [dash]
[rebuild] [upkeep] [city]` (DATABASE_URL pointing at it).

`city` times the city view's selector with the rollup rows of the seeded wards copied to 50, 100
and 200 wards, inside a transaction rolled back at the end (nothing is left behind).
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench import rollups as figures  # noqa: E402
from bench.cases import BenchContext  # noqa: E402
from dashboards import selectors  # noqa: E402
from dashboards.periods import DashboardPeriod  # noqa: E402
from wards.models import Ward  # noqa: E402


class _Rollback(Exception):
    pass


def city(targets=(20, 50, 100, 200)) -> None:
    period = DashboardPeriod.containing("year", timezone.localdate())
    today = timezone.localdate()
    base = list(Ward.objects.order_by("pk"))
    try:
        with transaction.atomic():
            made: list[Ward] = []
            for target in targets:
                while len(base) + len(made) < target:
                    n = len(made)
                    source = base[n % len(base)]
                    ward = Ward.objects.create(
                        name=f"Phường đo thử {n}", code=f"X{n:05d}", province=source.province
                    )
                    made.append(ward)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            """INSERT INTO rollup_ward_month
                                   (ward_id, month, n, failed, first_month, first_quarter,
                                    first_year, violations)
                               SELECT %s, month, n, failed, first_month, first_quarter,
                                      first_year, violations
                                 FROM rollup_ward_month WHERE ward_id = %s""",
                            [ward.pk, source.pk],
                        )
                        cursor.execute(
                            """INSERT INTO rollup_ward_businesses (ward_id, status, n)
                               SELECT %s, status, n FROM rollup_ward_businesses WHERE ward_id = %s""",
                            [ward.pk, source.pk],
                        )
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE rollup_ward_month")
                    cursor.execute("ANALYZE rollup_ward_businesses")
                runs = []
                for _ in range(7):
                    start = time.perf_counter()
                    rows = selectors.city_rows(Ward.objects.all(), period, today)
                    runs.append(time.perf_counter() - start)
                print(
                    f"City view selector, {len(rows)} wards: {1000 * statistics.median(runs):.1f} ms",
                    flush=True,
                )
            raise _Rollback
    except _Rollback:
        pass


def main(which: list[str]) -> None:
    user = User.objects.select_related("ward").get(username="officer1")
    ctx = BenchContext(user=user, ward=user.ward)
    which = which or ["dash", "rebuild", "upkeep", "city"]
    for name, case in (
        ("dash", figures.dashboards),
        ("rebuild", figures.rebuild),
        ("upkeep", figures.submission_upkeep),
    ):
        if name in which:
            for figure in case(ctx):
                print(figure, flush=True)
    if "city" in which:
        city()


if __name__ == "__main__":
    main(sys.argv[1:])
