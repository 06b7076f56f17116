"""django-axes (login lockouts) in Chinese: axes ships no zh_Hans catalogue, so its admin showed "Access attempts",
"IP Address" … in English. Its app gets a verbose name here (AxesConfig, named in INSTALLED_APPS), and its
messages are listed below so that bin/makemessages puts them into accounts' catalogue, where Django finds them for
axes too (one translation per language for every app). Keep the list in step with axes' models.py and admin.py."""
from axes.apps import AppConfig as _AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AxesConfig(_AxesAppConfig):
    verbose_name = _("Login lockouts")


AXES_MESSAGES = [
    # models.py: verbose names of the models and their fields
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("HTTP Accept"), gettext_noop("Path"),
    gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Access Attempt"),
    gettext_noop("Expires At"), gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"), gettext_noop("Session key hash (sha256)"),
    # admin.py: filters, field sets, actions, columns
    gettext_noop("Locked Out"), gettext_noop("Form Data"), gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"), gettext_noop("Not set"), gettext_noop("Attempt Remaining"),
]
