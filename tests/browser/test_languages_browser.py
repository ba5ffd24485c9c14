"""Every page, in English and in Spanish, for a reader without an account, a participant and an
administrator, on a desktop and a 390 × 844 phone: axe-core (WCAG 2.0, 2.1 and 2.2, A and AA)
finds nothing, and nothing scrolls sideways (at 320 px either). The browser modules speak the
page's language."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, DEMO_PASSWORD, axe_violations, load_axe, open_document
from tests.browser.test_keyboard_and_phone import _pages, live_meeting  # noqa: F401 — a fixture

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NARROW = {"width": 320, "height": 720}  # the same phone, turned into the narrowest one in use
PUBLIC = ["/", "/sign-in", "/sign-up", "/forgot-password", "/accessibility", "/documents", "/documents/1",
          "/documents/1?text=es", "/documents/1?text=both", "/documents/1/versions", "/documents/1/diff",
          "/documents/1/diff?text=both", "/documents/1/coverage", "/clauses/1/coverage", "/documents/1/equity",
          "/documents/1/response", "/documents/1/response?lang=es", "/documents/1/meetings", "/checkpoints",
          "/documents/1/search?q=students"]
SIGNED_IN = ["/account", "/notifications", "/notifications/preferences", "/documents/1/adoption"]
ADMIN = ["/admin/accounts", "/admin/invitations", "/documents/1/overview", "/documents/1/versions/1/summaries",
         "/documents/1/campaigns"]


def _token(live_server, account: str) -> str:
    return requests.post(f"{live_server.url}/api/v1/auth/tokens", timeout=10,
                         json={"email": ACCOUNTS[account], "password": DEMO_PASSWORD}).json()["token"]


def _set_language(live_server, account: str, language: str) -> None:
    answer = requests.patch(f"{live_server.url}/api/v1/me", json={"language": language}, timeout=10,
                            headers={"Authorization": f"Bearer {_token(live_server, account)}"})
    assert answer.status_code == 200, answer.text


@pytest.fixture
def reader(browser, live_server, signed_in):
    """reader(role, language, **context) -> a page for "anonymous", "family" or "admin" whose pages
    come in `language` (the person's own preference, set back to English afterwards)."""
    changed, contexts = [], []

    def _open(role: str, language: str, axe: bool = False, **options):
        if role == "anonymous":
            context = browser.new_context(base_url=live_server.url, locale=language,
                                          extra_http_headers={"Accept-Language": language}, **options)
            contexts.append(context)
            page = context.new_page()
            page.js_errors = []
            page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        else:
            if language != "en":
                _set_language(live_server, role, language)
                changed.append(role)
            page = signed_in(role, locale=language, **options)
        if axe:
            load_axe(page.context)
        return page

    yield _open
    for context in contexts:
        context.close()
    for role in changed:
        _set_language(live_server, role, "en")


def _paths(role: str, live_server, meeting) -> list[str]:
    everyone, admins = _pages(live_server, meeting)
    if role == "anonymous":
        return PUBLIC
    paths = list(dict.fromkeys(PUBLIC[4:] + everyone + SIGNED_IN))
    return paths + admins + ADMIN if role == "admin" else paths


def _open_a_comment_form(page, path: str) -> None:
    """On the document page an open comment form is checked too (for those who may comment)."""
    forms = page.locator("details.comment-box > summary")
    if path == "/documents/1" and forms.count():
        forms.first.click()
        # Back to the top: in mid-scroll whatever passes under the sticky clause menu is
        # partly covered, and axe's target-size then measures only its uncovered strip.
        page.evaluate("window.scrollTo(0, 0)")


def _overflow(page) -> list[int] | None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return widths if widths[0] > widths[1] else None


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("role", ["anonymous", "family", "admin"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_passes_axe_and_fits_the_screen(reader, live_server, live_meeting, language, role, device):  # noqa: F811
    """On the phone each page is then narrowed to 320 px: nothing may scroll sideways there either.
    The page's layout follows its width through CSS alone (no script measures the window), so the
    narrowed page is laid out as one opened at 320 px, without loading it a second time."""
    page = reader(role, language, axe=True, **(DESKTOP if device == "desktop" else PHONE))
    problems = []
    for path in _paths(role, live_server, live_meeting):
        if device == "phone":
            page.set_viewport_size(PHONE["viewport"])
        answer = page.goto(path)
        assert answer.status == 200, (role, path, answer.status)
        if "lang=" not in path:  # ?lang= chooses the language of a reader without an account
            assert page.locator("html").get_attribute("lang") == language, path
        _open_a_comment_form(page, path)
        problems += [(path, violation) for violation in axe_violations(page, WCAG_TAGS)]
        if wide := _overflow(page):
            problems.append((path, f"scrolls sideways: {wide}"))
        if device == "phone":
            page.set_viewport_size(NARROW)
            if wide := _overflow(page):
                problems.append((path, f"scrolls sideways at 320 px: {wide}"))
    assert page.js_errors == []
    assert problems == []


def test_the_browser_modules_speak_spanish(reader):
    page = reader("family", "es")
    open_document(page)
    # Built by static/js/document.js from the catalogue the page carries.
    expect(page.locator("#period-banner")).to_contain_text("Los comentarios")
    clause = page.locator("section.clause").first
    clause.locator(":scope > details.comment-box > summary").click()
    form = clause.locator(":scope > details.comment-box form")
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-error")).to_have_text("Primero escriba su comentario.")
    # Times are restated in Spanish by static/js/time.js.
    stamp = page.locator("time[data-local]").first.text_content()
    assert any(day in stamp for day in ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")), stamp
    form.locator("textarea[name=body]").fill("Escrito en español con el teclado.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#announcer")).to_contain_text("Se publicó su comentario sobre")
    assert page.js_errors == []


def test_the_switcher_turns_a_page_spanish_with_the_keyboard_alone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    try:
        page = context.new_page()
        page.goto("/documents/1")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.getAttribute('lang') === 'es'"):
                break
        page.keyboard.press("Enter")
        page.wait_for_url("**/documents/1")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.locator(".skip-link")).to_have_text("Saltar al contenido")
        page.goto("/accessibility")  # kept in the cookie
        expect(page.locator("h1")).to_have_text("Declaración de accesibilidad")
    finally:
        context.close()


def test_the_aria_structure_of_the_comment_form_in_spanish(reader):
    page = reader("family", "es")
    open_document(page)
    clause = page.locator("section.clause").first
    clause.locator(":scope > details.comment-box > summary").click()
    expect(clause.locator(":scope > details.comment-box")).to_match_aria_snapshot(
        """
        - group:
          - text: /Comentar/
          - combobox "Tipo"
          - textbox "Su comentario"
          - combobox "Escrito en"
          - textbox "Pasaje citado (opcional)"
          - button "Citar un pasaje"
          - textbox "Redacción sugerida (opcional)"
          - button "Publicar comentario"
        """)
