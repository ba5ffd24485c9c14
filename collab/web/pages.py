from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth import sign_in as start_session
from ..auth import sign_out as end_session
from ..errors import ServiceError
from ..extensions import limiter
from ..services.users import authenticate
from . import web


def _safe_next(target: str | None) -> str:
    # Only local paths: never an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.home")


@web.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("web.sign_in"))
    return redirect("/documents")


@web.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: __import__("flask").current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def sign_in():
    if request.method == "POST":
        try:
            user = authenticate(request.form.get("email"), request.form.get("password"))
        except ServiceError as error:
            flash(error.message, "error")
            return render_template("sign_in.html", email=request.form.get("email", "")), 401
        start_session(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("sign_in.html", email="")


@web.post("/sign-out")
@login_required
def sign_out():
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("web.sign_in"))
