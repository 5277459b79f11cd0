"""E-mail for review rounds: values, rendering, delivery adapters and the retry policy."""
