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
    ("signed", "superseded"): (),
    ("transferred", "superseded"): (),
    ("remedied", "superseded"): (),
}
ALWAYS_MUTABLE = ("updated_at",)

EDIT_MESSAGE = "violations: a signed violation record cannot be changed; make an amendment instead"
DELETE_MESSAGE = "violations: a signed violation record cannot be deleted"
CHILD_MESSAGE = "violations: the types and evidence of a signed violation record cannot be changed"


def _sql_array(names: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{n}'" for n in names) + "]::text[]"


def _pg_violation_func() -> str:
    branches = []
    for (old, new), extra in TRANSITIONS.items():
        allowed = _sql_array(("status", *ALWAYS_MUTABLE, *extra))
        branches.append(f"ELSIF OLD.status = '{old}' AND NEW.status = '{new}' THEN allowed := {allowed};")
    return f"""
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{DELETE_MESSAGE} (id %)', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status = OLD.status THEN
            allowed := {_sql_array(ALWAYS_MUTABLE)};
        {" ".join(branches)}
        ELSE
            RAISE EXCEPTION 'violations: the status of a signed record cannot go from % to %', OLD.status,
                NEW.status USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF (to_jsonb(OLD) - allowed) IS DISTINCT FROM (to_jsonb(NEW) - allowed) THEN
            RAISE EXCEPTION '{EDIT_MESSAGE} (id %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
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


def sqlite_violation_sql(columns: list[str]) -> list[str]:
    """CREATE TRIGGER statements for SQLite; `columns` are all columns of violations_violation."""
    allowed = [f"(NEW.status = OLD.status AND {_sqlite_unchanged(columns, ALWAYS_MUTABLE)})"]
    for (old, new), extra in TRANSITIONS.items():
        unchanged = _sqlite_unchanged(columns, ("status", *ALWAYS_MUTABLE, *extra))
        allowed.append(f"(OLD.status = '{old}' AND NEW.status = '{new}' AND {unchanged})")
    return [
        f"""CREATE TRIGGER violations_violation_protect_signed_update
            BEFORE UPDATE ON violations_violation FOR EACH ROW
            WHEN OLD.status <> '{DRAFT}' AND NOT ({" OR ".join(allowed)})
            BEGIN SELECT RAISE(ABORT, '{EDIT_MESSAGE}'); END""",
        f"""CREATE TRIGGER violations_violation_protect_signed_delete
            BEFORE DELETE ON violations_violation FOR EACH ROW
            WHEN OLD.status <> '{DRAFT}'
            BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END""",
    ]


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
