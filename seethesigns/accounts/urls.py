"""Sign-in and the partnership admin's user pages; the workspace includes them under /pro/."""

from django.urls import path

from seethesigns.accounts import views

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.set_up_two_factor, name="set_up_two_factor"),
    path("users/", views.users, name="users"),
    path("users/invite/", views.invite, name="invite"),
    path("users/lift-pause/", views.lift_pause, name="lift_pause"),
    path("users/<int:user_id>/deactivate/", views.deactivate, name="deactivate"),
    path("invite/", views.accept_invitation, name="accept_invitation"),
]
