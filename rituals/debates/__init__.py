"""Servant vs Scorekeeper: a KPI's sharpest critic and its most empathetic advocate debate it,
each having prepared the strongest case for the other side; the team decides."""
