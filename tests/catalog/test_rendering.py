"""Article bodies render to HTML that cannot run script or leak readers' data."""

from __future__ import annotations

import pytest

from cascade.catalog.rendering import render_markdown, sanitize_html


def test_markdown_keeps_structure_links_and_tables() -> None:
    html = render_markdown(
        "# Configure the switch\n\n"
        "Read the [guide](https://docs.northwind.example/guide).\n\n"
        "| Port | Speed |\n| --- | --- |\n| 1 | 10G |\n"
    )
    assert html == (
        "<h2>Configure the switch</h2>\n"
        '<p>Read the <a href="https://docs.northwind.example/guide" '
        'rel="noopener noreferrer nofollow">guide</a>.</p>\n'
        "<table>\n<thead>\n<tr>\n<th>Port</th>\n<th>Speed</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>10G</td>\n</tr>\n</tbody>\n</table>"
    )


@pytest.mark.parametrize(
    ("dangerous", "expected"),
    [
        ("<script>alert(1)</script>Hi", "Hi"),
        ('<img src="x" onerror="alert(1)">', "<img>"),
        (
            '<a href="javascript:alert(1)">click</a>',
            '<a rel="noopener noreferrer nofollow">click</a>',
        ),
        ('<iframe src="https://evil.example"></iframe>ok', "ok"),
        ('<p style="position:fixed">styled</p>', "<p>styled</p>"),
        ("<style>body{display:none}</style>text", "text"),
        ('<img src="http://tracker.example/pixel.gif" alt="x">', '<img alt="x">'),
        (
            '<img src="https://cdn.example/diagram.png" alt="Diagram">',
            '<img src="https://cdn.example/diagram.png" alt="Diagram">',
        ),
        ("<!-- note -->kept", "kept"),
        ('<form action="https://evil.example"><input name="password"></form>', ""),
    ],
)
def test_sanitizer_drops_what_could_run_or_leak(dangerous: str, expected: str) -> None:
    assert sanitize_html(dangerous) == expected


def test_raw_html_inside_markdown_is_sanitized_too() -> None:
    html = render_markdown('Safe text\n\n<div onclick="steal()">x</div><script>bad()</script>')
    assert html == "<p>Safe text</p>\nx\n"
