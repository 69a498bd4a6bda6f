"""The console: chat with the bot in a terminal, with the same grammar, rituals and store."""
