# Docket API and worker image. Configuration comes from DOCKET_* environment variables.
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries and the Noto fonts every response-package locale needs (CJK, Devanagari,
# Arabic); harfbuzz-subset keeps subsetting CJK fonts fast.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /srv/docket docket
WORKDIR /srv/docket
COPY pyproject.toml README.md piccolo_conf.py ./
COPY api api
COPY domain domain
COPY jurisdictions jurisdictions
COPY documents documents
COPY audit audit
COPY scheduler scheduler
RUN pip install --no-cache-dir . && mkdir -p /srv/docket/var && chown docket /srv/docket/var

USER docket
ENV DOCKET_HOST=0.0.0.0 DOCKET_PORT=8000 DOCKET_DATA_DIR=/srv/docket/var
EXPOSE 8000
CMD ["sh", "-c", "docket migrate && docket serve"]
