"""The process and its edges: CLI, configuration, grammar, server, and the chat platforms."""
