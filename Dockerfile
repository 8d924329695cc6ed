# syntax=docker/dockerfile:1
# errmsg: build with `docker build -t errmsg .`, run with `docker run -p 8000:8000 errmsg`.
# tests/test_container.py replays this recipe (install, compile, start) without Docker.

# ---- build: install the package and compile the catalogs ---------------------
FROM python:3.12-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/errmsg
COPY pyproject.toml README.md babel.cfg ./
COPY service/ service/
COPY locales/ locales/
# A malformed .po stops the build here with file:line, before anything is compiled.
RUN /opt/errmsg/bin/pip install --no-cache-dir . \
 && /opt/errmsg/bin/python -m service.translators.commands pseudo --locales-dir locales \
 && /opt/errmsg/bin/python -m service.translators.commands validate locales/*/LC_MESSAGES/messages.po \
 && /opt/errmsg/bin/pybabel compile --statistics -d locales -D messages

# ---- runtime: granian (python -m service.serve) as an unprivileged user -------
FROM python:3.12-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /srv/errmsg --shell /usr/sbin/nologin errmsg
COPY --from=build /opt/errmsg /opt/errmsg
COPY --from=build /src/locales /srv/errmsg/locales
ENV PATH=/opt/errmsg/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ERRMSG_LOCALES_DIR=/srv/errmsg/locales \
    HOST=0.0.0.0 \
    PORT=8000
# Metric samples and reload sets go to fresh folders under /tmp, removed at exit
# (PROMETHEUS_MULTIPROC_DIR and ERRMSG_RELOAD_DIR name existing folders instead).
WORKDIR /srv/errmsg
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]
# SIGTERM: the server stops accepting, finishes in-flight requests (ERRMSG_GRACEFUL_TIMEOUT).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "service.serve"]
