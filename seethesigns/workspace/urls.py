"""The workspace's URLs under /pro/: each app's own, gathered in one namespace ("pro")."""

from django.urls import include, path

from seethesigns.children import urls as children_urls
from seethesigns.meetings import views as meeting_views
from seethesigns.network import views as link_views
from seethesigns.referrals import views as referral_views
from seethesigns.screening import views as screening_views
from seethesigns.workspace import views

# Pages other apps serve about one child, at the child's address and in its namespace ("cases"),
# so the children app need not import the apps built on it.
child_urlpatterns = [
    *children_urls.urlpatterns,
    path("<int:child_id>/links/", link_views.link_child, name="link"),
    path("<int:child_id>/screening/", screening_views.screen_child, name="screen"),
    path("<int:child_id>/refer/", referral_views.new_referral, name="refer"),
]

app_name = "pro"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("seethesigns.accounts.urls")),
    path("concerns/", include("seethesigns.concerns.urls")),
    path("audit/", include("seethesigns.dataprotection.audit_urls")),
    path("data-protection/", include("seethesigns.dataprotection.urls")),
    path("children/", include((child_urlpatterns, children_urls.app_name))),
    path("records/", include("seethesigns.network.urls")),
    path("network/", link_views.network, name="network"),
    path("meetings/", include("seethesigns.meetings.urls")),
    path("partnerships/", include("seethesigns.linkage.urls")),
    path("cohort/", meeting_views.cohort, name="cohort"),
    path("referrals/", include("seethesigns.referrals.urls")),
    path("training/", include("seethesigns.training.urls")),
    path("profile/", include("seethesigns.problemprofile.urls")),
    path("", include("seethesigns.screening.urls")),
]
