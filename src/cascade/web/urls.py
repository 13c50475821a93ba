from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "web"


def _pending(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [
    path("", _pending, name="home"),
    path("accounts/sign-in/", _pending, name="sign-in"),
    path("invitations/<str:token>/", _pending, name="invitation-accept"),
    path("partner/people/", _pending, name="partner-people"),
]
