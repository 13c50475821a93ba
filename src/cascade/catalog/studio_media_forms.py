"""Forms of the studio's media library: filtering the library, uploading a file with its
metadata, and changing that metadata.

Field names follow the media services' argument names (`file`, `kind`, `title`, `tags`,
`language`, `video`...), so a refusal about a field lands beside it. The forms only parse input:
which files are accepted, how large they may be and what a tag may hold are decided by
`cascade.catalog.media`. Choices of videos are given by the views, which read the library.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from cascade.catalog.media import media_size_limit
from cascade.catalog.media_models import MediaKind
from cascade.identity.forms import PageForm

Choices = list[tuple[str, str]]
# The filter value for media in no particular language (the selector takes "" for it).
NO_LANGUAGE = "none"
LANGUAGE_CHOICES: Choices = [(code, str(name)) for code, name in settings.LANGUAGES]
# What the browser's file picker proposes first; the content decides what is accepted.
ACCEPTED_EXTENSIONS = (
    ".mp4,.m4v,.webm,.mp3,.m4a,.png,.jpg,.jpeg,.webp,.pdf,.docx,.xlsx,.pptx,.vtt,.txt"
)


def limit_text(size: int) -> str:
    """A size limit in the units the library's refusals use (2 GiB, 100 MiB)."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return str(filesizeformat(size))


def size_limits_text() -> str:
    """The per-kind limits in words, for the file field's help."""
    limits = ", ".join(
        f"{label.split(' ')[0].lower()} {limit_text(media_size_limit(kind))}"
        for kind, label in MediaKind.choices
    )
    return f"Largest accepted: {limits}."


class MediaFilterForm(PageForm):
    required_css_class = ""

    q = forms.CharField(
        label="Title contains",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *MediaKind.choices]
    )
    language = forms.ChoiceField(
        label="Language",
        required=False,
        choices=[("", "Any language"), (NO_LANGUAGE, "No particular language"), *LANGUAGE_CHOICES],
    )
    tag = forms.CharField(label="Tag", required=False, max_length=40)
    product = forms.ChoiceField(label="Product", required=False)

    def __init__(self, *args: Any, products: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any product"), *((p, p) for p in products)]

    def selector_arguments(self) -> dict[str, str | None]:
        """The valid filters as `media_asset_list` takes them."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        language = data.get("language") or None
        return {
            "kind": data.get("kind") or None,
            "language": "" if language == NO_LANGUAGE else language,
            "tag": (data.get("tag") or "").strip() or None,
            "product": data.get("product") or None,
            "q": (data.get("q") or "").strip() or None,
        }


class MediaMetadataForm(PageForm):
    """What describes a file in the library; the same on upload and when edited."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="How authors find the file when they add it to a lesson.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text="Separated by commas, for example: firewall, onboarding, demo.",
    )
    product = forms.CharField(
        label="Product",
        required=False,
        max_length=100,
        help_text="The product line the file is about, if any.",
    )
    language = forms.ChoiceField(
        label="Language",
        required=False,
        choices=[("", "No particular language"), *LANGUAGE_CHOICES],
        help_text="The language spoken or written in the file. Captions need one.",
    )
    owner = forms.CharField(
        label="Owner or rights holder",
        required=False,
        max_length=200,
        help_text="Who made the file or holds its rights.",
    )
    rights_notes = forms.CharField(
        label="Rights notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Licence, expiry or limits on use, for the authors who reuse the file.",
    )
    download_allowed = forms.BooleanField(
        label="Learners may download the file",
        required=False,
        help_text="Untick to let learners watch or read it in the browser only (stream only).",
    )
    video = forms.ChoiceField(
        label="Video this track belongs to",
        required=False,
        help_text="For captions and transcripts only.",
    )

    def __init__(self, *args: Any, videos: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["video"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None"), *videos]

    def clean_tags(self) -> list[str]:
        raw: str = self.cleaned_data.get("tags") or ""
        return [tag.strip() for tag in raw.split(",") if tag.strip()]


class MediaUploadForm(MediaMetadataForm):
    file = forms.FileField(
        label="File",
        # An empty file is refused by the library with its own words.
        allow_empty_file=True,
        error_messages={"required": "Choose a file to upload."},
        widget=forms.FileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
    )
    kind = forms.ChoiceField(
        label="Kind of file",
        choices=MediaKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of file this is."},
    )
    field_order = ["file", "kind", "title", "description", "tags", "video", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "MP4 or WebM video, MP3 or M4A audio, PNG, JPEG or WebP images, PDF or Office "
            "documents (docx, xlsx, pptx), WebVTT captions, plain-text transcripts. "
            + size_limits_text()
        )
        self.fields["download_allowed"].initial = True


class MediaEditForm(MediaMetadataForm):
    pass
