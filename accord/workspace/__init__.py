"""The secretariat's signed-in workspace: the lifecycle run from a browser."""
