from flask import redirect

from . import web


@web.get("/")
def home():
    return redirect("/documents")
