"""The language of the pages, mails and refusals: the person's own choice, else the switcher's
cookie (or ?lang=), else Accept-Language; `<html lang>`, dates, the browser modules' words and
the accessibility statement follow it."""
from __future__ import annotations

import json
import re

from flask_babel import force_locale
from sqlalchemy import select

from collab.extensions import db
from collab.localtime import format_local
from collab.models import User
from collab.models.mail import OutboxMail
from collab.services.accounts import sign_up, update_group_settings
from tests.web.helpers import page_csrf

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def _catalogue(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="i18n-catalogue">(.*?)</script>', page, re.S).group(1))


def test_a_browser_set_to_spanish_gets_spanish_pages(client):
    english = client.get("/sign-in").get_data(as_text=True)
    spanish = client.get("/sign-in", headers=SPANISH).get_data(as_text=True)
    assert _lang(english) == "en" and "Skip to content" in english
    assert _lang(spanish) == "es" and "Saltar al contenido" in spanish and "Skip to content" not in spanish
    # The browser modules read their words from the page: in Spanish, from the catalogue.
    assert _catalogue(spanish)["Comment on this passage"] == "Comentar este pasaje"
    assert _catalogue(english) == {}


def test_the_switcher_keeps_an_anonymous_readers_choice_in_a_cookie(client):
    token = page_csrf(client, "/sign-in")
    answer = client.post("/language", data={"csrf_token": token, "lang": "es", "next": "/accessibility"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/accessibility")
    assert "lang=es" in answer.headers["Set-Cookie"]
    page = client.get("/accessibility").get_data(as_text=True)
    assert _lang(page) == "es" and "Declaración de accesibilidad" in page
    # The switcher now offers English, named in English and marked up as English.
    assert '<button type="submit" name="lang" value="en" lang="en" class="link-button">English</button>' in page


def test_the_switcher_changes_a_signed_in_persons_own_language(client, make, sign_in):
    person = make.user()
    sign_in(client, person)
    token = page_csrf(client, "/documents")
    client.post("/language", data={"csrf_token": token, "lang": "es", "next": "/documents"})
    assert db.session.get(User, person.id).language == "es"
    # Their preference wins over the browser's English.
    page = client.get("/documents", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _lang(page) == "es" and "Documentos" in page


def test_an_unknown_language_is_refused_with_a_message_and_nothing_changes(client, make, sign_in):
    person = make.user()
    sign_in(client, person)
    token = page_csrf(client, "/documents")
    answer = client.post("/language", data={"csrf_token": token, "lang": "xx", "next": "/documents"},
                         follow_redirects=True)
    assert answer.status_code == 200 and "language must be one of" in answer.get_data(as_text=True)
    assert db.session.get(User, person.id).language == "en"


def test_every_page_links_to_the_accessibility_statement_in_both_languages(client, app):
    app.config["DISTRICT_CONTACT_EMAIL"] = "help@district.example"
    app.config["DISTRICT_CONTACT_PHONE"] = "555 010 0199"
    for headers, title, limits in ((None, "Accessibility statement", "(machine) translation"),
                                   (SPANISH, "Declaración de accesibilidad", "traducción automática (por máquina)")):
        page = client.get("/accessibility", headers=headers).get_data(as_text=True)
        for words in (title, "(WCAG) 2.1", "WCAG 2.2 AA", "axe-core", "320"):
            assert words in page
        assert 'href="mailto:help@district.example"' in page and 'href="tel:5550100199"' in page
        assert "2026" in page  # the statement's date
        assert limits.lower() in page.lower()
        assert 'href="/accessibility"' in client.get("/sign-up", headers=headers).get_data(as_text=True)


def test_dates_are_written_for_the_language(app):
    with app.test_request_context("/"):
        assert format_local("2026-12-01T14:00:00Z") == "Tue 1 Dec 2026, 09:00 EST"
        with force_locale("es"):
            assert format_local("2026-12-01T14:00:00Z") == "mar 1 dic 2026, 09:00 EST"


def test_a_refusal_is_written_in_the_readers_language(client):
    answer = client.get("/api/v1/documents/987654", headers=SPANISH)
    assert answer.status_code == 404
    error = answer.get_json()["error"]
    assert error["code"] == "not_found" and error["message"] == "Ese documento no existe."
    assert client.get("/api/v1/documents/987654").get_json()["error"]["message"] == "No such document."


def test_a_mail_is_written_in_its_recipients_language(app, make):
    admin = make.admin()
    update_group_settings(admin, "families", {"is_open_to_sign_up": True})
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        sign_up(email="madre@example.org", name="Ana", group="families", language="es")
        sign_up(email="father@example.org", name="Tom", group="families", language="en")
    mails = {mail.recipient: mail for mail in db.session.execute(select(OutboxMail)).scalars()}
    assert mails["madre@example.org"].subject == "Common Ground: confirme su dirección de correo electrónico"
    assert "Gracias por unirse a Common Ground" in mails["madre@example.org"].text_body
    assert mails["father@example.org"].subject == "Common Ground: confirm your e-mail address"


def test_a_reader_without_an_account_searches_the_comments_of_a_public_document(client, make):
    document = make.document(visibility="public")
    answer = client.get(f"/documents/{document.id}/search?q=students", headers=SPANISH)
    assert answer.status_code == 200 and "Ningún comentario coincide." in answer.get_data(as_text=True)
