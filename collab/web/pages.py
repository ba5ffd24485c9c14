"""Signing in and out, the home redirect, and the browser's third-party script."""
from flask import flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from ..config import ROOT
from ..auth import sign_in as start_session
from ..auth import sign_out as end_session
from ..errors import NotFound
from ..rate_limits import limit_sign_in, password_sign_in
from .blueprint import web
from .forms import form_view
from .helpers import safe_next
from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _

SOCKET_IO_CLIENT_DIR = ROOT / "node_modules" / "socket.io-client" / "dist"


@web.get("/")
def home():
    """Signed out, the home page is the list of public documents; signed in, one's documents."""
    if not current_user.is_authenticated:
        from .documents import render_documents

        return render_documents()
    return redirect(url_for("web.documents"))


def _sign_in_again(error):
    return render_template("sign_in.html", email=request.form.get("email", ""), error=error.message,
                           next_url=request.args.get("next"))


@web.route("/sign-in", methods=["GET", "POST"])
@limit_sign_in
@form_view(_sign_in_again)
def sign_in():
    next_url = request.args.get("next")
    if request.method == "POST":
        start_session(password_sign_in(request.form.get("email"), request.form.get("password")))
        return redirect(safe_next(next_url))
    if current_user.is_authenticated:
        return redirect(safe_next(next_url))
    return render_template("sign_in.html", email="", error=None, next_url=next_url)


@web.post("/sign-out")
@login_required
def sign_out():
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("web.sign_in"))


@web.get("/vendor/socket.io.min.js")
def socket_io_client():
    """socket.io-client from npm (node_modules is installed by `make install`, never committed)."""
    if not (SOCKET_IO_CLIENT_DIR / "socket.io.min.js").is_file():
        raise NotFound(_l("socket.io-client is not installed: run `npm ci`."))
    return send_from_directory(SOCKET_IO_CLIENT_DIR, "socket.io.min.js", mimetype="text/javascript",
                               max_age=3600)
