"""Translations (transcreation): each language's status for an item, the translator's editor
with the source text beside it, and the reviewer's approve or return."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from cascade.access.actor import Actor
from cascade.access.policies import Action, can
from cascade.catalog.item_models import CatalogItem, ItemVariant, VariantStatus
from cascade.catalog.items import variant_needs_update
from cascade.catalog.rendering import render_markdown
from cascade.catalog.revisions import translation_review, translation_save, translation_submit
from cascade.catalog.studio_forms import TranslationForm, TranslationReturnForm
from cascade.catalog.studio_selectors import (
    LANGUAGE_NAMES,
    source_variant,
    translatable_locale,
    translation_rows,
)
from cascade.catalog.views.studio_pages import item_page, studio_item
from cascade.core.errors import DomainError, PermissionDenied
from cascade.web.pages import form_error, page


@page
def studio_item_translations(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, item = studio_item(request, item_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return item_page(
        request,
        "catalog/studio/item_translations.html",
        item,
        "studio-item-translations",
        {
            "rows": translation_rows(item),
            "source_language": LANGUAGE_NAMES.get(item.tenant.default_locale, ""),
            "can_translate": can(actor, Action.CATALOG_TRANSLATE),
            "can_review": can(actor, Action.CATALOG_REVIEW),
            "person_id": actor.person.pk if actor.person else None,
        },
    )


def _translation_item(request: HttpRequest, item_id: int, locale: str) -> tuple[Actor, CatalogItem]:
    actor, item = studio_item(request, item_id)
    if not translatable_locale(item, locale):
        raise Http404("No such language.")
    return actor, item


def _editor(
    request: HttpRequest,
    actor: Actor,
    item: CatalogItem,
    locale: str,
    *,
    form: TranslationForm | None = None,
    return_form: TranslationReturnForm | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    source = source_variant(item)
    variant = ItemVariant.objects.filter(item=item, locale=locale).first()
    language = str(LANGUAGE_NAMES[locale])
    if form is None:
        initial = (
            {"title": variant.title, "summary": variant.summary, "body": variant.body}
            if variant
            else {}
        )
        form = TranslationForm(initial=initial, language=language)
    person_id = actor.person.pk if actor.person else None
    in_review = variant is not None and variant.status == VariantStatus.IN_REVIEW
    return item_page(
        request,
        "catalog/studio/translation.html",
        item,
        "studio-item-translations",
        {
            "locale": locale,
            "language": language,
            "source_language": LANGUAGE_NAMES.get(item.tenant.default_locale, ""),
            "source": source,
            "source_html": render_markdown(source.body) if source and source.body else "",
            "variant": variant,
            "needs_update": variant is not None
            and source is not None
            and variant_needs_update(variant=variant, source=source),
            "form": form,
            "return_form": return_form or TranslationReturnForm(),
            "can_translate": can(actor, Action.CATALOG_TRANSLATE) and source is not None,
            "can_review": in_review
            and can(actor, Action.CATALOG_REVIEW)
            and variant is not None
            and variant.translated_by_id != person_id,
            "own_translation": in_review
            and variant is not None
            and variant.translated_by_id == person_id,
            "error": error,
        },
        status=error.status if error else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def studio_translation(request: HttpRequest, item_id: int, locale: str) -> HttpResponse:
    actor, item = _translation_item(request, item_id, locale)
    if request.method == "GET":
        if not (can(actor, Action.CATALOG_TRANSLATE) or can(actor, Action.CATALOG_REVIEW)):
            raise PermissionDenied(
                "Translations are for translators and reviewers.", code="forbidden"
            )
        return _editor(request, actor, item, locale)
    form = TranslationForm(request.POST, language=str(LANGUAGE_NAMES[locale]))
    if not form.is_valid():
        response = _editor(request, actor, item, locale, form=form)
        response.status_code = 422
        return response
    send = request.POST.get("action") == "submit"
    try:
        translation_save(
            actor=actor,
            item=item,
            locale=locale,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            body=form.cleaned_data["body"],
        )
        if send:
            translation_submit(actor=actor, item=item, locale=locale)
    except DomainError as error:
        form_error(form, error)
        return _editor(request, actor, item, locale, form=form, error=error)
    language = LANGUAGE_NAMES[locale]
    messages.success(
        request,
        f"The {language} translation is saved and sent for review."
        if send
        else f"The {language} translation is saved as a draft.",
    )
    return redirect("web:studio-translation", item_id=item.pk, locale=locale)


@page
@require_POST
def studio_translation_submit(request: HttpRequest, item_id: int, locale: str) -> HttpResponse:
    actor, item = _translation_item(request, item_id, locale)
    try:
        translation_submit(actor=actor, item=item, locale=locale)
    except DomainError as error:
        return _editor(request, actor, item, locale, error=error)
    messages.success(request, f"The {LANGUAGE_NAMES[locale]} translation is sent for review.")
    return redirect("web:studio-translation", item_id=item.pk, locale=locale)


@page
@require_POST
def studio_translation_review(request: HttpRequest, item_id: int, locale: str) -> HttpResponse:
    actor, item = _translation_item(request, item_id, locale)
    approve = request.POST.get("decision") == "approve"
    return_form = TranslationReturnForm(None if approve else request.POST)
    if not approve and not return_form.is_valid():
        response = _editor(request, actor, item, locale, return_form=return_form)
        response.status_code = 422
        return response
    try:
        translation_review(
            actor=actor,
            item=item,
            locale=locale,
            approve=approve,
            note="" if approve else return_form.cleaned_data["note"],
        )
    except DomainError as error:
        if not approve:
            form_error(return_form, error)
        return _editor(request, actor, item, locale, return_form=return_form, error=error)
    language = LANGUAGE_NAMES[locale]
    if approve:
        done = f"The {language} translation is approved."
        if item.published_revision_id is not None:
            done += " Learners reading it see it now."
    else:
        done = f"The {language} translation is returned to its translator with your note."
    messages.success(request, done)
    return redirect("web:studio-item-translations", item_id=item.pk)
