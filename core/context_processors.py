from django.conf import settings


def portal(request):
    return {"county_name": settings.QIANGJI_COUNTY_NAME}
