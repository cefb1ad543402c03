from collections.abc import Iterable
from datetime import date

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from violations.models import Stage, Status
from violations.services import money as format_money
from ward_police.rows import choice_labels, escape, local_formatter, pk_url

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    """2500000 -> "2.500.000đ" (dot thousands separators, the đồng sign after)."""
    if amount in (None, ""):
        return ""
    return format_money(int(amount))


@register.simple_tag
def violation_rows(violations: Iterable, today: date) -> SafeString:
    """The violation list's ``<tr>`` rows, written in Python (see ward_police/rows.py: 50 rows through
    the template engine cost about 12 ms a page), from selectors.ViolationRow."""
    stages = choice_labels(Stage.choices)
    statuses = choice_labels(Status.choices)
    draft = escape(gettext("Draft"))
    # gettext outside the f-strings: xgettext does not look inside them (the msgids went missing).
    repeat_label = gettext("repeat offence")
    multiple_label = gettext("violated several times")
    decision_overdue_label = gettext("decision overdue")
    unpaid_label = gettext("fine unpaid")
    overdue_label = gettext("overdue")
    repeat = f' <span class="badge badge-warn">{escape(repeat_label)}</span>'
    multiple = f' <span class="badge badge-warn">{escape(multiple_label)}</span>'
    decision_overdue = f' <span class="badge badge-err">{escape(decision_overdue_label)}</span>'
    unpaid = f' <span class="badge badge-err">{escape(unpaid_label)}</span>'
    overdue = f' <span class="badge badge-err">{escape(overdue_label)}</span>'
    detail = pk_url("violations:detail")
    happened = local_formatter("%d/%m/%Y %H:%M")
    rows = []
    for v in violations:
        if v.number:
            number = escape(v.number_display)
        elif v.status == Status.DRAFT:
            number = f"{draft} #{v.pk}"
        else:
            # A signed reminder or commitment has no number: it is named by its stage.
            number = f"{stages.get(v.stage, escape(v.stage))} #{v.pk}"
        who = escape(v.business_name if v.business_id else v.person_name)
        where = escape(v.street_name if v.street_id else v.place)
        if v.residential_group_id:
            where += f" · {escape(v.group_name)}"
        status = statuses.get(v.status, escape(v.status))
        items = "; ".join(escape(title) for title in v.item_titles)
        if v.status == Status.DRAFT:
            due = v.due_date.strftime("%d/%m/%Y") + (overdue if v.due_date < today else "")
        elif v.decision_due_date and v.stage == Stage.VIOLATION_RECORD and v.status == Status.SIGNED:
            # A signed MBB01 waits for its decision (Điều 66).
            due = v.decision_due_date.strftime("%d/%m/%Y") + (
                decision_overdue if v.decision_overdue_on(today) else ""
            )
        else:
            due = "—"
        if v.unpaid_on(today):
            due += unpaid
        aggravating = (repeat if v.is_repeat else "") + (multiple if v.is_multiple else "")
        rows.append(
            "<tr>\n"
            f'      <td><a href="{detail(v.pk)}">{number}</a></td>\n'
            f"      <td>{happened(v.occurred_at)}</td>\n"
            f'      <td>{who}<br><span class="help">{where}</span></td>\n'
            f"      <td>{items}</td>\n"
            f"      <td>{stages.get(v.stage, escape(v.stage))}{aggravating}</td>\n"
            f'      <td><span class="badge status-{escape(v.status)}">{status}</span></td>\n'
            f"      <td>{due}</td>\n"
            "    </tr>"
        )
    if not rows:
        none = escape(gettext("No violations match."))
        rows.append(f'<tr><td colspan="7">{none}</td></tr>')
    return mark_safe("\n  ".join(rows))  # noqa: S308 - every text above is escaped
