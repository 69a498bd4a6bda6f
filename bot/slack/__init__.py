"""Slack: the Bolt app, its Block Kit renderer, installs and the manifest.

Every slack_sdk and slack_bolt import stays in this package.
"""
