"""Demo data orchestration. Each app's seeder lives beside its models (`<app>/demo.py`)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from accounts import demo as accounts_demo
from businesses import demo as businesses_demo
from campaigns import demo as campaigns_demo
from criteria import demo as criteria_demo
from dashboards import rollups
from documents.issuing import demo_certificates_ensure
from inspections import demo as inspections_demo
from violations import demo as violations_demo
from violations.audit import insert_events_in_bulk
from ward_police import refdata
from wards import demo as wards_demo


def seed_all(
    *, extra_wards: int = 0, businesses: int = 0, inspections: int = 0, log: Callable[[str], None] = print
) -> list[str]:
    # The rollups (#28) are not kept row by row while seeding (COPY sends no signal anyway): they
    # are rebuilt from the records once, at the end.
    with rollups.suspended():
        report = _seed_records(
            extra_wards=extra_wards, businesses=businesses, inspections=inspections, log=log
        )
    started = time.monotonic()
    rollups.rebuild()
    log(f"  rollups rebuilt: {time.monotonic() - started:.1f} s")
    return report


def _analyze() -> None:
    """Statistics for the rows COPY just wrote in this transaction (PostgreSQL's ANALYZE counts the
    transaction's own rows): without them the planner takes the million-row tables for empty and
    the seeders' later queries (a campaign's report) ran for more than 18 minutes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "businesses_business",
            "inspections_inspection",
            "inspections_commitment",
            "violations_violation",
            "violations_violationitem",
            "businesses_feedback",
        ):
            cursor.execute(f"ANALYZE {table}")


def _seed_records(
    *, extra_wards: int, businesses: int, inspections: int, log: Callable[[str], None]
) -> list[str]:
    report: list[str] = []
    main_ward, second_ward, generated = wards_demo.seed(extra_wards=extra_wards)
    report.append(f"Wards: {main_ward.name}, {second_ward.name} and {len(generated)} generated")
    users = accounts_demo.seed(main_ward=main_ward, second_ward=second_ward, password=settings.DEMO_PASSWORD)
    report.append(f"Users: {', '.join(sorted(users))}")
    # #29: a demo CA and a signing certificate per demo ward (subject marked DEMO), so that
    # official documents are signed out of the box.
    made = demo_certificates_ensure([main_ward, second_ward, *generated])
    report.append(f"Signing certificates: {made} demo certificates created")
    accounts_demo.seed_streets(users=users)
    if generated:
        made = accounts_demo.seed_generated(wards=generated, password=settings.DEMO_PASSWORD)
        report.append(f"Users for generated wards: {made} created")
    with insert_events_in_bulk("violations.TrackedBusiness", "violations.BusinessEvent"):
        report.append(
            businesses_demo.seed(
                main_ward=main_ward, second_ward=second_ward, generated=generated, total=businesses, log=log
            )
        )
    report += violations_demo.seed(main_ward=main_ward)
    report += inspections_demo.seed(main_ward=main_ward, inspections=inspections, log=log)
    if inspections:
        # Records for the generated inspections that did not pass (the dashboards, the repeat
        # violators and the violation list measured on a city's records, not an empty table).
        started = time.monotonic()
        proposals, lines = violations_demo.seed_bulk(inspections_demo.bulk_findings())
        inspections_demo.link_proposed_violations(proposals)
        log(f"  violations for the generated inspections: {time.monotonic() - started:.1f} s")
        report += lines
        _analyze()
    report += campaigns_demo.seed(main_ward=main_ward)
    assessments = criteria_demo.seed(ward=main_ward, users=users)
    report.append(f"Criteria: illustrative set and {len(assessments)} assessments for {main_ward.name}")
    # Whatever a step above wrote past the models' signals (COPY, bulk_create, update()): every
    # cached reference datum is read afresh after the seed commits.
    refdata.bump(refdata.EPOCH)
    return report
