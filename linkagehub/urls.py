from django.urls import path

from linkagehub import views

urlpatterns = [
    path("v1/encodings", views.encodings, name="encodings"),
    path("v1/withdraw", views.withdraw, name="withdraw"),
    path("v1/alerts", views.alerts, name="alerts"),
    path("v1/me", views.me, name="me"),
]

handler400 = "linkagehub.views.bad_request"
handler404 = "linkagehub.views.not_found"
handler500 = "linkagehub.views.server_error"
