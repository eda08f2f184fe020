import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

# Longer queries are cut, not refused: nobody should lose what they typed.
MAX_QUERY_LENGTH = 200


def clean_text(value: str) -> str:
    """Drop control characters (NUL breaks PostgreSQL) and normalise unicode."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search this site"), required=False, strip=True)

    def cleaned_query(self) -> str:
        """Return the words searched for, without punctuation a search engine could misread."""
        text = clean_text(self.cleaned_data.get("q") or "")[:MAX_QUERY_LENGTH]
        return " ".join(re.findall(r"\w+", text))
