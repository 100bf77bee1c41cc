"""Security headers Django does not set by itself: Content-Security-Policy and Permissions-Policy.

Every HTML page gets a policy that allows this site's own scripts, styles, images and connections
only: no inline script, no inline style, no other origin, no plugin, not framed by other sites. The
templates keep to it (behaviour lives in static .js files). Paths listed in CSP_RELAXED_PATHS (the
Swagger UI and ReDoc pages, whose vendored bundles inject styles and start workers from blobs) get
inline styles and blob: workers in addition, still nothing from another origin.

A view that must be framed by the site itself (the desk's badge preview) is decorated with
`frame_same_origin`, which also sets X-Frame-Options: SAMEORIGIN. Non-HTML responses (PDF, JSON,
CSV) carry no policy: browsers apply CSP to documents, and a policy on a PDF can stop the built-in
PDF viewer.
"""

from functools import wraps

from django.conf import settings

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self' blob:",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
RELAXED = {"style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"}
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"


def csp_header(**overrides: str) -> str:
    policy = {**BASE_POLICY, **overrides}
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def frame_same_origin(view):
    """Let this view's page be framed by pages of the same site (CSP frame-ancestors and XFO)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Frame-Options"] = "SAMEORIGIN"
        response.expo_frame_ancestors = "'self'"
        return response

    return wrapper


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.relaxed_paths = tuple(getattr(settings, "CSP_RELAXED_PATHS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Content-Security-Policy" in response:
            return response
        overrides = {}
        frame_ancestors = getattr(response, "expo_frame_ancestors", None)
        if frame_ancestors:
            overrides["frame-ancestors"] = frame_ancestors
        if response.get("Content-Type", "").startswith("text/html"):
            if request.path.startswith(self.relaxed_paths):
                overrides.update(RELAXED)
            response["Content-Security-Policy"] = csp_header(**overrides)
        elif frame_ancestors:  # a framed PDF: say who may frame it, and nothing else
            response["Content-Security-Policy"] = f"frame-ancestors {frame_ancestors}"
        return response
