from .navigation import menu
from .scoping import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "scope": scope,
        "my_member": getattr(user, "member", None) if hasattr(user, "member") else None,
        "nav_items": menu(scope, request.path),
    }
