# Beacon in a container: state on the /data volume, config mounted read-only at /config.
#   docker build -t beacon-alerts .
#   docker run -d --name beacon -v beacon-data:/data -v "$PWD/beacon.yaml:/config/beacon.yaml:ro" \
#       -e TELEGRAM_BOT_TOKEN beacon-alerts
# examples/deploy/compose.yaml does the same with Compose; docs/operations.md explains each part.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BEACON_DATA_DIR=/data \
    # set to e.g. http://127.0.0.1:9464/healthz when the config enables metrics.listen
    BEACON_HEALTH_URL=""

# a dedicated user that owns nothing but the state volume
RUN groupadd --system --gid 10001 beacon \
    && useradd --system --uid 10001 --gid beacon --home-dir /data --no-create-home --shell /usr/sbin/nologin beacon \
    && mkdir -p /data /config \
    && chown beacon:beacon /data

WORKDIR /opt/beacon
# the package and its runtime dependencies only (no test extras); the source tree is not kept
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . \
    && rm -rf bot build ./*.egg-info
# the shipped rules and templates, for configs that point at them (rules_dir: /opt/beacon/rules)
COPY rules ./rules
COPY templates ./templates
COPY examples/deploy/beacon.yaml ./beacon.example.yaml

USER beacon
VOLUME ["/data"]
# 9464: /metrics and /healthz, only when the config sets metrics.listen (off by default)
EXPOSE 9464

# healthy when /healthz answers 200; without BEACON_HEALTH_URL there is nothing to ask, so no verdict
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; url = os.environ.get('BEACON_HEALTH_URL'); sys.exit(0) if not url else urllib.request.urlopen(url, timeout=5)"]

# SIGTERM (docker stop) finishes the send in flight and exits 0; allow it ~30 s (--stop-timeout)
STOPSIGNAL SIGTERM
ENTRYPOINT ["beacon"]
CMD ["-c", "/config/beacon.yaml", "run", "--log-format", "json"]
