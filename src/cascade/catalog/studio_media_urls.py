"""The studio's media library pages, included in the "web" namespace by cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.catalog.views import studio_media

urlpatterns: list[URLPattern] = [
    path("", studio_media.studio_media, name="studio-media"),
    path("upload/", studio_media.studio_media_upload, name="studio-media-upload"),
    path("<int:asset_id>/", studio_media.studio_media_asset, name="studio-media-asset"),
    path("<int:asset_id>/delete/", studio_media.studio_media_delete, name="studio-media-delete"),
    path("<int:asset_id>/file/", studio_media.studio_media_file, name="studio-media-file"),
]
