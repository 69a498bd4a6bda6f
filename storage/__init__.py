"""The database: engine and sessions, the typed ORM models, and the queries rituals use."""
