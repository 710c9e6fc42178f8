"""Normalisation, imputation, weights and aggregation against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.errors import ConfigurationError, DataValidationError
from simulator.need_index import (
    aggregate, arithmetic_mean, dirichlet_weights, distance_to_reference, equal_weights,
    geometric_mean, impute_missing, minmax, normalise, pca_weights, polarity_signs,
    positive_scale, rank_score, rescale_weights, zscore)
from simulator.need_index.impute import NATIONAL, OBSERVED, REGIONAL


# ------------------------------------------------------------------ normalisation
def test_zscore_by_hand():
    # mean 4, population sd sqrt(((2-4)^2 + 0 + (6-4)^2) / 3) = sqrt(8/3)
    np.testing.assert_allclose(zscore([2.0, 4.0, 6.0]), np.array([-2, 0, 2]) / np.sqrt(8 / 3))


def test_minmax_and_rank_by_hand():
    np.testing.assert_allclose(minmax([10.0, 15.0, 30.0]), [0.0, 0.25, 1.0])
    # ties share the mean rank: ranks 1, 2.5, 2.5, 4 -> (r - 1) / 3
    np.testing.assert_allclose(rank_score([1.0, 5.0, 5.0, 9.0]), [0.0, 0.5, 0.5, 1.0])


def test_constant_indicator_is_neutral():
    flat = np.full(4, 3.0)
    np.testing.assert_array_equal(zscore(flat), 0.0)
    np.testing.assert_array_equal(minmax(flat), 0.5)
    np.testing.assert_array_equal(rank_score(flat), 0.5)


def test_distance_to_reference_by_hand():
    np.testing.assert_allclose(distance_to_reference([80.0, 100.0, 150.0], 100.0), [-0.2, 0.0, 0.5])


def test_polarity_flips_the_score():
    values = np.array([[2.0, 4.0, 6.0], [2.0, 4.0, 6.0]])
    scores = normalise(values, polarity_signs(["more_need", "less_need"]), "minmax")
    np.testing.assert_allclose(scores, [[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]])
    scores = normalise(values, polarity_signs(["more_need", "less_need"]), "rank")
    np.testing.assert_allclose(scores, [[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]])


def test_distance_default_reference_is_population_weighted_mean():
    values = np.array([[1.0, 3.0]])
    population = np.array([3.0, 1.0])          # weighted mean (3 + 3) / 4 = 1.5
    scores = normalise(values, np.array([1.0]), "distance", population=population)
    np.testing.assert_allclose(scores, [[1 / 1.5 - 1, 3 / 1.5 - 1]])
    less = normalise(values, np.array([-1.0]), "distance", population=population)
    np.testing.assert_allclose(less, -scores)


def test_distance_needs_positive_values():
    with pytest.raises(ConfigurationError, match="values <= 0"):
        normalise(np.array([[-1.0, 2.0]]), np.array([1.0]), "distance")


def test_normalise_broadcasts_leading_axes():
    values = np.arange(24, dtype=float).reshape(2, 3, 4) ** 1.5
    scores = normalise(values, np.ones(3), "zscore")
    for y in range(2):
        for k in range(3):
            np.testing.assert_allclose(scores[y, k], zscore(values[y, k]))


def test_normalise_rejects_missing_and_unknown():
    with pytest.raises(DataValidationError, match="impute"):
        zscore([1.0, np.nan])
    with pytest.raises(ConfigurationError, match="unknown normalisation"):
        normalise(np.ones((1, 2)), np.ones(1), "logistic")
    with pytest.raises(ConfigurationError, match="polarity"):
        polarity_signs(["higher"])


# ------------------------------------------------------------------ imputation
def test_imputation_regional_then_national():
    values = np.array([1.0, np.nan, 3.0, 10.0, np.nan, np.nan])
    groups = ["A", "A", "A", "B", "C", "C"]
    result = impute_missing(values, groups)
    # A: mean of 1 and 3; C has no value: national mean (1 + 3 + 10) / 3
    np.testing.assert_allclose(result.values, [1, 2, 3, 10, 14 / 3, 14 / 3])
    np.testing.assert_array_equal(result.level, [OBSERVED, REGIONAL, OBSERVED, OBSERVED,
                                                 NATIONAL, NATIONAL])
    np.testing.assert_array_equal(result.imputed, [False, True, False, False, True, True])


def test_imputation_weighted_and_per_row():
    values = np.array([[1.0, 3.0, np.nan], [np.nan, 2.0, 4.0]])
    groups = ["A", "A", "A"]
    weights = np.array([3.0, 1.0, 1.0])
    result = impute_missing(values, groups, weights)
    np.testing.assert_allclose(result.values, [[1, 3, (3 + 3) / 4], [(2 + 4) / 2, 2, 4]])


def test_imputation_errors():
    with pytest.raises(DataValidationError, match="no observed value"):
        impute_missing(np.array([np.nan, np.nan]), ["A", "B"])
    with pytest.raises(DataValidationError, match="groups"):
        impute_missing(np.array([1.0, 2.0]), ["A"])


# ------------------------------------------------------------------ weights
def test_equal_and_rescaled_weights():
    np.testing.assert_allclose(equal_weights(4), 0.25)
    np.testing.assert_allclose(rescale_weights([1.0, 3.0]), [0.25, 0.75])
    with pytest.raises(ConfigurationError):
        rescale_weights([0.0, 0.0])
    with pytest.raises(ConfigurationError):
        rescale_weights([-1.0, 2.0])


def test_pca_weights_by_hand():
    # x1 and x2 perfectly correlated, x3 uncorrelated with both: correlation matrix
    # [[1,1,0],[1,1,0],[0,0,1]] has largest eigenvalue 2 with vector (1,1,0)/sqrt(2)
    x = np.array([1.0, 2.0, 3.0, 4.0])
    x3 = np.array([1.0, -1.0, -1.0, 1.0])           # orthogonal to centred x
    scores = np.stack([x, 2 * x + 1, x3])
    np.testing.assert_allclose(pca_weights(scores), [0.5, 0.5, 0.0], atol=1e-12)
    # two indicators with correlation r: eigenvector (1,1)/sqrt(2) -> equal weights
    np.testing.assert_allclose(pca_weights(np.stack([x, x3 + x])), [0.5, 0.5])
    np.testing.assert_allclose(pca_weights(x[None, :]), [1.0])


def test_dirichlet_weights_mean_and_zeros():
    rng = np.random.default_rng(3)
    base = np.array([[0.5, 0.3, 0.2, 0.0], [0.25, 0.25, 0.25, 0.25]])
    draws = dirichlet_weights(rng, base, 50.0, 20000)
    assert draws.shape == (20000, 2, 4)
    np.testing.assert_allclose(draws.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(draws[:, 0, 3], 0.0)
    np.testing.assert_allclose(draws.mean(axis=0), base, atol=0.005)
    # variance w0 (1 - w0) / (c + 1)
    np.testing.assert_allclose(draws[:, 0, 0].var(), 0.25 / 51, rtol=0.05)


# ------------------------------------------------------------------ aggregation
def test_arithmetic_and_geometric_by_hand():
    scores = np.array([[1.0, 4.0], [4.0, 1.0]])          # (K=2, A=2)
    weights = np.array([0.5, 0.5])
    np.testing.assert_allclose(arithmetic_mean(scores, weights), [2.5, 2.5])
    np.testing.assert_allclose(geometric_mean(scores, weights), [2.0, 2.0])
    np.testing.assert_allclose(geometric_mean(scores, np.array([0.25, 0.75])),
                               [4 ** 0.75, 4 ** 0.25])
    with pytest.raises(ConfigurationError, match="positive"):
        geometric_mean(np.array([[0.0, 1.0]]), np.array([1.0]))
    with pytest.raises(ConfigurationError, match="unknown aggregation"):
        aggregate(scores, weights, "harmonic")


def test_positive_scale_is_floor_plus_minmax():
    np.testing.assert_allclose(positive_scale(np.array([-2.0, 0.0, 2.0])), [1.0, 1.5, 2.0])
    np.testing.assert_allclose(positive_scale(np.array([-2.0, 0.0, 2.0]), 0.1), [0.1, 0.6, 1.1])
    with pytest.raises(ConfigurationError):
        positive_scale(np.array([1.0, 2.0]), 0.0)


def test_geometric_penalises_unevenness_more_than_arithmetic():
    even = np.array([[1.5], [1.5]])
    uneven = np.array([[1.0], [2.0]])
    weights = np.array([0.5, 0.5])
    assert arithmetic_mean(even, weights) == pytest.approx(arithmetic_mean(uneven, weights))
    assert geometric_mean(uneven, weights)[0] < geometric_mean(even, weights)[0]
