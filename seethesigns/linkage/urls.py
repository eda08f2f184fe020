from django.urls import path

from seethesigns.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("<int:hub_alert_id>/", views.alert, name="alert"),
]
