from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from seethesigns.content import views

urlpatterns = [
    path("exit/", views.exit_page, name="exit"),
    path("search/", views.search, name="search"),
    path("self-check/", include("seethesigns.selfcheck.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]

handler400 = "seethesigns.content.views.bad_request"
handler404 = "seethesigns.content.views.page_not_found"
handler500 = "seethesigns.content.views.server_error"
