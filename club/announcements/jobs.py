"""The club's voice's periodic job (``club.core.jobs``): the monthly programme, checked daily. Each
member's month is claimed in the database, so running it often sends nothing twice."""
from club.core.jobs import periodic

periodic("send-programmes", every=24 * 3600, target="club.announcements.programme:send_programmes")
