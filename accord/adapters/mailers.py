"""The one place that chooses how mail leaves: a local outbox folder or SendGrid."""

from accord.mail.delivery import Mailer
from accord.mail.eml_mailer import EmlMailer
from accord.settings import Settings


def make_mailer(settings: Settings) -> Mailer:
    if settings.mail_backend == "sendgrid":
        from accord.mail.sendgrid_mailer import SendGridMailer  # the sendgrid library: only here

        assert settings.sendgrid_api_key is not None  # Settings refuses sendgrid without a key
        return SendGridMailer(
            api_key=settings.sendgrid_api_key.get_secret_value(),
            host=settings.sendgrid_host,
            from_email=settings.mail_from_email,
            from_name=settings.mail_from_name,
        )
    return EmlMailer(
        settings.outbox_dir,
        from_email=settings.mail_from_email,
        from_name=settings.mail_from_name,
    )
