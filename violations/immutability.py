"""Database-level protection of signed records.

A signed record is a legal document: the database itself refuses to change or delete it,
whatever the path (a view, the admin, the ORM, raw SQL). Only the status moves on along the
transitions below, each with the few columns that transition fills in. PostgreSQL gets
django-pgtrigger triggers (declared in the models' Meta, installed by migrations); SQLite, the
embedded default, gets equivalent triggers created by a migration with RAISE(ABORT, ...).
Both raise an integrity error (SQLSTATE 23000 on PostgreSQL).
"""

import pgtrigger

DRAFT = "draft"
# (from, to) -> columns that transition may fill in besides status and updated_at.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("signed", "transferred"): ("transferred_to", "transferred_at"),
    ("signed", "remedied"): ("remedied_at",),
    ("transferred", "remedied"): ("remedied_at",),
    # A decision (or a decision not to sanction) on the record closes it (decision_models).
    ("signed", "decided"): (),
    ("signed", "superseded"): (),
    ("transferred", "superseded"): (),
    ("remedied", "superseded"): (),
}
ALWAYS_MUTABLE = ("updated_at",)
# A signed MBB01 still waiting for its decision may get the one-month deadline of Điều 66 when the
# violator asks to explain or facts must be verified: not part of the printed record.
SAME_STATUS_MUTABLE = ("decision_due_date", "decision_deadline_extended")

EDIT_MESSAGE = "violations: a signed violation record cannot be changed; make an amendment instead"
DELETE_MESSAGE = "violations: a signed violation record cannot be deleted"
CHILD_MESSAGE = "violations: the types and evidence of a signed violation record cannot be changed"


def _sql_array(names: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{n}'" for n in names) + "]::text[]"


# --- sanction decisions: the same guard, with their own steps -------------------------------------
DECISION_TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("signed", "served"): ("served_on", "payment_due_date"),
    ("served", "paid"): ("receipt_number", "paid_on", "paid_amount"),
    ("served", "enforced"): ("enforced_on", "enforcement_note"),
    ("served", "appealed"): ("appealed_on", "appeal_note"),
    # An appeal does not suspend the decision (Điều 15 Luật Khiếu nại): it is still paid or enforced.
    ("appealed", "paid"): ("receipt_number", "paid_on", "paid_amount"),
    ("appealed", "enforced"): ("enforced_on", "enforcement_note"),
}
DECISION_EDIT_MESSAGE = "violations: a signed sanction decision cannot be changed"
DECISION_DELETE_MESSAGE = "violations: a signed sanction decision cannot be deleted"
DECISION_TABLE = "violations_sanctiondecision"


def _pg_violation_func(
    transitions: dict[tuple[str, str], tuple[str, ...]] | None = None,
    edit_message: str = EDIT_MESSAGE,
    delete_message: str = DELETE_MESSAGE,
    same_status: tuple[str, ...] = SAME_STATUS_MUTABLE,
) -> str:
    transitions = TRANSITIONS if transitions is None else transitions
    branches = []
    for (old, new), extra in transitions.items():
        allowed = _sql_array(("status", *ALWAYS_MUTABLE, *extra))
        branches.append(f"ELSIF OLD.status = '{old}' AND NEW.status = '{new}' THEN allowed := {allowed};")
    return f"""
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{delete_message} (id %)', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status = OLD.status THEN
            allowed := {_sql_array((*ALWAYS_MUTABLE, *same_status))};
        {" ".join(branches)}
        ELSE
            RAISE EXCEPTION 'violations: the status of a signed record cannot go from % to %', OLD.status,
                NEW.status USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (to_jsonb(OLD) - allowed) IS DISTINCT FROM (to_jsonb(NEW) - allowed) THEN
            RAISE EXCEPTION '{edit_message} (id %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    """


def violation_triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="protect_signed_violation",
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            condition=pgtrigger.Condition(f"OLD.\"status\" <> '{DRAFT}'"),
            declare=[("allowed", "text[]")],
            func=_pg_violation_func(),
        )
    ]


def decision_triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="protect_signed_decision",
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            condition=pgtrigger.Condition(f"OLD.\"status\" <> '{DRAFT}'"),
            declare=[("allowed", "text[]")],
            func=_pg_violation_func(DECISION_TRANSITIONS, DECISION_EDIT_MESSAGE, DECISION_DELETE_MESSAGE, ()),
        )
    ]


def _pg_child_func(table: str) -> str:
    # Table and messages are constants of this module, never user input.
    return f"""
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF EXISTS (SELECT 1 FROM {table} WHERE id = OLD.violation_id AND status <> '{DRAFT}') THEN
                RAISE EXCEPTION '{CHILD_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            IF EXISTS (SELECT 1 FROM {table} WHERE id = NEW.violation_id AND status <> '{DRAFT}') THEN
                RAISE EXCEPTION '{CHILD_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    """  # noqa: S608


def child_triggers(prefix: str) -> list[pgtrigger.Trigger]:
    """Rows that belong to a violation (its types, its evidence) freeze with it."""
    return [
        pgtrigger.Trigger(
            name=f"protect_signed_{prefix}",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
            func=_pg_child_func("violations_violation"),
        )
    ]


# --- SQLite -----------------------------------------------------------------------------------
def _sqlite_unchanged(columns: list[str], except_: tuple[str, ...]) -> str:
    return " AND ".join(f'OLD."{c}" IS NEW."{c}"' for c in columns if c not in except_) or "1"


def sqlite_violation_sql(
    columns: list[str],
    *,
    table: str = "violations_violation",
    transitions: dict[tuple[str, str], tuple[str, ...]] | None = None,
    edit_message: str = EDIT_MESSAGE,
    delete_message: str = DELETE_MESSAGE,
    same_status: tuple[str, ...] = SAME_STATUS_MUTABLE,
) -> list[str]:
    """CREATE TRIGGER statements for SQLite; `columns` are all columns of `table`."""
    transitions = TRANSITIONS if transitions is None else transitions
    allowed = [f"(NEW.status = OLD.status AND {_sqlite_unchanged(columns, (*ALWAYS_MUTABLE, *same_status))})"]
    for (old, new), extra in transitions.items():
        unchanged = _sqlite_unchanged(columns, ("status", *ALWAYS_MUTABLE, *extra))
        allowed.append(f"(OLD.status = '{old}' AND NEW.status = '{new}' AND {unchanged})")
    return [
        f"""CREATE TRIGGER {table}_protect_signed_update
            BEFORE UPDATE ON {table} FOR EACH ROW
            WHEN OLD.status <> '{DRAFT}' AND NOT ({" OR ".join(allowed)})
            BEGIN SELECT RAISE(ABORT, '{edit_message}'); END""",
        f"""CREATE TRIGGER {table}_protect_signed_delete
            BEFORE DELETE ON {table} FOR EACH ROW
            WHEN OLD.status <> '{DRAFT}'
            BEGIN SELECT RAISE(ABORT, '{delete_message}'); END""",
    ]


def sqlite_decision_sql(columns: list[str]) -> list[str]:
    return sqlite_violation_sql(
        columns,
        table=DECISION_TABLE,
        transitions=DECISION_TRANSITIONS,
        edit_message=DECISION_EDIT_MESSAGE,
        delete_message=DECISION_DELETE_MESSAGE,
        same_status=(),
    )


def sqlite_child_sql(table: str) -> list[str]:
    signed = "SELECT 1 FROM violations_violation WHERE id = {row}.violation_id AND status <> '" + DRAFT + "'"  # noqa: S608
    statements = []
    for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        condition = " OR ".join(f"EXISTS ({signed.format(row=row)})" for row in rows)
        statements.append(
            f"""CREATE TRIGGER {table}_protect_signed_{op.lower()}
                BEFORE {op} ON {table} FOR EACH ROW WHEN {condition}
                BEGIN SELECT RAISE(ABORT, '{CHILD_MESSAGE}'); END"""
        )
    return statements


def sqlite_drop_sql(names: list[str]) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


SQLITE_CHILD_TABLES = ["violations_violationitem", "violations_violationevidence"]
SQLITE_TRIGGER_NAMES = [
    "violations_violation_protect_signed_update",
    "violations_violation_protect_signed_delete",
    *[
        f"{table}_protect_signed_{op}"
        for table in SQLITE_CHILD_TABLES
        for op in ("insert", "update", "delete")
    ],
]
SQLITE_DECISION_TRIGGER_NAMES = [
    f"{DECISION_TABLE}_protect_signed_update",
    f"{DECISION_TABLE}_protect_signed_delete",
]


def sqlite_install(connection) -> None:
    """(Re)create the SQLite guards from the current model; used after migrate and flush."""
    from .models import SanctionDecision, Violation

    columns = [field.column for field in Violation._meta.local_concrete_fields]
    statements = sqlite_drop_sql(SQLITE_TRIGGER_NAMES) + sqlite_violation_sql(columns)
    for table in SQLITE_CHILD_TABLES:
        statements += sqlite_child_sql(table)
    if DECISION_TABLE in connection.introspection.table_names():
        decision_columns = [field.column for field in SanctionDecision._meta.local_concrete_fields]
        statements += sqlite_drop_sql(SQLITE_DECISION_TRIGGER_NAMES) + sqlite_decision_sql(decision_columns)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def sqlite_uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in sqlite_drop_sql(SQLITE_TRIGGER_NAMES + SQLITE_DECISION_TRIGGER_NAMES):
            cursor.execute(sql)
