"""Background work: the periodic jobs, their Celery tasks and the embedded runner.

One table of jobs (:mod:`.jobs`) is run two ways: by ``manage.py run_background`` (the
embedded default, started by ``make run`` through ``manage.py serve``) and by Celery
workers with beat (scale-out, :mod:`.tasks`). See docs/background.md.
"""
