# syntax=docker/dockerfile:1

# Stage 1: install the dependencies into a virtual environment.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Pinned versions (requirements.lock) first, so the layer is cached while only code changes.
COPY requirements.lock ./
RUN pip install --requirement requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-deps .

# Stage 2: the runtime image, without build tools, running as a non-root user.
FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin bot
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY bot ./bot
COPY migrations ./migrations
COPY alembic.ini ./
COPY content ./content
RUN mkdir -p /app/data && chown 10001:10001 /app/data
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    CONTENT_DIR=/app/content \
    DATA_DIR=/app/data \
    DATABASE_URL=sqlite+aiosqlite:////app/data/bot.sqlite3 \
    LISTEN_HOST=0.0.0.0 \
    LISTEN_PORT=8080
USER 10001:10001
# Staff edit content on the host; the database and the pseudonym key live in data/.
VOLUME ["/app/content", "/app/data"]
EXPOSE 8080
# /healthz answers in both modes (polling serves it alone on LISTEN_PORT); 503 fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LISTEN_PORT', '8080'), timeout=4)"]
CMD ["python", "-m", "bot", "run"]
