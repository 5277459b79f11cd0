"""The reviewer portal: server-rendered pages a reviewer reaches from the link in their e-mail."""
