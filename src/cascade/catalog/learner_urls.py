"""Pages of the catalog, included in the "web" namespace by cascade.web.urls."""

from django.urls import URLPattern, path

from cascade.catalog.views import learner

urlpatterns: list[URLPattern] = [
    path("", learner.catalog, name="catalog"),
    path("search/", learner.search, name="catalog-search"),
    path("<int:item_id>/", learner.item, name="catalog-item"),
    path("<int:item_id>/media/<int:media_id>/", learner.media, name="catalog-media"),
    path("<int:item_id>/enroll/", learner.enroll, name="catalog-enroll"),
]
