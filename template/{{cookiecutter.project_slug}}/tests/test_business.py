from dataclasses import replace

import numpy as np
import pytest

from {{ cookiecutter.package_name }}.model import business


@pytest.fixture
def costs(settings):
    return replace(settings.business, cost_false_positive=1.0, cost_false_negative=10.0)


def test_expected_cost_counts_each_error_at_its_price(costs):
    y_true = [1, 1, 0, 0]
    acted = [1, 0, 1, 0]  # one true positive, one false negative, one false positive
    assert business.expected_cost(y_true, acted, costs) == pytest.approx((10.0 + 1.0) / 4)


def test_threshold_minimises_cost_not_error_count(costs):
    # Missing a positive costs 10x a false alarm: the threshold drops below 0.5.
    y_true = np.array([0, 0, 1, 0, 1])
    scores = np.array([0.1, 0.3, 0.35, 0.4, 0.9])
    threshold = business.best_threshold(y_true, scores, costs)
    assert 0.3 < threshold <= 0.35  # act on 0.35 too: one false alarm is cheaper than a miss
    assert business.expected_cost(y_true, scores >= threshold, costs) == pytest.approx(1 / 5)
    assert business.expected_cost(y_true, scores >= 0.5, costs) == pytest.approx(10 / 5)


def test_projected_kpi_moves_with_the_saving(costs):
    up = replace(costs, kpi_direction="increase", kpi_baseline=100.0)
    down = replace(costs, kpi_direction="decrease", kpi_baseline=100.0)
    assert business.projected_kpi(5.0, 10.0, up) == pytest.approx(150.0)
    assert business.projected_kpi(5.0, 10.0, down) == pytest.approx(50.0)
    assert business.projected_kpi(5.0, 0.0, up) == 100.0
