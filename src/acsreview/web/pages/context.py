from django.conf import settings

import acsreview


def site(request):
    """What every page needs to know: the version, and whether the data is a demo."""
    return {"acsreview_version": acsreview.__version__, "demo_mode": settings.ACSREVIEW_DEMO}
