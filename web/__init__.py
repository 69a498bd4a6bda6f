"""The dashboard: one more edge, a web page served by the bot's own process.

It reads what the chat shows (the same commands, through the same dispatcher, rendered as HTML)
and its forms submit to the same commands as a Slack modal or a Teams card. Sign-in is a
one-time link from `dashboard`; the page knows one person in one workspace per session.
"""
