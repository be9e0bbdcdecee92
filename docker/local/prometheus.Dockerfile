# Prometheus from Debian's package, laid out like the public prom/prometheus image (configuration
# in /etc/prometheus/prometheus.yml, data in /prometheus), for machines that reach Debian's mirror
# but no image registry. Built by build-base-images.
ARG DEBIAN_IMAGE=recsys-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && mkdir -p /prometheus && chown nobody:nogroup /prometheus
USER nobody
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
