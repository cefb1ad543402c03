"""The scoring engine, pure: no database."""

from decimal import Decimal as D

import pytest

from criteria.scoring import (
    CriterionInput,
    CriterionSpec,
    Kind,
    LinearMapping,
    Method,
    Step,
    StepMapping,
    Threshold,
    classify,
    gaps,
    map_value,
    score_assessment,
    score_criterion,
)

RISING = LinearMapping(D(80), D(100))
FALLING = LinearMapping(D(24), D(72), higher_is_better=False)  # hours to answer: fewer is better


@pytest.mark.parametrize(
    ("value", "points"),
    [(D(100), D(10)), (D(80), D(0)), (D(90), D(5)), (D(79.99), D(0)), (D(120), D(10)), (D(0), D(0))],
)
def test_linear_mapping_gives_full_points_at_the_upper_bound_and_none_at_the_lower(value, points):
    assert map_value(value, D(10), RISING) == points


@pytest.mark.parametrize(
    ("hours", "points"), [(D(24), D(12)), (D(10), D(12)), (D(72), D(0)), (D(100), D(0)), (D(48), D(6))]
)
def test_linear_mapping_where_lower_is_better_rewards_fewer_hours(hours, points):
    assert map_value(hours, D(12), FALLING) == points


def test_linear_points_are_rounded_to_hundredths():
    assert map_value(D(85), D(7), RISING) == D("1.75")
    assert map_value(D("86.666"), D(10), RISING) == D("3.33")


def test_bounds_in_the_wrong_order_are_refused():
    with pytest.raises(ValueError):
        LinearMapping(D(100), D(80))
    with pytest.raises(ValueError):
        LinearMapping(D(5), D(5))


STEPS_UP = StepMapping((Step(D(95), D(10)), Step(D(80), D(6)), Step(D(50), D(2))))
STEPS_DOWN = StepMapping((Step(D(0), D(10)), Step(D(2), D(5)), Step(D(5), D(1))), higher_is_better=False)


@pytest.mark.parametrize(
    ("value", "points"),
    [(D(100), D(10)), (D(95), D(10)), (D("94.99"), D(6)), (D(80), D(6)), (D(50), D(2)), (D(49), D(0))],
)
def test_step_table_gives_the_points_of_the_highest_step_reached(value, points):
    assert map_value(value, D(10), STEPS_UP) == points


@pytest.mark.parametrize(
    ("count", "points"), [(D(0), D(10)), (D(1), D(5)), (D(2), D(5)), (D(5), D(1)), (D(6), D(0))]
)
def test_step_table_where_lower_is_better_counts_repeat_violators(count, points):
    assert map_value(count, D(10), STEPS_DOWN) == points


def test_step_points_never_exceed_the_criterion_maximum():
    assert map_value(D(100), D(4), STEPS_UP) == D(4)


def test_missing_value_maps_to_no_points_and_is_reported_missing():
    assert map_value(None, D(10), RISING) is None
    spec = CriterionSpec("2.3", D(10), method=Method.COMPUTED, mapping=RISING)
    outcome = score_criterion(spec, CriterionInput(value=None))
    assert outcome.points == 0 and outcome.missing and outcome.lost == D(10)


def test_manual_points_outside_the_range_are_refused():
    with pytest.raises(ValueError):
        score_criterion(CriterionSpec("1.1", D(8)), CriterionInput(points=D(9)))
    with pytest.raises(ValueError):
        score_criterion(CriterionSpec("1.1", D(8)), CriterionInput(points=D(-1)))


def test_pass_fail_criterion_earns_its_points_only_when_it_holds():
    spec = CriterionSpec("7.1", D(5), kind=Kind.PASS_FAIL, must_hold=True)
    assert score_criterion(spec, CriterionInput(passed=True)).points == D(5)
    failed = score_criterion(spec, CriterionInput(passed=False))
    assert failed.points == 0 and failed.holds is False and not failed.missing
    assert score_criterion(spec, None).missing


THRESHOLDS = [Threshold("Đạt kiểu mẫu", D(90)), Threshold("Đạt", D(70)), Threshold("Chưa đạt", D(0), False)]


def _specs():
    return [
        CriterionSpec("1.1", D(50), group="I"),
        CriterionSpec("1.2", D(50), method=Method.COMPUTED, mapping=RISING, group="I"),
        CriterionSpec("7.1", D(0), kind=Kind.PASS_FAIL, must_hold=True, group="VII"),
    ]


def test_high_total_with_every_must_hold_met_is_classified_model_ward():
    outcome = score_assessment(
        _specs(),
        {
            "1.1": CriterionInput(points=D(45)),
            "1.2": CriterionInput(value=D(100)),
            "7.1": CriterionInput(passed=True),
        },
        THRESHOLDS,
    )
    assert outcome.total == D(95) and outcome.max_total == D(100)
    assert outcome.classification.label == "Đạt kiểu mẫu" and outcome.classification.meets_standard
    assert outcome.complete


def test_failed_must_hold_criterion_overrides_a_high_total():
    outcome = score_assessment(
        _specs(),
        {
            "1.1": CriterionInput(points=D(50)),
            "1.2": CriterionInput(value=D(100)),
            "7.1": CriterionInput(passed=False),
        },
        THRESHOLDS,
    )
    assert outcome.total == D(100)
    assert outcome.classification.label == "Chưa đạt"
    assert not outcome.classification.meets_standard
    assert outcome.classification.blocked_by == ("7.1",)


def test_must_hold_criterion_not_yet_assessed_also_bars_meeting_the_standard():
    outcome = score_assessment(
        _specs(), {"1.1": CriterionInput(points=D(50)), "1.2": CriterionInput(value=D(100))}, THRESHOLDS
    )
    assert outcome.classification.label == "Chưa đạt"
    assert outcome.missing == ("7.1",)


def test_points_criterion_that_must_hold_holds_only_at_full_marks():
    spec = CriterionSpec("2.1", D(10), must_hold=True)
    assert score_criterion(spec, CriterionInput(points=D(10))).holds is True
    assert score_criterion(spec, CriterionInput(points=D("9.5"))).holds is False


def test_group_totals_add_up_their_criteria():
    outcome = score_assessment(
        _specs(),
        {
            "1.1": CriterionInput(points=D(30)),
            "1.2": CriterionInput(value=D(90)),
            "7.1": CriterionInput(passed=True),
        },
        THRESHOLDS,
    )
    group = outcome.groups[0]
    assert (group.code, group.points, group.max_points) == ("I", D(55), D(100))
    assert outcome.classification.label == "Chưa đạt"


def test_total_below_every_threshold_gets_no_label():
    result = classify(D(40), [Threshold("Đạt", D(70))])
    assert result.label is None and not result.meets_standard


def test_must_hold_failure_without_a_not_met_row_leaves_the_ward_unclassified():
    result = classify(D(100), [Threshold("Đạt", D(70))], ["7.1"])
    assert result.label is None and result.blocked_by == ("7.1",)


def test_gap_list_puts_failed_must_hold_first_then_the_biggest_losses():
    outcome = score_assessment(
        _specs(),
        {
            "1.1": CriterionInput(points=D(45)),
            "1.2": CriterionInput(value=D(85)),
            "7.1": CriterionInput(passed=False),
        },
        THRESHOLDS,
    )
    assert [o.code for o in gaps(outcome)] == ["7.1", "1.2", "1.1"]
    assert [o.code for o in gaps(outcome, limit=2)] == ["7.1", "1.2"]
