"""The outcome rule is a pure function: no database."""

from decimal import Decimal

import pytest

from inspections.rules import AnswerFact, inspection_outcome


def facts(*rows):
    return [AnswerFact(status=s, points=p, critical=c) for s, p, c in rows]


def test_everything_met_passes_with_full_score():
    outcome = inspection_outcome(facts(("pass", 2, False), ("pass", 3, True)))
    assert (outcome.result, outcome.score, outcome.failed) == ("passed", Decimal("100.0"), 0)


def test_a_failed_minor_item_gives_a_reminder():
    outcome = inspection_outcome(facts(("pass", 3, True), ("pass", 2, False), ("fail", 1, False)))
    assert outcome.result == "reminded"
    assert outcome.score == Decimal("83.3")
    assert (outcome.failed, outcome.critical_failed) == (1, 0)


def test_a_failed_critical_item_proposes_a_record_even_with_a_high_score():
    rows = [("pass", 10, False)] * 9 + [("fail", 1, True)]
    outcome = inspection_outcome(facts(*rows))
    assert outcome.result == "failed"
    assert outcome.score == Decimal("98.9")
    assert outcome.critical_failed == 1


def test_many_minor_failures_below_half_the_points_propose_a_record():
    outcome = inspection_outcome(facts(("fail", 2, False), ("fail", 2, False), ("pass", 1, False)))
    assert outcome.result == "failed"
    assert outcome.score == Decimal("20.0")


def test_not_applicable_items_count_for_nothing():
    outcome = inspection_outcome(facts(("pass", 1, False), ("na", 5, True)))
    assert (outcome.result, outcome.score) == ("passed", Decimal("100.0"))


def test_all_items_not_applicable_passes_without_a_score():
    outcome = inspection_outcome(facts(("na", 1, False), ("na", 1, True)))
    assert (outcome.result, outcome.score) == ("passed", None)


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        inspection_outcome(facts(("maybe", 1, False)))
