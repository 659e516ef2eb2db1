"""The reference the club's pages are measured against: a bare Flask page that renders 50 rows
from one indexed SQLAlchemy query with Jinja, on the same database (``DATABASE_URL``)."""
from __future__ import annotations

import os

from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Person(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>People</title></head><body>
<h1>People</h1><ul>{% for p in people %}<li><a href="/p/{{ p.id }}">{{ p.full_name }}</a> {{ p.email }}</li>{% endfor %}</ul>
</body></html>"""

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db.init_app(app)


@app.route("/")
def people():
    rows = db.session.scalars(select(Person).where(Person.id > 100).order_by(Person.id).limit(50)).all()
    return render_template_string(PAGE, people=rows)
