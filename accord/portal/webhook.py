"""SendGrid's Event Webhook: delivery feedback, trusted only when SendGrid's signature checks."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from accord.mail.webhook import parse_events, verify_event_webhook
from accord.portal.deps import PortalDep
from accord.portal.uploads import TooLarge, read_body
from accord.services.delivery_feedback import record_delivery_events

router = APIRouter()
SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"
BODY_LIMIT = 4 * 1024 * 1024
"""Bytes per post: SendGrid sends its events in batches far smaller than this; anything larger
is not SendGrid and is refused while arriving, before it is held or verified."""


@router.post("/sendgrid/events")
async def sendgrid_events(request: Request, portal: PortalDep) -> JSONResponse:
    """Verify the raw body as SendGrid signed it; only then read it and record the events."""
    public_key = portal.settings.sendgrid_webhook_public_key
    if not public_key:
        return JSONResponse({"error": "not found"}, status_code=404)
    try:
        raw = await read_body(request, limit=BODY_LIMIT)
    except TooLarge:
        return JSONResponse({"error": "body too large"}, status_code=413)
    genuine = verify_event_webhook(
        public_key,
        raw,
        request.headers.get(SIGNATURE, ""),
        request.headers.get(TIMESTAMP, ""),
        now=portal.clock().timestamp(),
    )
    if not genuine:
        return JSONResponse({"error": "signature not valid"}, status_code=403)
    try:
        events = parse_events(raw)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, status_code=400)

    def work(session: Session) -> int:
        env = portal.service_env(session, actor="mail-provider")
        return record_delivery_events(events, env=env)

    recorded = await run_in_threadpool(portal.write, work)  # off the event loop
    return JSONResponse({"received": len(events), "recorded": recorded})
