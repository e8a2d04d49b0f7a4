"""The perceptron learning rule against hand-computed values and a plain-Python reference."""

from __future__ import annotations

import random

import pytest

from tutor.engine import PerceptronStep, Run, TrainingConfig

AND_X = ((0, 0), (1, 0), (0, 1), (1, 1))


def textbook(**overrides) -> Run:
    kw = dict(model="perceptron", inputs=AND_X, targets=(0, 0, 0, 1), learning_rate=0.05,
              epochs=3, weights=(0.3, 0.4, 0.1), bias_input=-1)
    kw.update(overrides)
    return Run(TrainingConfig(**kw))


def reference(inputs, targets, w, lr, epochs, bias_input=None, b=None, at_zero=0):
    """The rule written out in plain Python floats, one weight at a time, as the textbook does."""
    w = list(w)
    out = []
    for _ in range(epochs):
        for xs, t in zip(inputs, targets, strict=True):
            x = ([float(bias_input)] if bias_input is not None else []) + [float(v) for v in xs]
            net = 0.0
            for wi, xi in zip(w, x, strict=True):
                net += wi * xi
            if b is not None:
                net += b
            y = 1 if net > 0 else (at_zero if net == 0 else 0)
            err = t - y
            if err != 0:
                for j in range(len(w)):
                    w[j] = w[j] + lr * x[j] * err
                if b is not None:
                    b = b + lr * err
            out.append((net, y, err, tuple(w), b))
    return out


def test_textbook_run_ends_at_the_exact_floats():
    run = textbook()
    final = run.final()
    assert final.weights_after == (0.39999999999999997, 0.30000000000000004, 0.1)
    assert run.total_steps == 12
    assert [r.index for r in run.history] == list(range(12))


def test_textbook_updates_happen_exactly_at_step_2_and_step_6():
    run = textbook()
    run.run_to_end()
    updated = [r.index + 1 for r in run.history if r.updated]
    assert updated == [2, 6]
    assert [run.epoch(e).updates for e in (1, 2, 3)] == [1, 1, 0]
    assert run.converged_epoch() == 3


def test_first_update_by_hand():
    # step 2: x = (-1, 1, 0), w = (0.3, 0.4, 0.1): k = -0.3 + 0.4 + 0 = 0.1 > 0 -> y = 1, error = -1
    rec = textbook().record(1)
    assert isinstance(rec, PerceptronStep)
    assert rec.x == (-1.0, 1.0, 0.0)
    assert rec.inputs == (1.0, 0.0)
    assert rec.net == pytest.approx(0.1)
    assert (rec.output, rec.error) == (1, -1)
    # w_j <- w_j + 0.05 * x_j * (-1)
    assert rec.delta == (0.05, -0.05, 0.0)
    assert rec.weights_after == (0.35, 0.4 - 0.05, 0.1)
    assert rec.weights_before == (0.3, 0.4, 0.1)


def test_round_off_step_keeps_the_exact_float_and_is_flagged():
    rec = textbook().record(5)  # epoch 2, sample (1, 0)
    assert (rec.epoch, rec.sample) == (2, 1)
    assert rec.net == -0.35 + 0.35000000000000003 == 5.551115123125783e-17
    assert rec.net_is_roundoff and rec.roundoff_decides
    assert rec.output == 1 and rec.error == -1
    plain = textbook().record(4)
    assert not plain.net_is_roundoff


def test_step_at_zero_one_gives_the_same_float_run():
    # the README: `k > 0` and `k >= 0` give the same float run
    a = textbook().final().weights_after
    b = textbook(step_at_zero=1).final().weights_after
    assert a == b


def test_step_at_zero_decides_an_exact_zero():
    # w = (0, 0): the net of every sample is exactly 0
    zero = dict(inputs=((1, 1),), targets=(0,), weights=(0.0, 0.0), bias_input=None, epochs=1)
    assert textbook(**zero, step_at_zero=0).record(0).output == 0
    assert textbook(**zero, step_at_zero=1).record(0).output == 1


def test_matches_plain_python_reference_on_the_textbook():
    run = textbook()
    ref = reference(AND_X, (0, 0, 0, 1), (0.3, 0.4, 0.1), 0.05, 3, bias_input=-1)
    for rec, (net, y, err, w, _) in zip(run.run_to_end(), ref, strict=True):
        assert (rec.net, rec.output, rec.error, rec.weights_after) == (net, y, err, w)


@pytest.mark.parametrize("seed", range(20))
def test_matches_plain_python_reference_on_random_problems(seed):
    rnd = random.Random(seed)
    n_in = rnd.randint(1, 4)
    inputs = tuple(tuple(rnd.choice((0, 1, 2, -1, 0.5)) for _ in range(n_in)) for _ in range(6))
    targets = tuple(rnd.randint(0, 1) for _ in inputs)
    use_bias_input = seed % 2 == 0
    n_w = n_in + (1 if use_bias_input else 0)
    w = tuple(round(rnd.uniform(-1, 1), 2) for _ in range(n_w))
    lr = rnd.choice((0.05, 0.1, 0.25))
    kw = dict(model="perceptron", inputs=inputs, targets=targets, learning_rate=lr, epochs=5,
              weights=w)
    if use_bias_input:
        kw["bias_input"] = -1
        ref = reference(inputs, targets, w, lr, 5, bias_input=-1)
    else:
        kw["bias"] = 0.2
        ref = reference(inputs, targets, w, lr, 5, b=0.2)
    run = Run(TrainingConfig(**kw))
    for rec, (net, y, err, wr, b) in zip(run.run_to_end(), ref, strict=True):
        assert rec.net == pytest.approx(net, abs=1e-12)
        assert (rec.output, rec.error) == (y, err)
        assert rec.weights_after == pytest.approx(wr, abs=1e-12)
        if not use_bias_input:
            assert rec.bias_after == pytest.approx(b, abs=1e-12)


def test_separate_bias_is_updated_by_lr_times_error():
    run = Run(TrainingConfig(model="perceptron", inputs=((1, 1),), targets=(0,), learning_rate=0.5,
                             epochs=1, weights=(1.0, 1.0), bias=0.0))
    rec = run.record(0)
    assert rec.net == 2.0 and rec.error == -1
    assert (rec.bias_before, rec.bias_after, rec.bias_delta) == (0.0, -0.5, -0.5)
    assert rec.weights_after == (0.5, 0.5)


def test_history_is_indexed_not_recomputed():
    run = textbook()
    last = run.record(11)
    assert run.computed == 12
    assert run.record(11) is last
    assert run.record(1) is run.history[1]
    assert run.initial_weights() == (0.3, 0.4, 0.1)
    with pytest.raises(IndexError):
        run.record(12)


def test_records_are_immutable_tuples_of_floats():
    rec = textbook().record(1)
    with pytest.raises(AttributeError):
        rec.net = 0.0  # type: ignore[misc]
    assert all(type(v) is float for v in rec.weights_after)


def test_xor_never_settles():
    run = Run(TrainingConfig(model="perceptron", inputs=AND_X, targets=(0, 1, 1, 0),
                             learning_rate=0.1, epochs=50, weights=(0.0, 0.0, 0.0), bias_input=-1))
    assert run.converged_epoch() is None
    assert all(run.epoch(e).errors > 0 for e in range(1, 51))


def test_seeded_weights_are_reproducible():
    kw = dict(model="perceptron", inputs=AND_X, targets=(0, 0, 0, 1), learning_rate=0.1,
              epochs=1, seed=7, bias_input=-1)
    a = Run(TrainingConfig(**kw)).initial_weights()
    b = Run(TrainingConfig(**kw)).initial_weights()
    assert a == b and len(a) == 3


def test_step_at_zero_mistake_is_scikit_learns_rule():
    """scikit-learn's Perceptron updates when y·(w·x + b) <= 0 with y in {-1, +1}: a net of
    exactly 0 is a mistake for either target. AND, zero initial weights, η = 1, five epochs in
    the data's order; the rule written out here in plain Python."""
    w, b = [0.0, 0.0], 0.0
    expected = []
    for _ in range(5):
        for (x1, x2), t in zip(AND_X, (0, 0, 0, 1), strict=True):
            y = 1 if t == 1 else -1
            if y * (w[0] * x1 + w[1] * x2 + b) <= 0:
                w = [w[0] + 1.0 * y * x1, w[1] + 1.0 * y * x2]
                b = b + 1.0 * y
            expected.append((tuple(w), b))
    run = textbook(weights=(0.0, 0.0), bias_input=None, bias=0.0, learning_rate=1.0, epochs=5,
                   step_at_zero="mistake")
    got = [(r.weights_after, r.bias_after) for r in run.run_to_end()]
    assert got == expected
    # worked by hand: updates per epoch 2, 3, 3, 2, 2; the end point
    assert expected[-1] == ((2.0, 3.0), -2.0)
    first = run.record(0)  # net 0 with target 0: counted as a mistake, output 1, error -1
    assert first.net == 0 and first.output == 1 and first.error == -1 and first.zero_is_mistake
    # With step_at_zero 0 the same first sample is right and nothing moves.
    assert textbook(weights=(0.0, 0.0), bias_input=None, bias=0.0, learning_rate=1.0,
                    epochs=1).record(0).error == 0
    exact = Run(run.config, exact=True)
    assert [(tuple(map(float, r.weights_after)), float(r.bias_after))
            for r in exact.run_to_end()] == expected


def test_epoch_counts_updates_and_the_misclassified_at_its_end():
    run = textbook(weights=(0.0, 0.0), bias_input=None, bias=0.0, learning_rate=1.0, epochs=5,
                   step_at_zero="mistake")
    for e in range(1, 6):
        ep = run.epoch(e)
        steps = run.history[ep.first_step : ep.last_step + 1]
        assert ep.updates == sum(1 for r in steps if r.error != 0)
        w, b = ep.weights, ep.bias
        wrong = 0
        for (x1, x2), t in zip(AND_X, (0, 0, 0, 1), strict=True):
            y = 1 if t == 1 else -1
            wrong += y * (w[0] * x1 + w[1] * x2 + b) <= 0
        assert ep.misclassified == wrong
        assert Run(run.config, exact=True).epoch(e).misclassified == wrong
    # Worked by hand: the two counts differ (an update can undo an earlier sample), which is
    # why both are kept.
    assert [run.epoch(e).updates for e in range(1, 6)] == [2, 3, 3, 2, 2]
    assert [run.epoch(e).misclassified for e in range(1, 6)] == [3, 2, 1, 2, 2]
