"""How an `accord` command starts: in a process that has Prefect loaded already, when it runs
a flow (`command`, `warm_server`, `address`). Standard library only until a command runs."""
