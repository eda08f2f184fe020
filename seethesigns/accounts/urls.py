from django.urls import include, path

from seethesigns.accounts import views
from seethesigns.meetings import views as meeting_views
from seethesigns.network import views as link_views

app_name = "pro"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.set_up_two_factor, name="set_up_two_factor"),
    path("users/", views.users, name="users"),
    path("users/invite/", views.invite, name="invite"),
    path("users/lift-pause/", views.lift_pause, name="lift_pause"),
    path("users/<int:user_id>/deactivate/", views.deactivate, name="deactivate"),
    path("invite/", views.accept_invitation, name="accept_invitation"),
    path("concerns/", include("seethesigns.concerns.urls")),
    path("audit/", include("seethesigns.audit.urls")),
    path("data-protection/", include("seethesigns.dataprotection.urls")),
    path("children/", include("seethesigns.children.urls")),
    path("records/", include("seethesigns.network.urls")),
    path("network/", link_views.network, name="network"),
    path("meetings/", include("seethesigns.meetings.urls")),
    path("cohort/", meeting_views.cohort, name="cohort"),
    path("referrals/", include("seethesigns.referrals.urls")),
    path("training/", include("seethesigns.training.urls")),
    path("", include("seethesigns.screening.urls")),
]
