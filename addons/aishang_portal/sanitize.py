# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""HTML of notices: what Sao's rich-text editor writes, without scripts,
event handlers, frames or foreign URL schemes (pure functions, nh3)."""
import html
import re

import nh3

TAGS = {
    'a', 'b', 'blockquote', 'br', 'div', 'em', 'font', 'h1', 'h2', 'h3',
    'h4', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 's', 'span', 'strike',
    'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'u',
    'ul',
    }
ATTRIBUTES = {
    'a': {'href', 'title'},
    'img': {'src', 'alt', 'width', 'height'},
    'font': {'color', 'size'},
    'td': {'colspan', 'rowspan'},
    'th': {'colspan', 'rowspan'},
    '*': {'style', 'align'},
    }
STYLE_PROPERTIES = {
    'color', 'background-color', 'text-align', 'font-weight', 'font-style',
    'text-decoration', 'font-size',
    }
URL_SCHEMES = {'http', 'https', 'mailto', 'tel'}


def sanitize_html(value):
    "Keep the formatting of value, drop everything that could run"
    if not value:
        return value
    return nh3.clean(value, tags=TAGS, attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES, link_rel='noopener noreferrer',
        filter_style_properties=STYLE_PROPERTIES, strip_comments=True)


def html_to_text(value, length=None):
    "The text of value on one line, cut at length characters"
    if not value:
        return ''
    value = re.sub(
        r'<\s*(br|/p|/div|/li|/h\d)\b[^>]*>', ' ', value, flags=re.I)
    text = html.unescape(nh3.clean(value, tags=set()))
    text = re.sub(r'\s+', ' ', text).strip()
    if length and len(text) > length:
        text = text[:length - 1] + '…'
    return text
