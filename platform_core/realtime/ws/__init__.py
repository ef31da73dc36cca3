"""Websocket consumers of the realtime app."""
