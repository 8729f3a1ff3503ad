# syntax=docker/dockerfile:1
# Build the SPA with Node, run the API on a slim Python image as a non-root user.
FROM node:20-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TP_STATIC_DIR=/app/frontend/dist TP_LOG_JSON=true
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app/ app/
COPY migrations/ migrations/
RUN pip install -e . && useradd --system --uid 10001 --home /app talentpool
COPY --from=spa /src/frontend/dist /app/frontend/dist
USER talentpool
EXPOSE 8000
CMD ["sh", "-c", "talentpool db upgrade && talentpool serve --host 0.0.0.0 --port 8000 --workers ${TP_WORKERS:-4}"]
