"""The floor a deployment run cannot go below: a flow that does nothing, deployed like Accord's."""

from prefect import flow


@flow(name="prefect-floor")
def floor() -> str:
    return "done"
