"""Exact rational arithmetic: the textbook run as it goes on paper."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tutor.engine import ConfigError, Run, TrainingConfig

TEXTBOOK = TrainingConfig(model="perceptron", inputs=((0, 0), (1, 0), (0, 1), (1, 1)),
                          targets=(0, 0, 0, 1), learning_rate=0.05, epochs=3,
                          weights=(0.3, 0.4, 0.1), bias_input=-1)


def test_exact_run_stops_at_the_paper_answer():
    run = Run(TEXTBOOK, exact=True)
    final = run.final()
    assert final.weights_after == (Fraction(7, 20), Fraction(7, 20), Fraction(1, 10))
    assert run.converged_epoch() == 2
    assert [r.index + 1 for r in run.run_to_end() if r.updated] == [2]


def test_exact_and_float_runs_part_at_the_round_off_step():
    exact, flt = Run(TEXTBOOK, exact=True), Run(TEXTBOOK)
    for i in range(12):
        e, f = exact.record(i), flt.record(i)
        if i < 5:
            assert e.output == f.output and float(e.net) == pytest.approx(f.net, abs=1e-15)
    assert exact.record(5).net == 0 and exact.record(5).output == 0
    assert flt.record(5).net > 0 and flt.record(5).output == 1


def test_exact_reads_decimals_as_written():
    rec = Run(TEXTBOOK, exact=True).record(1)
    assert rec.learning_rate == Fraction(1, 20)
    assert rec.weights_after[1] == Fraction(7, 20)  # 0.4 - 0.05 on paper, not 0.35000000000000003


def test_exact_is_only_for_the_perceptron_rule():
    cfg = TrainingConfig(model="linear", inputs=((0, 0),), targets=(0,), learning_rate=0.1,
                         epochs=1, weights=(0.0, 0.0))
    with pytest.raises(ConfigError):
        Run(cfg, exact=True)
