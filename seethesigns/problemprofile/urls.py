from django.urls import path

from seethesigns.problemprofile import views

app_name = "profile"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("download.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("download.ods", views.download, {"fmt": "ods"}, name="ods"),
    path("board-report.pdf", views.board_report, name="board_report"),
    path("data-quality/", views.scorecard, name="scorecard"),
    path("data-quality/to-complete/", views.to_complete, name="to_complete"),
]
