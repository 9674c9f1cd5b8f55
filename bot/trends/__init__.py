"""Trend and sequence rules: patterns over incidents in time (counts, spikes, sequences, silences).

model.py is the data, parse.py reads a rule's `trend:` block, evaluate.py is the incremental evaluator,
alerts.py turns decided alerts into incidents and firings into alerts, live.py hooks `beacon run`.
"""
