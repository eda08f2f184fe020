from django.urls import path

from seethesigns.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referrals, name="list"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/pdf/", views.referral_pdf, name="pdf"),
]
