"""The CMS's image form: a file that looks like an image but is not one is an error, not a 500.

Wagtail 8.0.1 recognises an image by its first bytes, then asks Pillow for its size. A file that
starts like a PNG but is not one (a truncated upload, or wapiti's PHP-in-a-PNG) makes Pillow
raise, and Wagtail lets that through as a server error. This form says "not a valid image".
"""

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f: Any) -> None:
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as e:  # Pillow raises many kinds for broken data, as Wagtail's open does
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from e


class ImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with the checked file field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )
