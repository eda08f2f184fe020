"""Demo referral: the DSL refers Mia after her latest screening (never in production)."""

from seethesigns.accounts.models import User
from seethesigns.children.models import Child
from seethesigns.referrals.actions import do_make_referral
from seethesigns.referrals.models import Referral

AFTER = ("screening",)


def load() -> list[str]:
    """Refer the demo child once she has been screened, unless she has been referred."""
    child = Child.objects.filter(first_name="Mia", last_name="Example").first()
    if child is None or Referral.objects.filter(child=child).exists():
        return []
    screening = child.screenings.order_by("-screened_at").first()
    if screening is None:
        return []
    dsl = User.objects.get(username="demo-dsl")
    values = {
        "family": "Lives with her mother, Jo Example, at 1 Station Road, Northbridge "
        "(demo address). Phone 01632 960001 (a drama number).",
        "done": "The DSL spoke with Mia on Monday and with her mother on Tuesday. Mia's "
        "attendance is being checked daily.",
        "child_words": "\"He's my boyfriend. He's 24. He buys me stuff and I'm not allowed to "
        'tell anyone."',
        "consent": "not_sought",
        "consent_reason": "Asking her mother first could warn the man: she has met him.",
        "decision": "share",
        "decision_reason": "Significant concern: missing overnight twice, gifts and an older "
        "man who collects her from school.",
    }
    do_make_referral(child, screening, values, acting_user=dsl, request=None)
    return []
