from django import forms

from .models import ReportNarrative


class NarrativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportNarrative
        fields = ["summary", "achievements", "challenges", "lessons", "next_steps"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ["summary", "achievements", "challenges", "lessons", "next_steps"]
        }
