from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "platform_core.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from platform_core.org import models, revision

        post_save.connect(revision.on_user_saved, sender=models.User, dispatch_uid="org-revision-user")
        for model in (models.User, models.Department, models.Role, models.Position, models.Delegation):
            if model is not models.User:
                post_save.connect(revision.on_org_changed, sender=model, dispatch_uid=f"org-revision-{model.__name__}")
            post_delete.connect(revision.on_org_changed, sender=model,
                                dispatch_uid=f"org-revision-del-{model.__name__}")
        m2m_changed.connect(revision.on_org_changed, sender=models.User.roles.through,
                            dispatch_uid="org-revision-roles")
