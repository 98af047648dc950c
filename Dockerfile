# The team server's image: the `nitka` command on Debian 12 (bookworm), Python 3.11.
#
#   docker build -t nitka:0.1 .
#   docker run --rm nitka:0.1 --help
#
# compose.yaml runs it with PostgreSQL; docs/operations.md says how, and how big a
# machine a country needs.

# 1. The workstation's scripts and styles, bundled by esbuild (npm packages pinned in
#    frontend/package-lock.json) into src/nitka/web/static/dist.
FROM debian:bookworm-slim AS scripts
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN mkdir -p ../src/nitka/web/static && npm run --silent build

# 2. Nitka and its dependencies as wheels; PyICU compiles against Debian's ICU here,
#    so the image that runs needs no compiler.
FROM python:3.11-slim-bookworm AS wheels
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libicu-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY pyproject.toml README.md LICENSE ./
COPY src/ src/
COPY --from=scripts /build/src/nitka/web/static/dist/ src/nitka/web/static/dist/
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# 3. The image that runs: the wheels, the libraries they load, and PostgreSQL's
#    client tools (pg_dump, pg_restore: `nitka backup`, docs/backup.md).
FROM python:3.11-slim-bookworm
# libicu72: PyICU. libpango*, libharfbuzz-subset0, fonts-dejavu-core: WeasyPrint's
# statistics PDF with Cyrillic (docs/dependencies.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libicu72 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels nitka && rm -rf /wheels

# Not root: the server needs no privilege, only its home (the exchange's keys, the
# cache of derived files).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/nitka --create-home nitka \
    && install -d -o nitka -g nitka -m 700 /var/lib/nitka/keys \
    && install -d -o nitka -g nitka -m 755 /var/lib/nitka/cache
# (The folders exist in the image so that the volumes compose mounts on them start
# owned by nitka.)
USER nitka
WORKDIR /var/lib/nitka
ENV NITKA_KEYS_DIR=/var/lib/nitka/keys \
    NITKA_CACHE_DIR=/var/lib/nitka/cache \
    PYTHONUNBUFFERED=1
EXPOSE 8000

# Ready (not only alive): the store answers at this Nitka's schema (docs/operations.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10m --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]

ENTRYPOINT ["nitka"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
