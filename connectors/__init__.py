"""Connectors: configured links to outside systems (webhooks, HR, ERP, IM), called through the outbox."""
