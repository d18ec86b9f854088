"""``{% url %}`` as Django writes it, with ids filled in by ``core.reversing``.

A template builtin (settings.TEMPLATES): every template's ``{% url %}`` is this one. It
parses as Django's tag does and gives the same string (``reverse_ids`` falls back to
``reverse()`` for anything but ids), but does not search the URL patterns again for
every row of a list.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from coffeechat.core.reversing import reverse_ids

register = template.Library()


class IdURLNode(URLNode):
    def render(self, context: Context) -> str:  # Django's URLNode.render, reverse_ids
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request: Any = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_ids(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> IdURLNode:
    node = django_url(parser, token)
    return IdURLNode(node.view_name, node.args, node.kwargs, node.asvar)
