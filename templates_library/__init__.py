"""Ready-made apps (definitions as data files) and their installer.

Each template is a folder with ``app.json`` (metadata), ``form.json`` and ``flow.json``.
Installing one goes through the same services an admin uses in the browser
(create → save draft → publish), so it is verified and audited like any app.
"""
