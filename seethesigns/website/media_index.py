"""Wagtail's image and document lists, with a usage-count filter that survives a search.

Wagtail 8.0.1 answers 500 to a search with the usage-count filter (e.g.
`/cms/documents/results/?q=a&usage_count_max=3`): the count is an annotation, and the search
backend cannot turn a filter on an annotation into a search filter. Wagtail already works round
the same limit for tags by filtering on the matching ids; these lists do that for the count too.
"""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import NumberRangeWidget, RelatedFilterMixin
from wagtail.documents.views import documents
from wagtail.images.views import images


class UsageCountFilter(RelatedFilterMixin, django_filters.RangeFilter):
    """Wagtail's usage-count filter, as a filter on ids when a search follows."""


class SearchableUsageCount:
    """Replace Wagtail's usage-count filter with one that a search can follow."""

    filters: dict[str, Any]

    def __init__(self, *args: Any, is_searching: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, is_searching=is_searching, **kwargs)  # type: ignore[call-arg]
        usage_count = UsageCountFilter(
            field_name="usage_count",
            label=_("Usage count"),
            widget=NumberRangeWidget(),
            use_subquery=bool(is_searching),
        )
        usage_count.parent = self
        self.filters["usage_count"] = usage_count


class DocumentsFilterSet(SearchableUsageCount, documents.DocumentsFilterSet):
    pass


class ImagesFilterSet(SearchableUsageCount, images.ImagesFilterSet):
    pass


class DocumentIndexView(documents.IndexView):
    filterset_class = DocumentsFilterSet


class ImageIndexView(images.IndexView):
    filterset_class = ImagesFilterSet
