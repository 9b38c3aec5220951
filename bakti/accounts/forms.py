from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import User


class LoginForm(AuthenticationForm):
    """Django's login form with Bakti's own labels (in a context of their own, so that the
    Indonesian "Kata sandi" wins over Django's "Sandi")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = pgettext_lazy("login form", "Username")
        self.fields["password"].label = pgettext_lazy("login form", "Password")


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "preferred_language"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_at = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )
