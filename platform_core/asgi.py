"""ASGI entry point: HTTP through Django, websockets through channels (session-authenticated)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from platform_core.ws_routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

if os.environ.get("QIAOBAN_BACKGROUND_IN_PROCESS") == "1":
    # The embedded profile (manage.py serve without REDIS_URL): background jobs in this process,
    # so their websocket events reach the sockets it serves (in-memory channel layer).
    from platform_core.background.runner import start_in_thread  # noqa: E402

    start_in_thread()
