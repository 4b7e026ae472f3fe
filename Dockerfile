# Docket API and worker image. Configuration comes from DOCKET_* environment variables.
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries and the Noto fonts every response-package locale needs (CJK, Devanagari,
# Arabic); harfbuzz-subset keeps subsetting CJK fonts fast. postgresql-client (15 on bookworm, as
# the compose file's server) gives `docket backup` and `docket restore` pg_dump and pg_restore.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# The same install as `make run`: uv pinned by hash, then every package from uv.lock by hash.
COPY scripts/uv-requirements.txt /tmp/uv-requirements.txt
RUN python -m venv /opt/uv \
 && /opt/uv/bin/pip install --no-cache-dir --require-hashes --no-deps -r /tmp/uv-requirements.txt

RUN useradd --system --create-home --home-dir /srv/docket docket
WORKDIR /srv/docket
ENV UV_PYTHON=/usr/local/bin/python3 UV_PYTHON_DOWNLOADS=never UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/srv/docket/.venv
COPY pyproject.toml uv.lock README.md piccolo_conf.py ./
COPY api api
COPY domain domain
COPY jurisdictions jurisdictions
COPY documents documents
COPY audit audit
COPY scheduler scheduler
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-editable \
 && mkdir -p /srv/docket/var && chown docket /srv/docket/var

USER docket
ENV PATH=/srv/docket/.venv/bin:$PATH \
    DOCKET_HOST=0.0.0.0 DOCKET_PORT=8000 DOCKET_DATA_DIR=/srv/docket/var
EXPOSE 8000
CMD ["sh", "-c", "docket migrate && docket serve"]
