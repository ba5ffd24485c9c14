"""Unbound Flask extensions, bound to the app in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Session(FlaskSession):
    """Flask-SQLAlchemy's session; during a service transaction in a SQLite group commit
    (collab/group_commit.py) every statement goes to the group's connection, in a savepoint."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        group_connection = self.info.get("group_connection")
        if group_connection is not None:
            return group_connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


# Objects stay readable after the service commits, so serialising them
# for the answer and the broadcast needs no second round of queries.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False, "class_": Session,
                                                   "join_transaction_mode": "create_savepoint"})
migrate = Migrate()
login_manager = LoginManager()
socketio = SocketIO()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
mailman = Mail()
babel = Babel()
