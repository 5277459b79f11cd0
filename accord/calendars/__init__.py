"""Working-day calendars: the `holidays` package's model, the law's moved days and decree overrides.

Pure: no database, no settings, no network. `accord.services.working_days` builds one
`CalendarBook` from the configured overrides folder and delegates to it.
"""
