"""The secretariat's staff: accounts, roles, signing in, one-time links, second factor."""
