"""KPI Raw: the team's weekly newsletter of real numbers and real stories, no spin."""
