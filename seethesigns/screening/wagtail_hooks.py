from wagtail.snippets.models import register_snippet

from seethesigns.screening.models import NextSteps

register_snippet(NextSteps)
