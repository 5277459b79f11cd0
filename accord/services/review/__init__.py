"""Review rounds: personal links, stages, decisions and comments, reminders, closing."""
