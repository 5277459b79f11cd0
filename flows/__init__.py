"""Prefect flows: thin orchestration over Accord's services, one module per business process."""
