"""Microsoft Teams: the edge between the Bot Framework and the rituals."""
