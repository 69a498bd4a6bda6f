"""The tick's steps: which prompts each team's people are due, the weekly budget, the
reminders of what people took on, and each ritual's hooks. `bot.scheduler` runs them."""
