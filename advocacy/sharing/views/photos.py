"""The ambassador's own photo: its check and preview while the share is written, and the
stored photo, served only to its owner and to marketing (never from a public media URL)."""

import base64
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from advocacy.models import NetworkAccount, User
from advocacy.people.access import share_photo_access
from advocacy.people.request import request_user
from advocacy.sharing.forms import CaptionForm
from advocacy.sharing.photos import PreparedPhoto, photo_check, photo_media_type, photo_prepare
from advocacy.sharing.views.common import available_item

PREVIEW_SIDE = 640


def photo_errors_context(error: ValidationError) -> dict[str, Any]:
    """A photo's problems for the page, and whether reconnecting the network is the fix."""
    return {
        "photo_errors": error.messages,
        "photo_reconnect": any(
            getattr(part, "code", "") == "photo_needs_reconnect" for part in error.error_list
        ),
    }


def preview_data_url(photo: PreparedPhoto) -> str:
    """A small copy of the photo as it will be posted (upright, without metadata), inline in
    the page: nothing is stored before the ambassador shares."""
    image = Image.open(io.BytesIO(photo.content))
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    out = io.BytesIO()
    image.save(out, "PNG" if photo.mime_type == "image/png" else "JPEG")
    encoded = base64.b64encode(out.getvalue()).decode("ascii")
    return f"data:{photo.mime_type};base64,{encoded}"


def chosen_photo(form: forms.Form, user: User) -> PreparedPhoto | None:
    """The photo chosen in a valid share form, re-encoded and checked for the form's network
    and the person's account there. Raises ValidationError (for the form's photo field)."""
    upload = form.cleaned_data.get("photo")
    if not upload:
        return None
    network = form.cleaned_data["network"]
    account = NetworkAccount.objects.filter(user=user, network=network).first()
    photo = photo_prepare(upload=upload)
    photo_check(photo=photo, network=network, account=account)
    return photo


@login_required
@require_POST
def photo_check_view(request: HttpRequest, item_id: int) -> HttpResponse:
    """The chosen photo, checked against the product's and the network's limits and against
    the connection's permissions, shown as it will be posted."""
    user = request_user(request)
    available_item(user, item_id)
    form = CaptionForm(request.POST, request.FILES, guidance_only=True)
    form.is_valid()
    upload = form.cleaned_data.get("photo")
    network = form.cleaned_data.get("network", "")
    context: dict[str, Any] = {}
    if upload:
        account = NetworkAccount.objects.filter(user=user, network=network).first()
        try:
            photo = photo_prepare(upload=upload)
            photo_check(photo=photo, network=network, account=account)
        except ValidationError as error:
            context.update(photo_errors_context(error))
        else:
            context["photo_preview"] = preview_data_url(photo)
    return render(request, "advocacy/_photo_check.html", context)


@login_required
@require_GET
def share_photo(request: HttpRequest, share_id: int) -> FileResponse:
    share = share_photo_access(user=request_user(request), share_id=share_id)
    return photo_response(share.photo)


def photo_response(photo: Any) -> FileResponse:
    """The stored photo, for the owner's browser only: not cached by shared caches."""
    response = FileResponse(photo.open("rb"), content_type=photo_media_type(photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
