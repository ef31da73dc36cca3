"""The web UI: a Vite-built React app (src/) and the thin Django app that serves it.

Django serves the built files (dist/, hashed names, Vite's manifest) under /static/ui/
with WhiteNoise, and the page that loads them at /app/… behind the session login. See
designer_ui/README.md.
"""
