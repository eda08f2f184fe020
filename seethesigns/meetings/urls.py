from django.urls import path

from seethesigns.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:meeting_id>/pdf/", views.meeting_pdf, name="pdf"),
    path("<int:meeting_id>/actions/<int:action_id>/", views.update_action, name="action"),
]
