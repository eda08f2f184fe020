from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from seethesigns.concerns import views as concern_views
from seethesigns.paths import CMS, WORKSPACE
from seethesigns.website import views

urlpatterns = [
    path("exit/", views.exit_page, name="exit"),
    path("search/", views.search, name="search"),
    path("self-check/", include("seethesigns.selfcheck.urls")),
    path("tell-someone/", concern_views.tell_someone, name="tell_someone"),
    path(WORKSPACE[1:], include("seethesigns.workspace.urls")),
    path(CMS[1:], include(wagtailadmin_urls)),
    # Documents editors upload and link to; the CMS's document list links here too.
    path("documents/", include(wagtaildocs_urls)),
    path("", include(wagtail_urls)),
]

handler400 = "seethesigns.website.views.bad_request"
handler404 = "seethesigns.website.views.page_not_found"
handler500 = "seethesigns.website.views.server_error"
