# A JRE image from Debian's own packages, for machines that reach Debian's mirror but no image
# registry. Built by build-base-images; equivalent to the public eclipse-temurin:17-jre for the
# application image.
ARG DEBIAN_IMAGE=recsys-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-17-jre-headless ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
