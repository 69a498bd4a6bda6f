"""The platform-neutral core: one module per ritual, plus the neutral message model.

Nothing here imports Slack, Teams or the console; a ritual takes a typed command, the store and a
clock, and returns neutral messages.
"""
